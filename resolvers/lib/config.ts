import { DEFAULT_MEDIA_UPLOAD_MAX_BYTES } from '../storage.js';

/** Function configuration, read and checked once at cold start: a missing variable fails loudly. */

function requiredString(name: string): string {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') {
    throw new Error(`Environment variable ${name} is required`);
  }
  return value;
}

function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new Error(`Environment variable ${name} must be a positive integer, got "${raw}"`);
  }
  return value;
}

export interface Config {
  readonly tableName: string;
  readonly bucketName: string;
  /** Lifetime of presigned media GET URLs. */
  readonly mediaUrlTtlSeconds: number;
  /** Largest media file accepted through a presigned upload. */
  readonly mediaUploadMaxBytes: number;
  /** Path-style S3 addressing, which the local S3 (s3rver) needs; AWS uses virtual-hosted style. */
  readonly s3ForcePathStyle: boolean;
  /** Region of the function (set by Lambda), which media URLs are signed for. */
  readonly region: string;
  /** A custom S3 endpoint (the local s3rver); undefined on AWS. */
  readonly s3Endpoint: string | undefined;
}

export const config: Config = {
  tableName: requiredString('TABLE_NAME'),
  bucketName: requiredString('BUCKET_NAME'),
  mediaUrlTtlSeconds: positiveInteger('MEDIA_URL_TTL_SECONDS', 900),
  mediaUploadMaxBytes: positiveInteger('MEDIA_UPLOAD_MAX_BYTES', DEFAULT_MEDIA_UPLOAD_MAX_BYTES),
  s3ForcePathStyle: process.env.S3_FORCE_PATH_STYLE === 'true',
  region: requiredString('AWS_REGION'),
  s3Endpoint: process.env.AWS_ENDPOINT_URL_S3 || undefined,
};
