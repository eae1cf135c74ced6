import type { LearningPath, MutationUpdateLearningPathArgs } from '../generated/graphql.js';
import { updateLearningPath } from '../learning-paths/service.js';
import { resolver } from '../lib/appsync.js';
import { paths } from '../wiring/paths.js';
import { now } from '../wiring/runtime.js';
import { urls } from '../wiring/signers.js';

export const handler = resolver<MutationUpdateLearningPathArgs, LearningPath>((args, actor) =>
  updateLearningPath({ paths, urls, now }, actor, args.input),
);
