/**
 * A get-item handler with the DynamoDB document client and nothing else: bundled naively, it is the
 * reference a typical function starts from.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = (id: string) => client.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { id } }));
