import { createServer, type Server, type Socket } from 'node:net';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DYNAMODB_CLIENT_SETTINGS } from '../../resolvers/lib/dynamodb.js';
import { S3_CLIENT_SETTINGS } from '../../resolvers/lib/s3.js';

/** A server that accepts connections and never answers: the hung call the settings must end. */
let server: Server;
let endpoint: string;
const connections: Socket[] = [];

beforeAll(async () => {
  server = createServer((socket) => connections.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  for (const socket of connections) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});

const credentials = { accessKeyId: 'hung', secretAccessKey: 'hung' };

describe.concurrent('the SDK settings end a call that never answers', () => {
  it('gives up on DynamoDB after maxAttempts request timeouts', async () => {
    const client = new DynamoDBClient({ ...DYNAMODB_CLIENT_SETTINGS, endpoint, region: 'us-east-1', credentials });
    const failure = await client.send(new GetItemCommand({ TableName: 'hung', Key: { id: { S: 'x' } } })).catch((error: unknown) => error);
    expect(failure).toMatchObject({ name: 'TimeoutError', $metadata: { attempts: DYNAMODB_CLIENT_SETTINGS.maxAttempts } });
    client.destroy();
  });

  it('gives up on S3 after maxAttempts request timeouts', async () => {
    const client = new S3Client({ ...S3_CLIENT_SETTINGS, endpoint, region: 'us-east-1', credentials, forcePathStyle: true });
    const failure = await client
      .send(new PutObjectCommand({ Bucket: 'hung', Key: 'x', Body: 'x', ContentLength: 1 }))
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ name: 'TimeoutError', $metadata: { attempts: S3_CLIENT_SETTINGS.maxAttempts } });
    client.destroy();
  });
});
