import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { describe, expect, it } from 'vitest';
import { SigV4MediaUrlSigner } from '../../resolvers/learning-paths/sigv4-media-url-signer.js';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'token/with+chars=',
};
const signingDate = new Date('2025-03-04T05:06:07Z');
const keys = ['media/5b1d0e0e-6f1e-4f43-9d0a-3f1c2b8e7a10/0c9e2f4a-1b3d-4e5f-8a7b-9c0d1e2f3a4b', "media/a b/ü+(x)*!~'.png"];

/** The URL the S3 client's presigner makes, which the light signer must reproduce exactly. */
async function sdkUrl(key: string, settings: { endpoint?: string; forcePathStyle: boolean; region: string }) {
  // The test environment points the SDK at the local S3; the AWS case must not see that.
  const localEndpoint = process.env.AWS_ENDPOINT_URL_S3;
  delete process.env.AWS_ENDPOINT_URL_S3;
  try {
    const client = new S3Client({ ...settings, credentials });
    return await getSignedUrl(client, new GetObjectCommand({ Bucket: 'learning-paths-media', Key: key }), { expiresIn: 900, signingDate });
  } finally {
    if (localEndpoint !== undefined) process.env.AWS_ENDPOINT_URL_S3 = localEndpoint;
  }
}

function lightUrl(key: string, settings: { endpoint?: string; forcePathStyle: boolean; region: string }) {
  const signer = new SigV4MediaUrlSigner({
    ...settings,
    bucket: 'learning-paths-media',
    credentials: async () => credentials,
    expiresInSeconds: 900,
    signingDate: () => signingDate,
  });
  return signer.urlFor(key);
}

describe('SigV4MediaUrlSigner', () => {
  it.each(keys)('signs the same virtual-hosted AWS URL as the S3 client for %s', async (key) => {
    const settings = { region: 'eu-west-1', forcePathStyle: false };
    expect(await lightUrl(key, settings)).toBe(await sdkUrl(key, settings));
  });

  it.each(keys)('signs the same path-style URL on a custom endpoint as the S3 client for %s', async (key) => {
    const settings = { region: 'us-east-1', forcePathStyle: true, endpoint: 'http://127.0.0.1:4569' };
    expect(await lightUrl(key, settings)).toBe(await sdkUrl(key, settings));
  });

  it('signs a fresh URL at each call, valid for the configured lifetime', async () => {
    const url = new URL(await lightUrl(keys[0] as string, { region: 'us-east-1', forcePathStyle: false }));
    expect(url.hostname).toBe('learning-paths-media.s3.us-east-1.amazonaws.com');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host');
  });
});
