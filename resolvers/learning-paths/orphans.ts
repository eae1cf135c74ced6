import { MEDIA_PREFIX } from '../storage.js';
import type { LearningPathStore, MediaStore, StoredObject } from './store.js';

/**
 * How long a request can hold a media object it stored but has not linked yet: resolver functions
 * time out well within it (AppSync itself waits at most 30 s). An object older than this that no
 * record points at can never become referenced, which makes removing it safe beside live traffic.
 */
export const IN_FLIGHT_WINDOW_MS = 60_000;

/** The path id of a media key `media/<pathId>/<objectId>`, or undefined for any other key. */
export function pathIdOf(key: string): string | undefined {
  if (!key.startsWith(MEDIA_PREFIX)) return undefined;
  const [pathId, objectId, ...rest] = key.slice(MEDIA_PREFIX.length).split('/');
  return pathId && objectId && rest.length === 0 ? pathId : undefined;
}

/**
 * Removes the listed objects that were last modified before `cutoff` and that no record points at,
 * re-reading the record (strongly consistent) right before each removal. Returns the keys removed.
 * Idempotent: a second run finds nothing more to remove.
 */
export async function removeUnreferenced(
  deps: { paths: Pick<LearningPathStore, 'get'>; media: Pick<MediaStore, 'delete'> },
  objects: readonly StoredObject[],
  cutoff: Date,
): Promise<string[]> {
  const removed: string[] = [];
  for (const { key, lastModified } of objects) {
    if (lastModified >= cutoff) continue;
    const pathId = pathIdOf(key);
    if (pathId === undefined) continue;
    const path = await deps.paths.get(pathId);
    if (path?.media?.key === key) continue;
    await deps.media.delete(key);
    removed.push(key);
  }
  return removed;
}
