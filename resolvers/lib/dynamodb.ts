import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type ClientRetrySettings, clientRetryOptions, markUnknownOutcomes } from './retry.js';

/**
 * Retry and timeout settings of every DynamoDB call, chosen so that a hung call ends well within the
 * function timeout: at most 3 attempts, each given 500 ms to connect and 2 s in all, with exponential
 * backoff (full jitter, base 100 ms; 500 ms after throttling). Without `throwOnRequestTimeout` the HTTP
 * handler only logs a warning when requestTimeout passes and the call hangs on.
 * Reads are retried after throttling, 5xx, timeouts and connection errors: worst case 3 × 2 s plus
 * backoff. The writes are retried only after throttling or a connection that never opened; after a
 * timeout or a 5xx they fail after one attempt (at most 2 s) and the store settles their outcome with
 * one consistent GetItem (see dynamodb-store.ts).
 */
export const DYNAMODB_CLIENT_SETTINGS = {
  maxAttempts: 3,
  backoffBaseMs: 100,
  requestHandler: { connectionTimeout: 500, requestTimeout: 2_000, throwOnRequestTimeout: true },
  settledCommands: ['PutItem', 'UpdateItem', 'DeleteItem'],
} as const satisfies ClientRetrySettings;

/** Built once per execution environment; the endpoint comes from AWS_ENDPOINT_URL_DYNAMODB when set. */
export const documentClient = DynamoDBDocumentClient.from(
  markUnknownOutcomes(new DynamoDBClient(clientRetryOptions(DYNAMODB_CLIENT_SETTINGS)), DYNAMODB_CLIENT_SETTINGS),
  { marshallOptions: { removeUndefinedValues: true } },
);
