import type { LearningPath, MutationAddLearningPathMediaArgs } from '../generated/graphql.js';
import { addLearningPathMedia } from '../learning-paths/service.js';
import { resolver } from '../lib/appsync.js';
import { config } from '../lib/config.js';
import { actorFromIdentity } from '../lib/identity.js';
import { media } from '../wiring/media.js';
import { paths } from '../wiring/paths.js';
import { newId, now, warn } from '../wiring/runtime.js';
import { urls } from '../wiring/signers.js';

export const handler = resolver<MutationAddLearningPathMediaArgs, LearningPath>((args, event) =>
  addLearningPathMedia(
    { paths, media, urls, now, newId, warn, mediaUploadMaxBytes: config.mediaUploadMaxBytes },
    actorFromIdentity(event.identity),
    args.input,
  ),
);
