import type { MutationCreateMediaUploadArgs } from '../generated/graphql.js';
import { createMediaUpload, type MediaUploadTicket } from '../learning-paths/service.js';
import { resolver } from '../lib/appsync.js';
import { config } from '../lib/config.js';
import { paths } from '../wiring/paths.js';
import { newId, now } from '../wiring/runtime.js';
import { uploads } from '../wiring/signers.js';

export const handler = resolver<MutationCreateMediaUploadArgs, MediaUploadTicket>((args, actor) =>
  createMediaUpload({ paths, uploads, now, newId, mediaUploadMaxBytes: config.mediaUploadMaxBytes }, actor, args.input),
);
