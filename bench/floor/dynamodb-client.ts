/**
 * The floor of a DynamoDB-only function's cold start: the document client alone, built like
 * resolvers/lib/dynamodb.ts and bundled with the same options, and nothing else.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = (id: string) => client.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { id } }));
