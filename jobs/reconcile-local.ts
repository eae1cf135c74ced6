/**
 * `npm run reconcile`: runs the media reconciler once against the local stack's persisted data
 * (`.local/`, or `--data-dir DIR`), and prints what it removed. It starts its own DynamoDB Local and
 * s3rver over that data, so run it while `npm start` is stopped; or point it at running endpoints
 * with `--dynamodb-endpoint URL --s3-endpoint URL`.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureTable, startDynamoDbLocal } from '../infra/local/dynamodb-local.js';
import { freePort } from '../infra/local/ports.js';
import { startS3Local } from '../infra/local/s3-local.js';
import { DEFAULT_DATA_DIR, LOCAL_BUCKET_NAME, LOCAL_TABLE_NAME, localFunctionEnvironment } from '../infra/local/stack.js';
import { WEB_EXAMPLE_PORT, webExampleOrigins } from '../infra/local/web-example.js';

const { values } = parseArgs({
  options: { 'data-dir': { type: 'string' }, 'dynamodb-endpoint': { type: 'string' }, 's3-endpoint': { type: 'string' } },
});
const stops: (() => Promise<void>)[] = [];
try {
  let dynamoDbEndpoint = values['dynamodb-endpoint'];
  let s3Endpoint = values['s3-endpoint'];
  if (dynamoDbEndpoint === undefined || s3Endpoint === undefined) {
    const dataDir = values['data-dir'] ?? DEFAULT_DATA_DIR;
    const [dynamoPort, s3Port] = await Promise.all([freePort(), freePort()]);
    const dynamo = await startDynamoDbLocal({ port: dynamoPort, dataDir: join(dataDir, 'dynamodb') });
    stops.push(dynamo.stop);
    await ensureTable(dynamo.endpoint, LOCAL_TABLE_NAME);
    const s3 = await startS3Local({
      port: s3Port,
      bucketName: LOCAL_BUCKET_NAME,
      corsOrigins: webExampleOrigins(WEB_EXAMPLE_PORT),
      dataDir: join(dataDir, 's3'),
    });
    stops.push(s3.stop);
    dynamoDbEndpoint = dynamo.endpoint;
    s3Endpoint = s3.endpoint;
  }
  // The handler modules read their configuration at import: the same environment the local stack gives them.
  Object.assign(process.env, localFunctionEnvironment({ dynamoDbEndpoint, s3Endpoint }));
  const [{ reconcileMedia }, { media }, { paths }, { now }] = await Promise.all([
    import('./media-reconciler.js'),
    import('../resolvers/wiring/media.js'),
    import('../resolvers/wiring/paths.js'),
    import('../resolvers/wiring/runtime.js'),
  ]);
  const report = await reconcileMedia({ paths, media, now });
  console.log(
    `Listed ${report.listed} media objects in ${LOCAL_TABLE_NAME}'s bucket; removed ${report.removed.length} unreferenced for over an hour.`,
  );
  for (const key of report.removed) console.log(`  removed ${key}`);
} catch (error) {
  console.error(`Could not reconcile: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
}
