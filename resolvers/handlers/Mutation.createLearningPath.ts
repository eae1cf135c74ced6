import type { LearningPath, MutationCreateLearningPathArgs } from '../generated/graphql.js';
import { createLearningPath } from '../learning-paths/service.js';
import { resolver } from '../lib/appsync.js';
import { paths } from '../wiring/paths.js';
import { newId, now } from '../wiring/runtime.js';

/** Only a retried create of a path that has media since signs a URL: load the signer only then. */
const urls = { urlFor: async (key: string) => (await import('../wiring/signers.js')).urls.urlFor(key) };

export const handler = resolver<MutationCreateLearningPathArgs, LearningPath>((args, actor) =>
  createLearningPath({ paths, urls, now, newId }, actor, args.input),
);
