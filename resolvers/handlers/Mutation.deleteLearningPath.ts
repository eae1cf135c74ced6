import type { LearningPath, MutationDeleteLearningPathArgs } from '../generated/graphql.js';
import { deleteLearningPath } from '../learning-paths/service.js';
import { resolver } from '../lib/appsync.js';
import { media } from '../wiring/media.js';
import { paths } from '../wiring/paths.js';
import { now, warn } from '../wiring/runtime.js';

export const handler = resolver<MutationDeleteLearningPathArgs, LearningPath>((args, actor) =>
  deleteLearningPath({ paths, media, now, warn }, actor, args),
);
