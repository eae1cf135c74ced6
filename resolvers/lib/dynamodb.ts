import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * Retry and timeout settings of every DynamoDB call, chosen so that a hung call ends well within the
 * function timeout: at most 3 attempts ('standard' mode: exponential backoff with jitter, throttling
 * and 5xx and timeouts retried, other 4xx not), each given 500 ms to connect and 2 s in all. Without
 * `throwOnRequestTimeout` the HTTP handler only logs a warning when requestTimeout passes and the call
 * hangs on. Worst case about 3 × 2 s plus backoff, under 7 s. Writes stay correct when a retried attempt
 * repeats one that had already been applied (see dynamodb-store.ts).
 */
export const DYNAMODB_CLIENT_SETTINGS = {
  maxAttempts: 3,
  retryMode: 'standard',
  requestHandler: { connectionTimeout: 500, requestTimeout: 2_000, throwOnRequestTimeout: true },
} as const;

/** Built once per execution environment; the endpoint comes from AWS_ENDPOINT_URL_DYNAMODB when set. */
export const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ ...DYNAMODB_CLIENT_SETTINGS }), {
  marshallOptions: { removeUndefinedValues: true },
});
