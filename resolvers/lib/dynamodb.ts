import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { clientRetryOptions, markUnknownOutcomes } from './retry.js';
import { clientSettings, DYNAMODB_CLIENT_SETTINGS } from './sdk-settings.js';

export { DYNAMODB_CLIENT_SETTINGS };

/**
 * Built once per execution environment; the endpoint comes from AWS_ENDPOINT_URL_DYNAMODB when set.
 * Its settled commands (the writes) are not retried after a failure that may have applied them: the
 * store settles their outcome with one consistent GetItem (dynamodb-store.ts).
 */
export const documentClient = DynamoDBDocumentClient.from(
  markUnknownOutcomes(new DynamoDBClient(clientRetryOptions(clientSettings(DYNAMODB_CLIENT_SETTINGS))), DYNAMODB_CLIENT_SETTINGS),
  { marshallOptions: { removeUndefinedValues: true } },
);
