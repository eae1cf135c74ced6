import { IN_FLIGHT_WINDOW_MS, removeUnreferenced } from '../resolvers/learning-paths/orphans.js';
import type { LearningPathStore, MediaStore } from '../resolvers/learning-paths/store.js';
import { MEDIA_PREFIX } from '../resolvers/storage.js';

/**
 * Age after which a media object that no record points at is removed. Far beyond the longest a
 * request can hold an object before linking it (IN_FLIGHT_WINDOW_MS), so the reconciler never races
 * an attach in flight; short enough that leftovers of failures do not pile up.
 */
export const ORPHAN_MIN_AGE_MS = 60 * 60 * 1000;
if (ORPHAN_MIN_AGE_MS <= IN_FLIGHT_WINDOW_MS) throw new Error('The orphan age must exceed the in-flight window');

/** How often the reconciler runs on AWS. An orphan lives at most ORPHAN_MIN_AGE_MS plus this, plus one run. */
export const RECONCILER_INTERVAL_MINUTES = 30;

/** Name and namespace of the metric that counts removals (each one means a failure path ran). */
export const ORPHAN_METRIC = { namespace: 'LearningPaths', name: 'OrphanedMediaRemoved' } as const;

export interface ReconcilerDependencies {
  paths: Pick<LearningPathStore, 'get'>;
  media: Pick<MediaStore, 'listUnder' | 'delete'>;
  /** The current time as an ISO 8601 string. */
  now: () => string;
}

export interface ReconcileReport {
  /** Objects under media/ that were listed. */
  listed: number;
  /** Keys removed, none of which a record pointed at when it was removed. */
  removed: string[];
  /** False when the run stopped early (out of time); the next run carries on, since every step is idempotent. */
  complete: boolean;
}

/**
 * Removes every media object unreferenced for more than ORPHAN_MIN_AGE_MS: listed under media/,
 * older than the cutoff, and not the media of its path by a consistent read made right before the
 * delete. Safe beside live traffic and idempotent; `shouldStop` ends a run between pages; `prefix`
 * narrows the run to part of media/ (one path's objects).
 */
export async function reconcileMedia(
  deps: ReconcilerDependencies,
  options: { shouldStop?: () => boolean; prefix?: string } = {},
): Promise<ReconcileReport> {
  const { shouldStop = () => false, prefix = MEDIA_PREFIX } = options;
  if (!prefix.startsWith(MEDIA_PREFIX)) throw new Error(`The reconciler works under ${MEDIA_PREFIX} only`);
  const cutoff = new Date(Date.parse(deps.now()) - ORPHAN_MIN_AGE_MS);
  const report: ReconcileReport = { listed: 0, removed: [], complete: true };
  for await (const page of deps.media.listUnder(prefix)) {
    report.listed += page.length;
    report.removed.push(...(await removeUnreferenced(deps, page, cutoff)));
    if (shouldStop()) {
      report.complete = false;
      break;
    }
  }
  return report;
}
