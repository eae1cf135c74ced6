import { paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { paginateScan } from '@aws-sdk/lib-dynamodb';
import { localDocumentClient, localS3Client } from '../../infra/local/clients.js';

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
  const s3 = localS3Client(endpoints.s3Endpoint);
  const dynamo = localDocumentClient(endpoints.dynamoDbEndpoint);
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
