import type { LearningPath, MutationAddLearningPathMediaArgs } from '../generated/graphql.js';
import { addLearningPathMedia } from '../learning-paths/service.js';
import { resolver } from '../lib/appsync.js';
import { config } from '../lib/config.js';
import { media } from '../wiring/media.js';
import { paths } from '../wiring/paths.js';
import { newId, now, warn } from '../wiring/runtime.js';
import { urls } from '../wiring/signers.js';

export const handler = resolver<MutationAddLearningPathMediaArgs, LearningPath>((args, actor) =>
  addLearningPathMedia({ paths, media, urls, now, newId, warn, mediaUploadMaxBytes: config.mediaUploadMaxBytes }, actor, args.input),
);
