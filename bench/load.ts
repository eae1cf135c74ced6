/**
 * `npm run load`: 50 connections for 60 s on loopback against a fresh in-memory local stack, with a
 * mix of every operation, then a reconciliation of what the API acknowledged with what is stored.
 * Fails (exit 1) on any server error, any unexpected GraphQL error or any reconciliation finding.
 * Options (environment): LOAD_SECONDS (default 60), LOAD_CONNECTIONS (default 50).
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import autocannon from 'autocannon';
import { localDocumentClient, localS3Client } from '../infra/local/clients.js';
import { startLocalStack } from '../infra/local/stack.js';
import { localIdToken } from '../infra/local/tokens.js';
import { MEDIA_PREFIX } from '../resolvers/storage.js';
import { PNG_1PX } from '../test/support/media-samples.js';

const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 50);
const SEED_PATHS = 100;
const SEED_DELETABLE = 400;

/** Share of the connections each operation drives; together they are the mix. */
const MIX = {
  learningPath: 0.24,
  learningPaths: 0.16,
  createLearningPath: 0.18,
  updateLearningPath: 0.18,
  addLearningPathMedia: 0.12,
  deleteLearningPath: 0.12,
};
type Operation = keyof typeof MIX;

const stack = await startLocalStack({ apiKey: 'da2-load-key', inMemory: true });
// One signed-in user makes every request: writes need a user, and this user owns every path it touches.
const headers = { 'content-type': 'application/json', authorization: localIdToken({ user: 'load-test', expiresInSeconds: 24 * 3600 }) };

async function call(query: string, variables: Record<string, unknown>) {
  const response = await fetch(stack.graphqlUrl, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: Record<string, { id: string }>; errors?: unknown[] };
  if (response.status !== 200 || body.errors) throw new Error(`seeding failed: ${response.status} ${JSON.stringify(body.errors)}`);
  return body.data;
}

const CREATE = 'mutation ($input: CreateLearningPathInput!) { createLearningPath(input: $input) { id version } }';
const QUERIES: Record<Operation, string> = {
  learningPath: 'query ($id: ID!) { learningPath(id: $id) { id name version media { key url } } }',
  learningPaths: 'query ($limit: Int) { learningPaths(limit: $limit) { items { id media { url } } nextToken } }',
  createLearningPath: CREATE,
  updateLearningPath: 'mutation ($input: UpdateLearningPathInput!) { updateLearningPath(input: $input) { id version } }',
  addLearningPathMedia:
    'mutation ($input: AddLearningPathMediaInput!) { addLearningPathMedia(input: $input) { id version media { key } } }',
  deleteLearningPath: 'mutation ($id: ID!) { deleteLearningPath(id: $id) { id } }',
};

// Long-lived paths take reads, updates and media; deletable ones are only ever deleted, once each.
const longLived: string[] = [];
const deletable: string[] = [];
for (let index = 0; index < SEED_PATHS + SEED_DELETABLE; index++) {
  const id = (await call(CREATE, { input: { name: `Seed ${index}` } }))?.createLearningPath?.id as string;
  (index < SEED_PATHS ? longLived : deletable).push(id);
}
for (const id of longLived.slice(0, SEED_PATHS / 2)) {
  await call(QUERIES.addLearningPathMedia, { input: { id, content: PNG_1PX.toString('base64') } });
}

const acknowledgedCreates = new Set<string>();
const acknowledgedDeletes = new Set<string>();
/** Every id a delete was sent for: a delete whose answer never came may still have happened. */
const deleteRequested = new Set<string>();
const problems: string[] = [];
const counts = { serverErrors: 0, unexpectedErrors: 0, deletePoolEmpty: 0 };
const pick = (ids: string[]) => ids[Math.floor(Math.random() * ids.length)] as string;
const png = PNG_1PX.toString('base64');

function variables(operation: Operation, context: Record<string, unknown>): Record<string, unknown> {
  switch (operation) {
    case 'learningPath':
      return { id: pick(longLived) };
    case 'learningPaths':
      return { limit: 20 };
    case 'createLearningPath':
      return { input: { name: `Load ${randomUUID()}`, clientToken: randomUUID() } };
    case 'updateLearningPath':
      return { input: { id: pick(longLived), description: `d ${Date.now()}` } };
    case 'addLearningPathMedia':
      return { input: { id: pick(longLived), content: png } };
    case 'deleteLearningPath': {
      const id = deletable.pop();
      context.expectNotFound = id === undefined;
      if (id === undefined) counts.deletePoolEmpty++;
      else deleteRequested.add(id);
      return { id: id ?? randomUUID() };
    }
  }
}

