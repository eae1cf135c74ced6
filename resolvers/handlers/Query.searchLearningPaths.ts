import type { LearningPathConnection, QuerySearchLearningPathsArgs } from '../generated/graphql.js';
import { searchLearningPaths } from '../learning-paths/service.js';
import { resolver } from '../lib/appsync.js';
import { paths } from '../wiring/paths.js';
import { urls } from '../wiring/signers.js';

export const handler = resolver<QuerySearchLearningPathsArgs, LearningPathConnection>((args) => searchLearningPaths({ paths, urls }, args));
