import type { LearningPath, MutationCreateLearningPathArgs } from '../generated/graphql.js';
import { createLearningPath } from '../learning-paths/service.js';
import { resolver } from '../lib/appsync.js';
import { paths } from '../wiring/paths.js';
import { newId, now } from '../wiring/runtime.js';

export const handler = resolver<MutationCreateLearningPathArgs, LearningPath>((args) =>
  createLearningPath({ paths, now, newId }, args.input),
);
