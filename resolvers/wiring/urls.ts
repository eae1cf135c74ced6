import { fromEnv } from '@aws-sdk/credential-provider-env';
import { SigV4MediaUrlSigner } from '../learning-paths/sigv4-media-url-signer.js';
import { config } from '../lib/config.js';

/** Signs media GET URLs without loading the S3 client, so functions that only sign stay DynamoDB-sized. */
export const urls = new SigV4MediaUrlSigner({
  bucket: config.bucketName,
  region: config.region,
  credentials: fromEnv(),
  expiresInSeconds: config.mediaUrlTtlSeconds,
  endpoint: config.s3Endpoint,
  forcePathStyle: config.s3ForcePathStyle,
});
