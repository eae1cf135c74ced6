import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { logger } from '../../resolvers/lib/logger.js';
import { media } from '../../resolvers/wiring/media.js';
import { paths } from '../../resolvers/wiring/paths.js';
import { now } from '../../resolvers/wiring/runtime.js';
import { ORPHAN_METRIC, reconcileMedia } from '../media-reconciler.js';

const metrics = new Metrics({ namespace: ORPHAN_METRIC.namespace, serviceName: 'media-reconciler' });

/** Time kept in hand when stopping between pages, so the metric is published before the function times out. */
const STOP_MARGIN_MS = 30_000;

/** The scheduled media reconciler: publishes how many orphans it removed (an alarm watches that metric). */
export async function handler(_event: unknown, context: Pick<Context, 'getRemainingTimeInMillis'>) {
  const report = await reconcileMedia({ paths, media, now }, { shouldStop: () => context.getRemainingTimeInMillis() < STOP_MARGIN_MS });
  metrics.addMetric(ORPHAN_METRIC.name, MetricUnit.Count, report.removed.length);
  metrics.publishStoredMetrics();
  logger.info('Media reconciled', { listed: report.listed, removed: report.removed, complete: report.complete });
  return { listed: report.listed, removed: report.removed.length, complete: report.complete };
}
