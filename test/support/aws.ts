import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { localDocumentClient, localS3Client } from '../../infra/local/clients.js';

/** Clients of the test run's DynamoDB Local and s3rver, for checking what the API stored. */
export function localAws() {
  const stack = inject('localStack');
  const documents = localDocumentClient(stack.dynamoDbEndpoint);
  const s3 = localS3Client(stack.s3Endpoint);
  return {
    stack,
    documents,
    s3,
    async objectExists(key: string): Promise<boolean> {
      try {
        await s3.send(new HeadObjectCommand({ Bucket: stack.bucketName, Key: key }));
        return true;
      } catch (error) {
        if ((error as { name?: string }).name === 'NotFound') return false;
        throw error;
      }
    },
    async objectBytes(key: string): Promise<Buffer> {
      const { Body } = await s3.send(new GetObjectCommand({ Bucket: stack.bucketName, Key: key }));
      return Buffer.from((await Body?.transformToByteArray()) ?? []);
    },
    async objectKeys(prefix: string): Promise<string[]> {
      const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: stack.bucketName, Prefix: prefix }));
      return Contents.map((object) => object.Key ?? '');
    },
    async allItems(): Promise<Record<string, unknown>[]> {
      const items: Record<string, unknown>[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await documents.send(new ScanCommand({ TableName: stack.tableName, ExclusiveStartKey, ConsistentRead: true }));
        items.push(...(page.Items ?? []));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return items;
    },
  };
}