function onResponse(operation: Operation, status: number, body: string, context: Record<string, unknown>) {
  if (status !== 200) {
    counts.serverErrors++;
    problems.push(`${operation}: HTTP ${status} ${body.slice(0, 200)}`);
    return;
  }
  const parsed = JSON.parse(body) as { data?: Record<string, { id: string } | null>; errors?: { errorType?: string }[] };
  const types = (parsed.errors ?? []).flatMap((error) => (error.errorType ? [error.errorType] : []));
  if (parsed.errors && !(context.expectNotFound && types.length === 1 && types[0] === 'NotFound')) {
    counts.unexpectedErrors++;
    problems.push(`${operation}: ${JSON.stringify(parsed.errors).slice(0, 300)}`);
    return;
  }
  const id = parsed.data?.[operation]?.id;
  if (operation === 'createLearningPath' && id) {
    acknowledgedCreates.add(id);
    deletable.unshift(id);
  }
  if (operation === 'deleteLearningPath' && id) acknowledgedDeletes.add(id);
}

function run(operation: Operation, connections: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: stack.graphqlUrl,
        method: 'POST',
        headers,
        connections,
        duration: SECONDS,
        // Longer than the slowest answer the SDK settings allow, so that a slow answer is measured, not dropped.
        timeout: 30,
        requests: [
          {
            setupRequest: (request, context) => ({
              ...request,
              body: JSON.stringify({ query: QUERIES[operation], variables: variables(operation, context as Record<string, unknown>) }),
            }),
            onResponse: (status, body, context) => onResponse(operation, status, body, context as Record<string, unknown>),
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    autocannon.track(instance, { renderProgressBar: false, renderResultsTable: false, renderLatencyTable: false });
  });
}

const operations = Object.keys(MIX) as Operation[];
const split = operations.map((operation) => Math.max(1, Math.round(MIX[operation] * CONNECTIONS)));
split[0] = (split[0] ?? 0) + CONNECTIONS - split.reduce((sum, value) => sum + value, 0);
console.log(
  `Load: ${CONNECTIONS} connections for ${SECONDS} s on ${stack.graphqlUrl} (${operations.map((op, i) => `${op} ${split[i]}`).join(', ')})`,
);
const results = await Promise.all(operations.map((operation, index) => run(operation, split[index] ?? 1)));
await sleep(3_000); // requests the load tool gave up on at the deadline may still be finishing

const table = localDocumentClient(stack.dynamoDbEndpoint);
const bucket = localS3Client(stack.s3Endpoint);

const stored = new Map<string, { media?: { key: string } }>();
let ExclusiveStartKey: Record<string, unknown> | undefined;
do {
  const page = await table.send(new ScanCommand({ TableName: stack.tableName, ExclusiveStartKey, ConsistentRead: true }));
  for (const item of page.Items ?? []) stored.set(item.id as string, item as { media?: { key: string } });
  ExclusiveStartKey = page.LastEvaluatedKey;
} while (ExclusiveStartKey);

const objects = new Set<string>();
let ContinuationToken: string | undefined;
do {
  const page = await bucket.send(new ListObjectsV2Command({ Bucket: stack.bucketName, Prefix: MEDIA_PREFIX, ContinuationToken }));
  for (const object of page.Contents ?? []) if (object.Key) objects.add(object.Key);
  ContinuationToken = page.NextContinuationToken;
} while (ContinuationToken);

const lostCreates = [...acknowledgedCreates].filter((id) => !deleteRequested.has(id) && !stored.has(id));
const survivingDeletes = [...acknowledgedDeletes].filter((id) => stored.has(id));
const referenced = new Set([...stored.values()].flatMap((item) => (item.media ? [item.media.key] : [])));
const dangling = [...referenced].filter((key) => !objects.has(key));
const unreferenced = [...objects].filter((key) => !referenced.has(key));

console.log('\noperation             requests   req/s    p50 ms   p99 ms');
let total = 0;
operations.forEach((operation, index) => {
  const result = results[index] as autocannon.Result;
  total += result.requests.total;
  console.log(
    `${operation.padEnd(21)} ${String(result.requests.total).padStart(8)} ${result.requests.average.toFixed(1).padStart(7)} ${String(result.latency.p50).padStart(8)} ${String(result.latency.p99).padStart(8)}`,
  );
});
console.log(`${'all'.padEnd(21)} ${String(total).padStart(8)} ${(total / SECONDS).toFixed(1).padStart(7)}`);
const timeouts = results.reduce((sum, result) => sum + result.timeouts + result.errors, 0);
console.log(
  `\nserver errors ${counts.serverErrors}, unexpected GraphQL errors ${counts.unexpectedErrors}, client timeouts/socket errors ${timeouts}, delete pool empty ${counts.deletePoolEmpty}`,
);
console.log(
  `reconciliation: ${acknowledgedCreates.size} acknowledged creates, ${acknowledgedDeletes.size} acknowledged deletes, ${stored.size} paths, ${objects.size} objects; ` +
    `lost creates ${lostCreates.length}, deletes still stored ${survivingDeletes.length}, dangling media keys ${dangling.length}, unreferenced objects ${unreferenced.length}`,
);
for (const problem of problems.slice(0, 10)) console.log(`  ${problem}`);

await stack.stop();
const failed =
  counts.serverErrors +
  counts.unexpectedErrors +
  timeouts +
  lostCreates.length +
  survivingDeletes.length +
  dangling.length +
  unreferenced.length;
process.exit(failed === 0 ? 0 : 1);
