/**
 * The backfill of the catalogue keys: every path written before the catalogue indexes existed (or
 * before a change of CATALOGUE_SHARDS) gets the attributes that place it in them. Idempotent (a path
 * whose keys are right is left alone, so a second run writes nothing) and resumable (the scan position
 * is saved after each page; a run that was interrupted goes on from there).
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { catalogueKeys } from '../../resolvers/learning-paths/catalogue.js';
import { CATALOGUE_ATTRIBUTES, CATALOGUE_SHARDS } from '../../resolvers/storage.js';

export interface BackfillCounts {
  /** Items read. */
  scanned: number;
  /** Items whose keys were written. */
  updated: number;
  /** Items whose keys were already right. */
  current: number;
  /** Items deleted between the scan and their update. */
  gone: number;
}

/** Where a run stands: the scan position to go on from, and the counts so far. */
export interface BackfillPosition {
  tableName: string;
  startKey: Record<string, unknown>;
  counts: BackfillCounts;
}

/** Keeps the position of a run between pages, so that an interrupted run can resume. */
export interface BackfillCheckpoint {
  load(): Promise<BackfillPosition | undefined>;
  save(position: BackfillPosition): Promise<void>;
  clear(): Promise<void>;
}

export interface BackfillOptions {
  checkpoint?: BackfillCheckpoint;
  /** Items per scanned page, and so between two checkpoints. */
  pageSize?: number;
  /** Updates in flight at once. */
  concurrency?: number;
  shards?: number;
  report?: (line: string) => void;
}

type Item = Record<string, unknown>;
const KEY_NAMES = Object.values(CATALOGUE_ATTRIBUTES);
const PROJECTION = { ProjectionExpression: `id, #name, createdAt, ${KEY_NAMES.join(', ')}`, ExpressionAttributeNames: { '#name': 'name' } };

export async function backfillCatalogueKeys(
  client: DynamoDBDocumentClient,
  tableName: string,
  options: BackfillOptions = {},
): Promise<BackfillCounts & { resumedFrom?: Record<string, unknown> }> {
  const { checkpoint, pageSize = 100, concurrency = 16, shards = CATALOGUE_SHARDS, report = () => undefined } = options;
  const saved = await checkpoint?.load();
  if (saved !== undefined && saved.tableName !== tableName) {
    throw new Error(`The checkpoint belongs to table ${saved.tableName}, not ${tableName}; pass --restart to start over`);
  }
  const counts: BackfillCounts = saved?.counts ?? { scanned: 0, updated: 0, current: 0, gone: 0 };
  if (saved) report(`Resuming after ${counts.scanned} items (checkpoint found)`);
  let startKey = saved?.startKey;
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, Limit: pageSize, ExclusiveStartKey: startKey, ...PROJECTION }));
    const items = page.Items ?? [];
    for (let start = 0; start < items.length; start += concurrency) {
      const outcomes = await Promise.all(items.slice(start, start + concurrency).map((item) => settle(client, tableName, item, shards)));
      for (const outcome of outcomes) counts[outcome] += 1;
    }
    counts.scanned += items.length;
    startKey = page.LastEvaluatedKey;
    if (startKey !== undefined) await checkpoint?.save({ tableName, startKey, counts });
    report(`Scanned ${counts.scanned}: ${counts.updated} updated, ${counts.current} already current, ${counts.gone} deleted meanwhile`);
  } while (startKey !== undefined);
  await checkpoint?.clear();
  return { ...counts, ...(saved && { resumedFrom: saved.startKey }) };
}

/**
 * Writes one item's keys unless they are right. The write is conditional on the name and creation
 * time it was computed from, so it never undoes a rename that happened meanwhile (which sets the
 * name key itself); a refused write is retried on a fresh read.
 */
async function settle(client: DynamoDBDocumentClient, tableName: string, scanned: Item, shards: number): Promise<keyof BackfillCounts> {
  let item: Item | undefined = scanned;
  for (let attempt = 1; ; attempt++) {
    if (item === undefined) return 'gone';
    const { id, name, createdAt }: Item = item;
    if (typeof id !== 'string' || typeof name !== 'string' || typeof createdAt !== 'string') {
      throw new Error(`Item ${String(id)} has no name or creation time to derive its catalogue keys from`);
    }
    const wanted = catalogueKeys({ id, name, createdAt }, shards);
    const stored = item;
    if (KEY_NAMES.every((key) => stored[key] === wanted[key])) return 'current';
    try {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { id },
          UpdateExpression: `SET ${KEY_NAMES.map((key) => `${key} = :${key}`).join(', ')}`,
          ConditionExpression: 'attribute_exists(id) AND #name = :name AND createdAt = :createdAt',
          ExpressionAttributeNames: { '#name': 'name' },
          ExpressionAttributeValues: {
            ':name': name,
            ':createdAt': createdAt,
            ...Object.fromEntries(KEY_NAMES.map((key) => [`:${key}`, wanted[key]])),
          },
        }),
      );
      return 'updated';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException) || attempt >= 5) throw error;
      item = (await client.send(new GetCommand({ TableName: tableName, Key: { id }, ConsistentRead: true, ...PROJECTION }))).Item;
    }
  }
}

/** A checkpoint in a JSON file, replaced atomically (write, then rename) after every page. */
export function fileCheckpoint(path: string): BackfillCheckpoint {
  return {
    async load() {
      try {
        return JSON.parse(await readFile(path, 'utf8')) as BackfillPosition;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async save(position) {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(`${path}.tmp`, JSON.stringify(position));
      await rename(`${path}.tmp`, path);
    },
    async clear() {
      await rm(path, { force: true });
    },
  };
}
