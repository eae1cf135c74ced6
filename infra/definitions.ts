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

/**
 * Limits on one GraphQL request. AppSync enforces the first two (the CDK stack sets them on the
 * API); the local stack enforces all of them before any resolver runs, the last five being bounds
 * the simulator lacks (see docs/local-vs-aws.md).
 */
export const REQUEST_LIMITS = {
  /** The deepest selection a query may have. */
  queryDepth: 10,
  /** Resolvers one request may run, aliases included; only root fields have resolvers here. */
  resolverCount: 20,
  /** Lexical tokens in one document: bounds the work of parsing and validating it. */
  documentTokens: 10_000,
  /** Field selections in one document as written: bounds the validation work a request can cause. */
  documentFields: 1000,
  /** Validation errors reported before validation stops. */
  validationErrors: 20,
  /** Bytes of one HTTP request body or realtime message, after decompression. */
  requestBytes: 1024 * 1024,
} as const;

/** Stages of a deployment; the local stack runs as dev. */
export type StageName = 'dev' | 'prod';

/** Whether a stage answers schema introspection: not in prod, so the schema is not handed to anyone holding the key. */
export const INTROSPECTION: Readonly<Record<StageName, boolean>> = { dev: true, prod: false };
