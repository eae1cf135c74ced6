import { S3Client } from '@aws-sdk/client-s3';
import { config } from './config.js';
import { type ClientRetrySettings, clientRetryOptions, markUnknownOutcomes } from './retry.js';

/**
 * Retry and timeout settings of every S3 call: at most 3 attempts, each given 1 s to connect and 3 s
 * in all (an inline upload is at most 512 KiB), a timeout being an error (see dynamodb.ts), backoff as
 * there. Worst case about 3 × 3 s plus backoff for one call. PUT of a fresh key and DELETE are
 * idempotent and retried as usual; CopyObject is not retried after a failure that may have been
 * applied: its caller removes the copy's key and fails (a retry met 412 once the upload had changed).
 */
export const S3_CLIENT_SETTINGS = {
  maxAttempts: 3,
  backoffBaseMs: 100,
  requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000, throwOnRequestTimeout: true },
  settledCommands: ['CopyObject'],
} as const satisfies ClientRetrySettings;

/**
 * Built once per execution environment; the endpoint comes from AWS_ENDPOINT_URL_S3 when set.
 * Checksums only when required: otherwise presigned PUT URLs carry the CRC32 of an empty body and
 * S3 refuses every upload made with them.
 */
export const s3Client = markUnknownOutcomes(
  new S3Client({
    ...clientRetryOptions(S3_CLIENT_SETTINGS),
    forcePathStyle: config.s3ForcePathStyle,
    requestChecksumCalculation: 'WHEN_REQUIRED',
  }),
  S3_CLIENT_SETTINGS,
);
