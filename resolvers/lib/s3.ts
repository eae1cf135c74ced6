import { S3Client } from '@aws-sdk/client-s3';
import { config } from './config.js';

/**
 * Retry and timeout settings of every S3 call: at most 3 attempts ('standard' mode), each given 1 s
 * to connect and 3 s in all (an inline upload is at most 512 KiB), a timeout being an error (see
 * dynamodb.ts). Worst case about 3 × 3 s plus backoff for one call. S3 writes here are idempotent (PUT of a fresh key, DELETE).
 */
export const S3_CLIENT_SETTINGS = {
  maxAttempts: 3,
  retryMode: 'standard',
  requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000, throwOnRequestTimeout: true },
} as const;

/**
 * Built once per execution environment; the endpoint comes from AWS_ENDPOINT_URL_S3 when set.
 * Checksums only when required: otherwise presigned PUT URLs carry the CRC32 of an empty body and
 * S3 refuses every upload made with them.
 */
export const s3Client = new S3Client({
  ...S3_CLIENT_SETTINGS,
  forcePathStyle: config.s3ForcePathStyle,
  requestChecksumCalculation: 'WHEN_REQUIRED',
});
