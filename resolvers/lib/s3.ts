import { S3Client } from '@aws-sdk/client-s3';
import { config } from './config.js';

/**
 * Retry and timeout settings of every S3 call: at most 3 attempts ('standard' mode), each given 1 s
 * to connect and 3 s without progress (an inline upload is at most 512 KiB). Worst case about
 * 3 × 4 s plus backoff for one call. S3 writes here are idempotent (PUT of a fresh key, DELETE).
 */
export const S3_CLIENT_SETTINGS = {
  maxAttempts: 3,
  retryMode: 'standard',
  requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 },
} as const;

/** Built once per execution environment; the endpoint comes from AWS_ENDPOINT_URL_S3 when set. */
export const s3Client = new S3Client({ ...S3_CLIENT_SETTINGS, forcePathStyle: config.s3ForcePathStyle });
