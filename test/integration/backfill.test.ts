import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { type BackfillPosition, backfillCatalogueKeys, fileCheckpoint } from '../../infra/backfill/catalogue-keys.js';
import { OWNER_INDEX, REPOSITORY_ROOT } from '../../infra/definitions.js';
import { localDocumentClient, localDynamoDbClient } from '../../infra/local/clients.js';
import { ensureTable } from '../../infra/local/dynamodb-local.js';
import { localFunctionEnvironment } from '../../infra/local/stack.js';
import type { LearningPathOrder } from '../../resolvers/generated/graphql.js';
import { DynamoDbLearningPathStore } from '../../resolvers/learning-paths/dynamodb-store.js';
import type { LearningPathRecord } from '../../resolvers/learning-paths/model.js';
import { listLearningPaths, searchLearningPaths } from '../../resolvers/learning-paths/service.js';
import { localAws } from '../support/aws.js';
import { fakeSigner } from '../support/fakes.js';

/** The backfill of catalogue keys, each case on a table of its own in the test run's DynamoDB Local. */
const aws = localAws();
const ORDERS: LearningPathOrder[] = ['NEWEST_FIRST', 'OLDEST_FIRST', 'NAME_ASC', 'NAME_DESC'];

/** A table holding `count` paths as the API wrote them before the catalogue indexes: no catalogue keys. */
async function legacyTable(count: number): Promise<{ tableName: string; records: LearningPathRecord[] }> {
  const tableName = `backfill-${randomUUID().slice(0, 8)}`;
  await ensureTable(aws.stack.dynamoDbEndpoint, tableName);
  const records = Array.from({ length: count }, (_, n) => ({
    id: randomUUID(),
    owner: 'legacy-owner',
    name: `Legacy ${n % 2 === 0 ? 'Écologie' : 'ecologie'} ${String(n).padStart(3, '0')}`,
    version: 1,
    createdAt: new Date(Date.UTC(2025, 0, 1, 0, 0, n % 7)).toISOString(),
    updatedAt: new Date(Date.UTC(2025, 0, 1)).toISOString(),
  }));
  for (const record of records) await aws.documents.send(new PutCommand({ TableName: tableName, Item: record }));
  return { tableName, records };
}

async function listAll(tableName: string, order: LearningPathOrder): Promise<string[]> {
  const deps = { paths: new DynamoDbLearningPathStore(aws.documents, tableName), urls: fakeSigner };
  const ids: string[] = [];
  let nextToken: string | null = null;
  do {
    const page = await listLearningPaths(deps, { order, limit: 7, nextToken });
    ids.push(...page.items.map((item) => item.id));
    nextToken = page.nextToken;
  } while (nextToken);
  return ids;
}

async function items(tableName: string) {
  const { Items = [] } = await aws.documents.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }));
  return Items.sort((a, b) => String(a.id).localeCompare(String(b.id)));
}

/** A checkpoint kept in memory, as the file one would keep it. */
function memoryCheckpoint() {
  let saved: BackfillPosition | undefined;
  const saves: BackfillPosition[] = [];
  return {
    saves,
    get current() {
      return saved;
    },
    load: async () => saved && structuredClone(saved),
    save: async (position: BackfillPosition) => {
      saved = structuredClone(position);
      saves.push(saved);
    },
    clear: async () => {
      saved = undefined;
    },
  };
}

