/**
 * How long a handler may take at worst, from the SDK settings its clients are built with and the AWS
 * calls it makes one after another. The CDK stack sets each function's timeout from this, so a
 * function is never stopped while its SDK calls (and the cleanups after them) may still be running.
 */
import { MAXIMUM_RETRY_DELAY, Retry } from '@smithy/core/retry';
import { APPSYNC_CLIENT_SETTINGS, type ClientSettings, DYNAMODB_CLIENT_SETTINGS, S3_CLIENT_SETTINGS } from './lib/sdk-settings.js';

/** AppSync waits at most 30 s for a resolver; a function must end before that. */
export const APPSYNC_RESOLVER_TIMEOUT_SECONDS = 30;

/** Time a handler spends outside SDK calls: parsing, verifying up to 512 KiB of media, signing URLs. */
export const HANDLER_OVERHEAD_MS = 500;

/** An AWS call a handler makes, as `service:Operation`. */
export type SdkCall =
  | 'dynamodb:GetItem'
  | 'dynamodb:PutItem'
  | 'dynamodb:UpdateItem'
  | 'dynamodb:DeleteItem'
  | 'dynamodb:Scan'
  | 'dynamodb:Query'
  | 's3:GetObject'
  | 's3:PutObject'
  | 's3:CopyObject'
  | 's3:DeleteObject'
  | 's3:ListObjectsV2'
  | 'appsync:UpdateApiKey';

/** The client settings each call is made with: one line to change when a call gets its own settings. */
export const CALL_SETTINGS: Readonly<Record<SdkCall, ClientSettings>> = {
  'dynamodb:GetItem': DYNAMODB_CLIENT_SETTINGS,
  'dynamodb:PutItem': DYNAMODB_CLIENT_SETTINGS,
  'dynamodb:UpdateItem': DYNAMODB_CLIENT_SETTINGS,
  'dynamodb:DeleteItem': DYNAMODB_CLIENT_SETTINGS,
  'dynamodb:Scan': DYNAMODB_CLIENT_SETTINGS,
  'dynamodb:Query': DYNAMODB_CLIENT_SETTINGS,
  's3:GetObject': S3_CLIENT_SETTINGS,
  's3:PutObject': S3_CLIENT_SETTINGS,
  's3:CopyObject': S3_CLIENT_SETTINGS,
  's3:DeleteObject': S3_CLIENT_SETTINGS,
  's3:ListObjectsV2': S3_CLIENT_SETTINGS,
  'appsync:UpdateApiKey': APPSYNC_CLIENT_SETTINGS,
};

/**
 * The longest wait of the SDK's standard retry strategy before retry number `retry` (0 for the first
 * retry): full jitter below base × 2^retry, with throttling's base, the larger one. (A Retry-After
 * header could stretch it; DynamoDB and S3 do not send one.)
 */
export function maxBackoffMs(retry: number): number {
  return Math.min(Retry.throttlingDelay() * 2 ** retry, MAXIMUM_RETRY_DELAY);
}

/** One call at worst: every attempt runs into its connection and request timeouts, every retry waits its longest backoff. */
export function callBudgetMs({ maxAttempts, requestHandler }: ClientSettings): number {
  let budget = maxAttempts * (requestHandler.connectionTimeout + requestHandler.requestTimeout);
  for (let retry = 0; retry < maxAttempts - 1; retry++) budget += maxBackoffMs(retry);
  return budget;
}

/** The worst case of a handler: the longest of its call sequences, each call at its worst. */
export function handlerBudgetMs(callSequences: readonly (readonly SdkCall[])[]): number {
  return Math.max(0, ...callSequences.map((calls) => calls.reduce((sum, call) => sum + callBudgetMs(CALL_SETTINGS[call]), 0)));
}

/**
 * The function timeout, in whole seconds, above the handler's worst case plus its own work. Throws
 * when that reaches AppSync's limit: the settings or the calls must change, not the timeout.
 */
export function functionTimeoutSeconds(callSequences: readonly (readonly SdkCall[])[]): number {
  const seconds = Math.ceil((handlerBudgetMs(callSequences) + HANDLER_OVERHEAD_MS) / 1000);
  if (seconds >= APPSYNC_RESOLVER_TIMEOUT_SECONDS) {
    throw new Error(
      `A worst case of ${seconds} s does not fit AppSync's ${APPSYNC_RESOLVER_TIMEOUT_SECONDS} s: shorten the SDK settings or the calls`,
    );
  }
  return seconds;
}
