import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { paginateListObjectsV2, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';

interface Endpoints {
  dynamoDbEndpoint: string;
  s3Endpoint: string;
  tableName: string;
  bucketName: string;
}

/**
 * Compares the bucket with the table: every object must be the media of a stored path (nothing left
 * under uploads/, nothing unreferenced under media/) and every referenced object must exist.
 */
export async function auditBucket(endpoints: Endpoints): Promise<{ unreferenced: string[]; missing: string[] }> {
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  const s3 = new S3Client({ endpoint: endpoints.s3Endpoint, region: 'us-east-1', forcePathStyle: true, credentials });
  const dynamo = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: endpoints.dynamoDbEndpoint, region: 'us-east-1', credentials }),
  );
  try {
    const objects = new Set<string>();
    for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: endpoints.bucketName })) {
      for (const object of page.Contents ?? []) if (object.Key !== undefined) objects.add(object.Key);
    }
    const referenced = new Set<string>();
    for await (const page of paginateScan({ client: dynamo }, { TableName: endpoints.tableName, ConsistentRead: true })) {
      for (const item of page.Items ?? []) {
        const key = (item as { media?: { key?: string } }).media?.key;
        if (key !== undefined) referenced.add(key);
      }
    }
    return {
      unreferenced: [...objects].filter((key) => !referenced.has(key)).sort(),
      missing: [...referenced].filter((key) => !objects.has(key)).sort(),
    };
  } finally {
    s3.destroy();
    dynamo.destroy();
  }
}
