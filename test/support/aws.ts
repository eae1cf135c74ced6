import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';

/** Clients of the test run's DynamoDB Local and s3rver, for checking what the API stored. */
export function localAws() {
  const stack = inject('localStack');
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: stack.dynamoDbEndpoint, region: 'us-east-1', credentials }));
  const s3 = new S3Client({
    endpoint: stack.s3Endpoint,
    region: 'us-east-1',
    credentials,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
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
