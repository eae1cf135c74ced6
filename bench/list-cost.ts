/**
 * List cost: the read capacity DynamoDB reports (ReturnConsumedCapacity) for one page of 20 of each
 * catalogue order and of a name search, read by the store's own requests (one Query per shard), with
 * 1,000 and with 20,000 paths stored, for several shard counts; each shard count on a table of its
 * own in a DynamoDB Local of its own.
 */
import { BatchWriteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { v4 as uuidv4 } from 'uuid';
import { localDocumentClient, localDynamoDbClient } from '../infra/local/clients.js';
import { ensureTable, startDynamoDbLocal } from '../infra/local/dynamodb-local.js';
import { freePort } from '../infra/local/ports.js';
import { type CatalogueListing, catalogueKeys, foldedNameForKey, ORDERS, searchListing } from '../resolvers/learning-paths/catalogue.js';
import { DynamoDbLearningPathStore } from '../resolvers/learning-paths/dynamodb-store.js';
import { CATALOGUE_SHARDS } from '../resolvers/storage.js';
import { median } from './stats.js';

export interface ListCost {
  listing: string;
  shards: number;
  stored: number;
  /** Read capacity units of the first page, and the median over the first pages followed by nextToken. */
  firstPage: number;
  medianPage: number;
  pages: number;
}

const PAGE = 20;
const PAGES = 5;
const SEARCH_PREFIX = 'Benchmark path 1';
const LISTINGS: [string, CatalogueListing][] = [
  ...Object.entries(ORDERS),
  [`search "${SEARCH_PREFIX}"`, searchListing(foldedNameForKey(SEARCH_PREFIX))],
];

function record(index: number, shards: number) {
  // Creation times spread over the last days, as a catalogue built over time.
  const createdAt = new Date(Date.now() - index * 60_000).toISOString();
  const path = {
    id: uuidv4(),
    owner: 'bench',
    name: `Benchmark path ${index}`,
    description: 'A learning path stored to measure what a page of the list costs. '.repeat(2),
    version: 1,
    createdAt,
    updatedAt: createdAt,
  };
  return { ...path, ...catalogueKeys(path, shards) };
}

export async function measureListCost(
  sizes: readonly number[],
  shardCounts: readonly number[] = [1, CATALOGUE_SHARDS, 8],
): Promise<ListCost[]> {
  const dynamo = await startDynamoDbLocal({ port: await freePort() });
  const client = localDocumentClient(dynamo.endpoint);
  // Seeding goes through a client of its own: its capacity is not what is measured.
  const writer = localDynamoDbClient(dynamo.endpoint);
  // Every request asks for its consumed capacity, and the meter adds it up.
  let units = 0;
  client.middlewareStack.add(
    (next) => async (args) => {
      (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: { CapacityUnits?: number } }).ConsumedCapacity;
      if (consumed?.CapacityUnits === undefined) throw new Error('DynamoDB Local reported no consumed capacity');
      units += consumed.CapacityUnits;
      return result;
    },
    { step: 'initialize', name: 'consumedCapacityMeter' },
  );
  try {
    const results: ListCost[] = [];
    for (const shards of shardCounts) {
      const table = `bench-list-cost-${shards}`;
      await ensureTable(dynamo.endpoint, table);
      const store = new DynamoDbLearningPathStore(client, table, shards);
      let stored = 0;
      for (const size of sizes) {
        const batches: Record<string, unknown>[][] = [];
        for (; stored < size; stored += 25) {
          batches.push(Array.from({ length: Math.min(25, size - stored) }, (_, offset) => record(stored + offset, shards)));
        }
        stored = size;
        for (let start = 0; start < batches.length; start += 8) {
          await Promise.all(batches.slice(start, start + 8).map((batch) => writeAll(writer, table, batch)));
        }
        for (const [listing, reading] of LISTINGS) {
          const costs: number[] = [];
          let after: string | undefined;
          for (let page = 0; page < PAGES; page++) {
            units = 0;
            const result = await store.listCatalogue(reading, PAGE, after);
            if (result.items.length !== PAGE) throw new Error(`${listing}: a page of ${result.items.length}, not ${PAGE}`);
            costs.push(units);
            after = result.last;
          }
          results.push({
            listing,
            shards,
            stored: size,
            firstPage: costs[0] ?? Number.NaN,
            medianPage: median(costs),
            pages: costs.length,
          });
        }
      }
    }
    return results;
  } finally {
    client.destroy();
    writer.destroy();
    await dynamo.stop();
  }
}

async function writeAll(client: DynamoDBClient, table: string, items: Record<string, unknown>[]): Promise<void> {
  let requests = items.map((item) => ({ PutRequest: { Item: marshall(item) } }));
  while (requests.length > 0) {
    const { UnprocessedItems } = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests } }));
    requests = (UnprocessedItems?.[table] ?? []) as typeof requests;
  }
}
