import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { clientSettings, DYNAMODB_CLIENT_SETTINGS } from './sdk-settings.js';

export { DYNAMODB_CLIENT_SETTINGS };

/** Built once per execution environment; the endpoint comes from AWS_ENDPOINT_URL_DYNAMODB when set. */
export const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient(clientSettings(DYNAMODB_CLIENT_SETTINGS)), {
  marshallOptions: { removeUndefinedValues: true },
});
