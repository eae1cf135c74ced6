import { S3Client } from '@aws-sdk/client-s3';
import { config } from './config.js';
import { clientSettings, S3_CLIENT_SETTINGS } from './sdk-settings.js';

export { S3_CLIENT_SETTINGS };

/**
 * Built once per execution environment; the endpoint comes from AWS_ENDPOINT_URL_S3 when set.
 * Checksums only when required: otherwise presigned PUT URLs carry the CRC32 of an empty body and
 * S3 refuses every upload made with them.
 */
export const s3Client = new S3Client({
  ...clientSettings(S3_CLIENT_SETTINGS),
  forcePathStyle: config.s3ForcePathStyle,
  requestChecksumCalculation: 'WHEN_REQUIRED',
});
