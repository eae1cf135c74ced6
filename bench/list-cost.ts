/**
 * List cost: the read capacity DynamoDB reports (ReturnConsumedCapacity) for one page of 20, with
 * 1,000 and with 20,000 paths stored, on a table of its own in a DynamoDB Local of its own.
 */
import { BatchWriteItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { v4 as uuidv4 } from 'uuid';
import { localDynamoDbClient } from '../infra/local/clients.js';
import { ensureTable, startDynamoDbLocal } from '../infra/local/dynamodb-local.js';
import { freePort } from '../infra/local/ports.js';
import { median } from './stats.js';

export interface ListCost {
  stored: number;
  /** Read capacity units of the first page and the median over pages taken from random points. */
  firstPage: number;
  medianPage: number;
  pages: number;
}

const TABLE = 'bench-list-cost';
const PAGE = 20;

function record(index: number) {
  const now = new Date().toISOString();
  return {
    id: uuidv4(),
    name: `Benchmark path ${index}`,
    description: 'A learning path stored to measure what a page of the list costs. '.repeat(2),
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}

export async function measureListCost(sizes: readonly number[]): Promise<ListCost[]> {
  const dynamo = await startDynamoDbLocal({ port: await freePort() });
  const client = localDynamoDbClient(dynamo.endpoint);
  try {
    await ensureTable(dynamo.endpoint, TABLE);
    const ids: string[] = [];
    const results: ListCost[] = [];
    for (const size of sizes) {
      const batches: Record<string, unknown>[][] = [];
      while (ids.length < size) {
        const batch = Array.from({ length: Math.min(25, size - ids.length) }, () => record(ids.length)).map((item) => {
          ids.push(item.id);
          return item;
        });
        batches.push(batch);
      }
      for (let start = 0; start < batches.length; start += 8) {
        await Promise.all(batches.slice(start, start + 8).map((batch) => writeAll(client, batch)));
      }
      const costs: number[] = [];
      let firstPage = Number.NaN;
      for (let page = 0; page < 15; page++) {
        const startAfter = page === 0 ? undefined : ids[Math.floor(Math.random() * ids.length)];
        const response = await client.send(
          new ScanCommand({
            TableName: TABLE,
            Limit: PAGE,
            ReturnConsumedCapacity: 'TOTAL',
            ...(startAfter !== undefined && { ExclusiveStartKey: { id: { S: startAfter } } }),
          }),
        );
        const units = response.ConsumedCapacity?.CapacityUnits;
        if (units === undefined) throw new Error('DynamoDB Local reported no consumed capacity');
        if (page === 0) firstPage = units;
        costs.push(units);
      }
      results.push({ stored: size, firstPage, medianPage: median(costs), pages: costs.length });
    }
    return results;
  } finally {
    client.destroy();
    await dynamo.stop();
  }
}

async function writeAll(client: ReturnType<typeof localDynamoDbClient>, items: Record<string, unknown>[]): Promise<void> {
  let requests = items.map((item) => ({ PutRequest: { Item: marshall(item) } }));
  while (requests.length > 0) {
    const { UnprocessedItems } = await client.send(new BatchWriteItemCommand({ RequestItems: { [TABLE]: requests } }));
    requests = (UnprocessedItems?.[TABLE] ?? []) as typeof requests;
  }
}
