import type { LearningPath, MutationUpdateLearningPathArgs } from '../generated/graphql.js';
import { updateLearningPath } from '../learning-paths/service.js';
import { resolver } from '../lib/appsync.js';
import { actorFromIdentity } from '../lib/identity.js';
import { paths } from '../wiring/paths.js';
import { now } from '../wiring/runtime.js';
import { urls } from '../wiring/signers.js';

export const handler = resolver<MutationUpdateLearningPathArgs, LearningPath>((args, event) =>
  updateLearningPath({ paths, urls, now }, actorFromIdentity(event.identity), args.input),
);
