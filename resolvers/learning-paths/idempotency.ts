import { createHash } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';

/** Fixed namespace of path ids derived from client tokens; changing it would orphan every token. */
const CLIENT_TOKEN_NAMESPACE = '6f1c2b9e-4d7a-4c35-9a0e-8b2f5d3c1e74';

/**
 * The path id a clientToken of an owner stands for (a UUID v5), so that every attempt of one create
 * writes the same item and a single conditional put decides which attempt made it. The owner is part
 * of the name, so two users' equal tokens stand for two paths. Random ids are v4, so a derived id
 * never collides with one.
 */
export function pathIdForClientToken(owner: string, clientToken: string): string {
  return uuidv5(JSON.stringify([owner, clientToken]), CLIENT_TOKEN_NAMESPACE);
}

/** A digest of the normalized create input: equal for a retry, different for another request. */
export function createInputHash(fields: { name: string; description?: string }): string {
  return createHash('sha256')
    .update(JSON.stringify([fields.name, fields.description ?? null]))
    .digest('base64url');
}
