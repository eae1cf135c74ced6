/**
 * Retry and timeout settings of the AWS SDK clients, free of side effects so that the CDK stack can
 * read them too: each function's timeout is derived from these (resolvers/call-budget.ts).
 *
 * 'standard' retry mode retries throttling, 5xx and timeouts, not other 4xx, with exponential backoff
 * and jitter. Without `throwOnRequestTimeout` the HTTP handler only logs a warning when
 * requestTimeout passes and the call hangs on. The request timer starts with the request, so it
 * covers connecting as well; the connection timeout ends an unreachable endpoint sooner.
 */

/**
 * DynamoDB: 2 attempts, 1 s each. Single-item calls answer in milliseconds and a page (at most
 * 100 items, 1 MB) in well under a second. `settledCommands`, the writes, are retried only after a
 * failure that proves nothing was applied (throttling, a connection never opened); after a timeout
 * or a 5xx they fail after that attempt and the store settles their outcome with one consistent
 * GetItem (lib/retry.ts, dynamodb-store.ts).
 */
export const DYNAMODB_CLIENT_SETTINGS = {
  maxAttempts: 2,
  retryMode: 'standard',
  requestHandler: { connectionTimeout: 250, requestTimeout: 1_000, throwOnRequestTimeout: true },
  settledCommands: ['PutItem', 'UpdateItem', 'DeleteItem'],
} as const;

/**
 * S3: 2 attempts, 1.75 s each: enough for an inline PUT of at most 512 KiB and a server-side copy of
 * an upload (25 MiB by default) within the region. Every S3 write here is idempotent, so retrying it
 * is safe: a PUT or a copy to a fresh key (the copy only while the source has the verified ETag; a
 * retry after the upload changed fails, and its copy is removed), and DELETE.
 */
export const S3_CLIENT_SETTINGS = {
  maxAttempts: 2,
  retryMode: 'standard',
  requestHandler: { connectionTimeout: 250, requestTimeout: 1_750, throwOnRequestTimeout: true },
} as const;

/** AppSync's control plane (the API key renewal job): one call a run, no hurry. */
export const APPSYNC_CLIENT_SETTINGS = {
  maxAttempts: 3,
  retryMode: 'standard',
  requestHandler: { connectionTimeout: 1_000, requestTimeout: 5_000, throwOnRequestTimeout: true },
} as const;

/** The settings every client here is built with. */
export interface ClientSettings {
  readonly maxAttempts: number;
  readonly requestHandler: { readonly connectionTimeout: number; readonly requestTimeout: number };
}

/** Environment variable that stretches the timeouts for the local stand-ins; never set in Lambda. */
export const LOCAL_TIMEOUT_SCALE_VARIABLE = 'LOCAL_SDK_TIMEOUT_SCALE';

/**
 * The settings a client is built with: as declared, or with timeouts multiplied by
 * LOCAL_SDK_TIMEOUT_SCALE, which the local stack sets because DynamoDB Local (a JVM) and s3rver on a
 * busy laptop answer far slower than AWS does within a region.
 */
export function clientSettings<T extends ClientSettings>(settings: T): T {
  const raw = process.env[LOCAL_TIMEOUT_SCALE_VARIABLE];
  if (raw === undefined || raw === '') return settings;
  const scale = Number(raw);
  if (!Number.isFinite(scale) || scale < 1) throw new Error(`${LOCAL_TIMEOUT_SCALE_VARIABLE} must be a number of at least 1, got "${raw}"`);
  const { connectionTimeout, requestTimeout } = settings.requestHandler;
  return {
    ...settings,
    requestHandler: { ...settings.requestHandler, connectionTimeout: connectionTimeout * scale, requestTimeout: requestTimeout * scale },
  };
}
