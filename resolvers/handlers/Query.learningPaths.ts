import type { LearningPathConnection, QueryLearningPathsArgs } from '../generated/graphql.js';
import { listLearningPaths } from '../learning-paths/service.js';
import { resolver } from '../lib/appsync.js';
import { paths } from '../wiring/paths.js';
import { urls } from '../wiring/signers.js';

export const handler = resolver<QueryLearningPathsArgs, LearningPathConnection>((args) => listLearningPaths({ paths, urls }, args));
