import type { LearningPathConnection, QueryMyLearningPathsArgs } from '../generated/graphql.js';
import { listMyLearningPaths } from '../learning-paths/service.js';
import { resolver } from '../lib/appsync.js';
import { paths } from '../wiring/paths.js';
import { urls } from '../wiring/signers.js';

export const handler = resolver<QueryMyLearningPathsArgs, LearningPathConnection>((args, actor) =>
  listMyLearningPaths({ paths, urls }, actor, args),
);
