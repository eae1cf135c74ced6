import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { describe, expect, it } from 'vitest';
import { SigV4MediaSigner } from '../../resolvers/learning-paths/sigv4-media-signer.js';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'token/with+chars=',
};
const signingDate = new Date('2025-03-04T05:06:07Z');
const keys = ['media/5b1d0e0e-6f1e-4f43-9d0a-3f1c2b8e7a10/0c9e2f4a-1b3d-4e5f-8a7b-9c0d1e2f3a4b', "media/a b/ü+(x)*!~'.png"];

type Settings = { endpoint?: string; forcePathStyle: boolean; region: string };
type Request = { method: 'GET' } | { method: 'PUT'; contentType: string; contentLength: number };

/** The URL the S3 client's presigner makes (as the API made them before), which the light signer must reproduce exactly. */
async function sdkUrl(key: string, settings: Settings, request: Request) {
  // The test environment points the SDK at the local S3; the AWS case must not see that.
  const localEndpoint = process.env.AWS_ENDPOINT_URL_S3;
  delete process.env.AWS_ENDPOINT_URL_S3;
  try {
    const client = new S3Client({ ...settings, credentials, requestChecksumCalculation: 'WHEN_REQUIRED' });
    const Bucket = 'learning-paths-media';
    if (request.method === 'GET') {
      return await getSignedUrl(client, new GetObjectCommand({ Bucket, Key: key }), { expiresIn: 900, signingDate });
    }
    return await getSignedUrl(
      client,
      new PutObjectCommand({ Bucket, Key: key, ContentType: request.contentType, ContentLength: request.contentLength }),
      { expiresIn: 300, signingDate, signableHeaders: new Set(['content-type', 'content-length']) },
    );
  } finally {
    if (localEndpoint !== undefined) process.env.AWS_ENDPOINT_URL_S3 = localEndpoint;
  }
}

function lightUrl(key: string, settings: Settings, request: Request) {
  const signer = new SigV4MediaSigner({
    ...settings,
    bucket: 'learning-paths-media',
    credentials: async () => credentials,
    expiresInSeconds: 900,
    signingDate: () => signingDate,
  });
  return request.method === 'GET' ? signer.urlFor(key) : signer.uploadUrlFor(key, request.contentType, request.contentLength, 300);
}

const onAws: Settings = { region: 'eu-west-1', forcePathStyle: false };
const local: Settings = { region: 'us-east-1', forcePathStyle: true, endpoint: 'http://127.0.0.1:4569' };
const get: Request = { method: 'GET' };
const put: Request = { method: 'PUT', contentType: 'image/png', contentLength: 12345 };

describe('SigV4MediaSigner', () => {
  it.each(keys)('signs the same virtual-hosted AWS GET URL as the S3 client for %s', async (key) => {
    expect(await lightUrl(key, onAws, get)).toBe(await sdkUrl(key, onAws, get));
  });

  it.each(keys)('signs the same path-style GET URL on a custom endpoint as the S3 client for %s', async (key) => {
    expect(await lightUrl(key, local, get)).toBe(await sdkUrl(key, local, get));
  });

  it.each([onAws, local])('signs the same upload PUT URL as the S3 client, type and length included (%o)', async (settings) => {
    const key = 'uploads/5b1d0e0e-6f1e-4f43-9d0a-3f1c2b8e7a10/0c9e2f4a-1b3d-4e5f-8a7b-9c0d1e2f3a4b';
    const url = await lightUrl(key, settings, put);
    expect(url).toBe(await sdkUrl(key, settings, put));
    expect(new URL(url).searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');
  });

  it('signs only the host of a GET URL, for the configured lifetime', async () => {
    const url = new URL(await lightUrl(keys[0] as string, { region: 'us-east-1', forcePathStyle: false }, get));
    expect(url.hostname).toBe('learning-paths-media.s3.us-east-1.amazonaws.com');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host');
  });
});
