import { fromEnv } from '@aws-sdk/credential-provider-env';
import { SigV4MediaSigner } from '../learning-paths/sigv4-media-signer.js';
import { config } from '../lib/config.js';

/** Signs media URLs without loading the S3 client, so functions that only sign stay DynamoDB-sized. */
const signer = new SigV4MediaSigner({
  bucket: config.bucketName,
  region: config.region,
  credentials: fromEnv(),
  expiresInSeconds: config.mediaUrlTtlSeconds,
  endpoint: config.s3Endpoint,
  forcePathStyle: config.s3ForcePathStyle,
});

/** Presigned GET URLs of media. */
export const urls = signer;
/** Presigned PUT URLs of uploads. */
export const uploads = signer;
