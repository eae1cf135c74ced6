/**
 * `npm run backfill`: gives every stored path its catalogue keys (infra/backfill/catalogue-keys.ts).
 *
 *   TABLE_NAME=<TableName output> AWS_REGION=<region> npm run backfill   # a deployed table, default AWS credentials
 *   npm run backfill -- --local [--data-dir DIR]                          # the data `npm start` persisted (stop it first)
 *
 * Progress is printed after every page and saved to a checkpoint file (`--checkpoint FILE`, default
 * `.backfill/<table>.json`): run the same command again after an interruption and it resumes;
 * `--restart` ignores the checkpoint. Running it again after it finished changes nothing.
 * AWS_ENDPOINT_URL_DYNAMODB points it at any other DynamoDB (the SDK reads it).
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { REPOSITORY_ROOT } from '../definitions.js';
import { localDocumentClient } from '../local/clients.js';
import { ensureTable, startDynamoDbLocal } from '../local/dynamodb-local.js';
import { freePort } from '../local/ports.js';
import { DEFAULT_DATA_DIR, LOCAL_TABLE_NAME } from '../local/stack.js';
import { type BackfillCheckpoint, backfillCatalogueKeys, fileCheckpoint } from './catalogue-keys.js';

const { values } = parseArgs({
  options: {
    local: { type: 'boolean', default: false },
    'data-dir': { type: 'string' },
    checkpoint: { type: 'string' },
    restart: { type: 'boolean', default: false },
  },
});

const log = (line: string) => console.log(`backfill: ${line}`);

async function run(client: DynamoDBDocumentClient, tableName: string): Promise<void> {
  const path = values.checkpoint ?? join(REPOSITORY_ROOT, '.backfill', `${tableName}.json`);
  const checkpoint: BackfillCheckpoint = fileCheckpoint(path);
  if (values.restart) await checkpoint.clear();
  log(`table ${tableName}, checkpoint ${path}`);
  const counts = await backfillCatalogueKeys(client, tableName, { checkpoint, report: log });
  log(`done: ${counts.scanned} scanned, ${counts.updated} updated, ${counts.current} already current, ${counts.gone} deleted meanwhile`);
}

try {
  if (values.local) {
    const dataDir = values['data-dir'] ?? DEFAULT_DATA_DIR;
    const dynamo = await startDynamoDbLocal({ port: await freePort(), dataDir: join(dataDir, 'dynamodb') });
    const client = localDocumentClient(dynamo.endpoint);
    try {
      await ensureTable(dynamo.endpoint, LOCAL_TABLE_NAME);
      await run(client, LOCAL_TABLE_NAME);
    } finally {
      client.destroy();
      await dynamo.stop();
    }
  } else {
    const tableName = process.env.TABLE_NAME;
    if (!tableName) throw new Error('Set TABLE_NAME to the table to backfill (the stack output TableName), or pass --local');
    const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    try {
      await run(client, tableName);
    } finally {
      client.destroy();
    }
  }
} catch (error) {
  console.error(`backfill: ${(error as Error).message}`);
  process.exit(1);
}
