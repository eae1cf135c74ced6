import { join } from 'node:path';
import { LOCAL_TIMEOUT_SCALE_VARIABLE } from '../../resolvers/lib/sdk-settings.js';
import { backfillCatalogueKeys } from '../backfill/catalogue-keys.js';
import { functionEnvironment, REPOSITORY_ROOT } from '../definitions.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION, localDocumentClient } from './clients.js';
import { ensureTable, startDynamoDbLocal } from './dynamodb-local.js';
import { freePort, loopbackEndpoint } from './ports.js';
import { startS3Local } from './s3-local.js';
import type { Certificate } from './tls.js';
import { WEB_EXAMPLE_PORT, webExampleOrigins } from './web-example.js';

export interface LocalStackOptions {
  /** Port of the GraphQL API; a free one when omitted. */
  port?: number;
  apiKey: string;
  /** Keep nothing on disk; otherwise data persists under `dataDir`. */
  inMemory: boolean;
  dataDir?: string;
  /** Origins allowed to GET and PUT media from a browser; those of the example page when omitted. */
  corsOrigins?: readonly string[];
  /** Serve HTTPS and WSS with this certificate (Amplify JS 6 always dials wss://). */
  https?: Certificate;
}

export interface LocalStack {
  graphqlUrl: string;
  realtimeUrl: string;
  explorerUrl: string;
  apiKey: string;
  dynamoDbEndpoint: string;
  s3Endpoint: string;
  tableName: string;
  bucketName: string;
  stop(): Promise<void>;
}

/** The local stand-ins answer far slower than AWS, more so while a test suite loads the machine. */
export const LOCAL_TIMEOUT_SCALE = 4;

export const LOCAL_TABLE_NAME = 'learning-paths';
export const LOCAL_BUCKET_NAME = 'learning-paths-media';
export const DEFAULT_DATA_DIR = join(REPOSITORY_ROOT, '.local');

/**
 * The environment a handler has in Lambda, pointed at the local endpoints with dummy credentials.
 * Checksums only when required: s3rver stores aws-chunked bodies undecoded.
 */
export function localFunctionEnvironment(endpoints: { dynamoDbEndpoint: string; s3Endpoint: string }): Record<string, string> {
  return {
    ...functionEnvironment({ tableName: LOCAL_TABLE_NAME, bucketName: LOCAL_BUCKET_NAME }),
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamoDbEndpoint,
    AWS_ENDPOINT_URL_S3: endpoints.s3Endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    [LOCAL_TIMEOUT_SCALE_VARIABLE]: String(LOCAL_TIMEOUT_SCALE),
  };
}

/**
 * Brings up DynamoDB Local, s3rver and the AppSync simulator, creates the table and the bucket from
 * the shared definitions, and gives the handlers the environment they have in Lambda, pointed at
 * the local endpoints.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const dataDir = options.inMemory ? undefined : (options.dataDir ?? DEFAULT_DATA_DIR);
  const [apiPort, dynamoPort, s3Port] = await Promise.all([options.port ?? freePort(), freePort(), freePort()]);
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const stopOne of stops.reverse()) await stopOne().catch(() => undefined);
  };
  // Handlers read their configuration at import: give them the Lambda environment, pointed at the
  // ports chosen above, and load them and the simulator while Java starts.
  const endpoints = { dynamoDbEndpoint: loopbackEndpoint(dynamoPort), s3Endpoint: loopbackEndpoint(s3Port) };
  Object.assign(process.env, localFunctionEnvironment(endpoints));
  const appsyncLoading = import('./appsync-local.js').then(async (appsync) => ({ appsync, handlers: await appsync.loadLocalHandlers() }));
  appsyncLoading.catch(() => undefined);
  try {
    const [dynamo] = await Promise.all([
      startDynamoDbLocal({ port: dynamoPort, dataDir: dataDir && join(dataDir, 'dynamodb') }).then((service) => {
        stops.push(service.stop);
        return service;
      }),
      startS3Local({
        port: s3Port,
        bucketName: LOCAL_BUCKET_NAME,
        corsOrigins: options.corsOrigins ?? webExampleOrigins(WEB_EXAMPLE_PORT),
        dataDir: dataDir && join(dataDir, 's3'),
      }).then((service) => {
        stops.push(service.stop);
        return service;
      }),
    ]);
    await ensureTable(dynamo.endpoint, LOCAL_TABLE_NAME);
    // Persisted data may predate the catalogue indexes: the backfill is quick, and a no-op once done.
    if (dataDir !== undefined) await backfillLocalTable(dynamo.endpoint);
    const { appsync, handlers } = await appsyncLoading;
    const simulator = await appsync.startAppSyncLocal({ port: apiPort, apiKey: options.apiKey, handlers, https: options.https });
    stops.push(() => appsync.stopAppSyncLocal(simulator));
    const base = `${options.https ? 'https' : 'http'}://localhost:${apiPort}`;
    return {
      graphqlUrl: `${base}/graphql`,
      realtimeUrl: `${options.https ? 'wss' : 'ws'}://localhost:${apiPort}/graphql/realtime`,
      explorerUrl: `${base}/`,
      apiKey: options.apiKey,
      ...endpoints,
      tableName: LOCAL_TABLE_NAME,
      bucketName: LOCAL_BUCKET_NAME,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function backfillLocalTable(endpoint: string): Promise<void> {
  const client = localDocumentClient(endpoint);
  try {
    const counts = await backfillCatalogueKeys(client, LOCAL_TABLE_NAME);
    if (counts.updated > 0) console.log(`Gave ${counts.updated} stored paths their catalogue keys (npm run backfill)`);
  } finally {
    client.destroy();
  }
}