describe('catalogue backfill (DynamoDB Local)', () => {
  it('gives a table made before the catalogue (persisted locally) the indexes it lacks', async () => {
    const tableName = `old-table-${randomUUID().slice(0, 8)}`;
    await ensureTable(aws.stack.dynamoDbEndpoint, tableName, [OWNER_INDEX]);
    await ensureTable(aws.stack.dynamoDbEndpoint, tableName);
    const { Table } = await localDynamoDbClient(aws.stack.dynamoDbEndpoint).send(new DescribeTableCommand({ TableName: tableName }));
    expect(Table?.GlobalSecondaryIndexes?.map((index) => [index.IndexName, index.IndexStatus]).sort()).toEqual([
      ['byCreated', 'ACTIVE'],
      ['byName', 'ACTIVE'],
      ['byOwner', 'ACTIVE'],
    ]);
  });

  it('puts paths written before the change in every order after one run; a second run changes nothing', async () => {
    const { tableName, records } = await legacyTable(30);
    for (const order of ORDERS) expect(await listAll(tableName, order)).toEqual([]);

    const first = await backfillCatalogueKeys(aws.documents, tableName, { pageSize: 8 });
    expect(first).toEqual({ scanned: 30, updated: 30, current: 0, gone: 0 });
    const ids = records.map((record) => record.id).sort();
    for (const order of ORDERS) expect((await listAll(tableName, order)).sort()).toEqual(ids);
    const deps = { paths: new DynamoDbLearningPathStore(aws.documents, tableName), urls: fakeSigner };
    expect((await searchLearningPaths(deps, { namePrefix: 'legacy eco', limit: 100 })).items).toHaveLength(30);

    const after = await items(tableName);
    const second = await backfillCatalogueKeys(aws.documents, tableName, { pageSize: 8 });
    expect(second).toEqual({ scanned: 30, updated: 0, current: 30, gone: 0 });
    expect(await items(tableName)).toEqual(after);
  });

  it('resumes an interrupted run from its checkpoint, and finishes the work', async () => {
    const { tableName, records } = await legacyTable(40);
    const client = localDocumentClient(aws.stack.dynamoDbEndpoint);
    // The interruption: the 21st update fails, as a killed process or a lost connection would.
    let updates = 0;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName?.startsWith('Update') && ++updates > 20) throw new Error('interrupted');
        return next(args);
      },
      { step: 'initialize', name: 'interruptAfter20Updates' },
    );
    const checkpoint = memoryCheckpoint();
    await expect(backfillCatalogueKeys(client, tableName, { checkpoint, pageSize: 10, concurrency: 5 })).rejects.toThrow('interrupted');
    expect(checkpoint.current?.counts).toEqual({ scanned: 20, updated: 20, current: 0, gone: 0 });

    const resumer = localDocumentClient(aws.stack.dynamoDbEndpoint);
    let resumedUpdates = 0;
    resumer.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName?.startsWith('Update')) resumedUpdates++;
        return next(args);
      },
      { step: 'initialize', name: 'countUpdates' },
    );
    const resumed = await backfillCatalogueKeys(resumer, tableName, { checkpoint, pageSize: 10 });
    expect(resumed.resumedFrom).toEqual(checkpoint.saves[1]?.startKey);
    // It went on from the third page (the one in flight when it stopped), not back to the 20 done before.
    expect(resumedUpdates).toBe(20);
    expect(resumed).toEqual({ scanned: 40, updated: 40, current: 0, gone: 0, resumedFrom: expect.any(Object) });
    resumer.destroy();
    expect(checkpoint.current).toBeUndefined();
    for (const order of ORDERS) expect((await listAll(tableName, order)).sort()).toEqual(records.map((record) => record.id).sort());
    client.destroy();
  });

  it('leaves a path renamed meanwhile with the keys of its new name', async () => {
    const { tableName, records } = await legacyTable(1);
    const [record] = records as [LearningPathRecord];
    const store = new DynamoDbLearningPathStore(aws.documents, tableName);
    const client = localDocumentClient(aws.stack.dynamoDbEndpoint);
    // The rename lands between the backfill's scan and its write.
    let renamed = false;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName?.startsWith('Update') && !renamed) {
          renamed = true;
          await store.update(record.id, { name: 'Renamed meanwhile' }, record.updatedAt);
        }
        return next(args);
      },
      { step: 'initialize', name: 'renameFirst' },
    );
    await expect(backfillCatalogueKeys(client, tableName)).resolves.toMatchObject({ updated: 1 });
    const deps = { paths: store, urls: fakeSigner };
    expect((await searchLearningPaths(deps, { namePrefix: 'renamed' })).items.map((item) => item.id)).toEqual([record.id]);
    expect((await searchLearningPaths(deps, { namePrefix: 'legacy' })).items).toEqual([]);
    expect(await listAll(tableName, 'NEWEST_FIRST')).toEqual([record.id]);
    client.destroy();
  });

  it('runs as `npm run backfill` with TABLE_NAME, printing progress, and resumes from its checkpoint file', async () => {
    const { tableName } = await legacyTable(3);
    const checkpointPath = join(mkdtempSync(join(tmpdir(), 'backfill-')), 'position.json');
    // A checkpoint as a run interrupted after its first page (of one item) leaves it.
    const firstPage = await aws.documents.send(new ScanCommand({ TableName: tableName, Limit: 1 }));
    const skipped = firstPage.Items?.[0]?.id;
    await fileCheckpoint(checkpointPath).save({
      tableName,
      startKey: firstPage.LastEvaluatedKey ?? {},
      counts: { scanned: 1, updated: 1, current: 0, gone: 0 },
    });
    const run = spawnSync('npm', ['run', '-s', 'backfill', '--', '--checkpoint', checkpointPath], {
      cwd: REPOSITORY_ROOT,
      env: { ...process.env, ...localFunctionEnvironment(aws.stack), TABLE_NAME: tableName },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).not.toContain('backfill:');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Resuming after 1 items (checkpoint found)');
    expect(run.stdout).toContain('backfill: done: 3 scanned');
    expect(() => readFileSync(checkpointPath)).toThrow(/ENOENT/);
    // The resumed run went on after the checkpoint: it did not come back to the first page.
    const stored = await items(tableName);
    expect(stored.filter((item) => item.nameKey === undefined).map((item) => item.id)).toEqual([skipped]);
  });
});
