/**
 * Definitions that the local stack and the CDK stack share, so both create the same table, bucket
 * and function environment, from the same schema and mapping templates.
 */
import { join } from 'node:path';
import { type CorsRule, HttpMethods } from 'aws-cdk-lib/aws-s3';
import { DEFAULT_MEDIA_UPLOAD_MAX_BYTES, OWNER_INDEX, SECONDARY_INDEXES, TABLE_KEY } from '../resolvers/storage.js';

export { OWNER_INDEX, SECONDARY_INDEXES, TABLE_KEY };

export const REPOSITORY_ROOT = join(import.meta.dirname, '..');
export const SCHEMA_PATH = join(REPOSITORY_ROOT, 'schema', 'schema.graphql');
export const REQUEST_TEMPLATE_PATH = join(REPOSITORY_ROOT, 'resolvers', 'templates', 'invoke.request.vtl');
export const RESPONSE_TEMPLATE_PATH = join(REPOSITORY_ROOT, 'resolvers', 'templates', 'invoke.response.vtl');

/** The environment every resolver function gets, locally and in Lambda. */
export function functionEnvironment(names: { tableName: string; bucketName: string }): Record<string, string> {
  return {
    TABLE_NAME: names.tableName,
    BUCKET_NAME: names.bucketName,
    MEDIA_URL_TTL_SECONDS: '900',
    MEDIA_UPLOAD_MAX_BYTES: String(DEFAULT_MEDIA_UPLOAD_MAX_BYTES),
    POWERTOOLS_SERVICE_NAME: 'learning-paths',
  };
}

/**
 * Browser access to the media bucket: presigned GETs and PUTs from the configured origins, with
 * preflights cached for 50 minutes. Typed with CDK's own rule, so a misspelt field cannot compile.
 */
export function mediaCorsRule(allowedOrigins: readonly string[]): CorsRule {
  return {
    allowedOrigins: [...allowedOrigins],
    allowedMethods: [HttpMethods.GET, HttpMethods.PUT, HttpMethods.HEAD],
    allowedHeaders: ['*'],
    exposedHeaders: ['ETag'],
    maxAge: 3000,
  };
}
