import { UnauthorizedError } from '../lib/errors.js';
import { type Actor, ADMINS_GROUP } from '../lib/identity.js';
import type { LearningPathRecord } from './model.js';

/**
 * The owner a new path gets: a user's `sub`, or an IAM caller's ARN (a back-end job creating on its
 * own behalf). Requests without an identity (API key) may not create.
 */
export function ownerFor(actor: Actor): string {
  if (actor.kind === 'user') return actor.sub;
  if (actor.kind === 'iam') return actor.userArn;
  throw new UnauthorizedError('A signed-in user is required to change learning paths.');
}

/**
 * The owner a change must find on the path, or undefined when the caller may change any path:
 * members of the admins group, and IAM callers, which are the account's own back-end jobs (the API
 * has no identity pool, so no end user ever reaches it through IAM).
 */
export function requiredOwner(actor: Actor): string | undefined {
  if (actor.kind === 'iam') return undefined;
  if (actor.kind === 'user') return actor.groups.includes(ADMINS_GROUP) ? undefined : actor.sub;
  throw new UnauthorizedError('A signed-in user is required to change learning paths.');
}

/** Refuses a change of a path the caller neither owns nor administers. */
export function assertMayChange(actor: Actor, record: LearningPathRecord): void {
  const owner = requiredOwner(actor);
  if (owner !== undefined && record.owner !== owner) throw notOwner(record.id);
}

export const notOwner = (id: string) => new UnauthorizedError(`Only the owner of learning path ${id} or an administrator may change it.`);
