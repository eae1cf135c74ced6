/**
 * `npm run bench`: cold start per function, AWS calls per operation, handler overhead, end-to-end
 * throughput and latency through the local AppSync, and list cost, all measured in this one run on
 * this machine. Prints the tables and writes them to bench/RESULTS.md.
 * Options (environment): BENCH_PAIRS (cold-start rounds, default 15), BENCH_E2E_REQUESTS (per operation, default 300).
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import autocannon from 'autocannon';
import { FUNCTION_MEMORY_MB } from '../infra/cdk/resolver-function.js';
import { REPOSITORY_ROOT } from '../infra/definitions.js';
import { startLocalStack } from '../infra/local/stack.js';
import { localIdToken, localSub } from '../infra/local/tokens.js';
import { resolverDeclarations } from '../resolvers/declarations.js';
import { CATALOGUE_SHARDS, CREATED_INDEX } from '../resolvers/storage.js';
import { userIdentity } from '../test/support/auth.js';
import { CALL_TARGETS, CallCounter, REST_DESIGN_CALLS } from './aws-calls.js';
import { COLD_START_TARGET_MS, LEVER_FUNCTIONS, type Load, measureColdStarts } from './cold-start.js';
import { GraphQLClient, LARGE_PNG, OPERATIONS, type Operation, SMALL_PNG } from './flow.js';
import { measureListCost } from './list-cost.js';
import { fixed, median, signed } from './stats.js';

/** Lambda on arm64 (us-east-1): per GB-second of duration, and per request. */
const ARM64_PRICE_PER_GB_SECOND = 0.0000133334;
const PRICE_PER_REQUEST = 0.0000002;

/** Cost of a million invocations lasting `durationMs` (billed by the millisecond) at the functions' memory size. */
function costPerMillion(durationMs: number): number {
  return 1e6 * (PRICE_PER_REQUEST + (Math.ceil(durationMs) / 1000) * (FUNCTION_MEMORY_MB / 1024) * ARM64_PRICE_PER_GB_SECOND);
}

const PAIRS = Number(process.env.BENCH_PAIRS ?? 15);
const BENCH_USER = 'bench';
const OWNER = localSub(BENCH_USER);
const E2E_REQUESTS = Number(process.env.BENCH_E2E_REQUESTS ?? 300);
/** autocannon refuses a run of fewer requests than connections. */
const E2E_CONNECTIONS = 4;
const started = Date.now();
const sections: string[] = [];
const log = (line: string) => process.stdout.write(`${line}\n`);

/** A Markdown table, padded the way the repository's formatter (Biome) writes tables. */
function table(title: string, header: string[], rows: (string | number)[][], note?: string): void {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, column) => Math.max(3, ...cells.map((row) => (row[column] ?? '').length)));
  const line = (row: string[]) => `| ${row.map((cell, column) => cell.padEnd(widths[column] ?? 3)).join(' | ')} |`;
  const lines = [`### ${title}`, '', line(header), line(widths.map((width) => '-'.repeat(width))), ...cells.slice(1).map(line)];
  if (note) lines.push('', note);
  const text = lines.join('\n');
  sections.push(text);
  log(`\n${text}`);
}

// 1. Cold start, first: before Java and the simulator load the machine.
const loadBefore = loadavg()[0] ?? Number.NaN;
const coldStarts = await measureColdStarts(join(tmpdir(), `learning-paths-bench-${process.pid}`), PAIRS);
const loadAfter = loadavg()[0] ?? Number.NaN;
const bare = coldStarts.rows[0];
const metCold = (aboveMs: number, target: number | undefined) => (target === undefined ? '–' : aboveMs <= target ? 'yes' : 'no');
table(
  `1. Cold start on Node.js ${process.versions.node} (each function's package from cdk.out, loaded as the Lambda runtime loads it)`,
  [
    'Function',
    'Calls S3',
    'Bundle (KB)',
    'Load (ms)',
    'Ratio',
    'Above bare (ms)',
    'Above bare, best (ms)',
    'CPU above bare (ms)',
    'With compile cache: best (ms)',
    'With compile cache: CPU (ms)',
    'Target (ms)',
    'Met',
  ],
  coldStarts.rows.map((c) => {
    const target = c.usesS3 === undefined ? undefined : c.usesS3 ? COLD_START_TARGET_MS.s3 : COLD_START_TARGET_MS.dynamoDb;
    return [
      c.name,
      c.usesS3 === undefined ? '–' : c.usesS3 ? 'yes' : 'no',
      fixed(c.bundleBytes / 1024, 0),
      fixed(c.importMs, 1),
      fixed(c.ratio),
      fixed(c.aboveMs, 1),
      fixed(c.bestAboveMs, 1),
      fixed(c.aboveCpuMs, 1),
      fixed(c.withCache.bestAboveMs, 1),
      fixed(c.withCache.aboveCpuMs, 1),
      target === undefined ? '–' : `≤ ${target}`,
      metCold(c.bestAboveMs, target),
    ];
  }),
  `Bare \`node -e 0\`: median ${fixed(bare?.bareMs ?? Number.NaN, 1)} ms, fastest ${fixed(bare?.bestBareMs ?? Number.NaN, 1)} ms. Machine load average (1 min) ${fixed(loadBefore, 1)} before and ${fixed(loadAfter, 1)} after, on ${cpus().length} cores${Math.max(loadBefore, loadAfter) > cpus().length ? ': above the core count, so wall times measure other work as much as the code, and the CPU columns are the ones to read' : ''}. ${PAIRS} rounds; each runs bare node and every package once, in rotating order, in a clean environment with only the function's variables. Load, Ratio and "Above bare" are medians over rounds, each load compared with the bare start of its own round; "best" is the fastest load minus the fastest bare start (other work on the machine only adds time, so this approaches the idle figure, and Met judges it); CPU is the median of what each process reports for itself, minus bare node's, steadier than wall time on a busy machine. The compile cache columns load a copy of each package with a cache made by this Node.js (\`-c compileCache=true\`, docs/performance.md); Met judges the package as deployed by default, without it.`,
);
table(
  '1b. Cold-start levers (the shipped build of a function against the same build with one change, same rounds)',
  ['Function', 'Build', 'Bundle (KB)', 'Above bare, best (ms)', 'CPU above bare (ms)', 'Change, best (ms)', 'Change, CPU (ms)'],
  LEVER_FUNCTIONS.flatMap((name) => {
    const shipped = coldStarts.rows.find((row) => row.name === name);
    if (!shipped) return [];
    const row = (build: string, bytes: number, load: Load) => [
      name,
      build,
      fixed(bytes / 1024, 0),
      fixed(load.bestAboveMs, 1),
      fixed(load.aboveCpuMs, 1),
      load === shipped ? '–' : signed(load.bestAboveMs - shipped.bestAboveMs),
      load === shipped ? '–' : signed(load.aboveCpuMs - shipped.aboveCpuMs),
    ];
    return [
      row('shipped (CommonJS, zlib and file-type on first use)', shipped.bundleBytes, shipped),
      row('shipped + compile cache', shipped.bundleBytes, shipped.withCache),
      ...coldStarts.levers.filter((lever) => lever.function === name).map((lever) => row(lever.variant, lever.bundleBytes, lever.load)),
    ];
  }),
  'A positive change means the variant loads slower than the shipped build. "all three" is the build before these levers (ES module output, node:zlib and file-type loaded at start), as the functions had it on Node.js 22.',
);

// The local stack: DynamoDB Local and s3rver in memory, the AppSync simulator with the real handlers.
const stack = await startLocalStack({ apiKey: 'da2-bench-key', inMemory: true });
try {
  const { documentClient } = await import('../resolvers/lib/dynamodb.js');
  const { s3Client } = await import('../resolvers/lib/s3.js');
  const counter = new CallCounter();
  counter.attach(documentClient, 'DynamoDB');
  counter.attach(s3Client, 'S3');
  const api = new GraphQLClient(stack.graphqlUrl, localIdToken({ user: BENCH_USER }));

  // 2. AWS calls per operation through the whole flow.
  const callRows: (string | number)[][] = [];
  const counted = async (label: string, operation: Operation, variables: Record<string, unknown>, expectError = false) => {
    counter.reset();
    const body = await api.call(operation, variables);
    if (expectError !== Boolean(body.errors)) throw new Error(`${label}: unexpected answer ${JSON.stringify(body)}`);
    const calls = counter.take();
    return { calls, body };
  };
  const row = (label: string, operation: string | undefined, calls: string[]) => {
    const target = operation && CALL_TARGETS[operation];
    callRows.push([
      label,
      operation ? (REST_DESIGN_CALLS[operation] ?? '–') : '–',
      calls.length,
      target === undefined || target === '' ? '–' : `≤ ${target}`,
      target === undefined || target === '' ? '–' : calls.length <= target ? 'yes' : 'no',
      calls.join(', ') || 'none',
    ]);
  };
  const created = await counted('create', 'createLearningPath', { input: { name: 'Counted path' } });
  row('createLearningPath', 'createLearningPath', created.calls);
  const id = (created.body.data as Record<string, { id: string }>).createLearningPath?.id as string;
  row(
    'addLearningPathMedia inline, first media',
    undefined,
    (await counted('attach', 'addLearningPathMedia', { input: { id, content: SMALL_PNG } })).calls,
  );
  row(
    'addLearningPathMedia inline, replacing media',
    'addLearningPathMedia',
    (await counted('replace', 'addLearningPathMedia', { input: { id, content: SMALL_PNG } })).calls,
  );
  row('learningPath (with media: URL signed locally)', 'learningPath', (await counted('read', 'learningPath', { id })).calls);
  row('learningPaths (page of 20)', undefined, (await counted('list', 'learningPaths', { limit: 20 })).calls);
  row('searchLearningPaths (page of 20)', undefined, (await counted('search', 'searchLearningPaths', { namePrefix: 'c' })).calls);
  row(
    'updateLearningPath',
    'updateLearningPath',
    (await counted('update', 'updateLearningPath', { input: { id, name: 'Renamed' } })).calls,
  );
  row('deleteLearningPath (with media)', 'deleteLearningPath', (await counted('delete', 'deleteLearningPath', { id })).calls);
  row(
    'Failure path: deleteLearningPath of a missing path (sweep)',
    undefined,
    (await counted('delete missing', 'deleteLearningPath', { id }, true)).calls,
  );
  row(
    'Failure path: addLearningPathMedia to a missing path',
    undefined,
    (await counted('attach missing', 'addLearningPathMedia', { input: { id, content: SMALL_PNG } }, true)).calls,
  );
  table(
    '2. AWS calls per operation (counted by SDK middleware, end to end)',
    ['Operation', 'REST design', 'Now', 'Target', 'Met', 'Calls'],
    callRows,
    'After an answer that was lost (unknown outcome) the safety paths add a GetItem (attach, delete) and a ListObjectsV2 sweep (delete); those are not on the happy path.',
  );

  // 3. Handler overhead: each handler in process vs the bare SDK calls it makes, same clients.
  const handlers = new Map<string, (event: unknown) => Promise<unknown>>();
  for (const declaration of resolverDeclarations) {
    const module = (await import(pathToFileURL(join(REPOSITORY_ROOT, declaration.entry)).href)) as {
      handler: (event: unknown) => Promise<unknown>;
    };
    handlers.set(declaration.fieldName, module.handler);
  }
  const event = (fieldName: string, args: Record<string, unknown>) => ({
    arguments: args,
    identity: userIdentity(BENCH_USER),
    source: null,
    info: { fieldName, parentTypeName: fieldName.startsWith('learningPath') ? 'Query' : 'Mutation', selectionSetList: [] },
  });
  const call = async (fieldName: string, args: Record<string, unknown>) => {
    const result = (await handlers.get(fieldName)?.(event(fieldName, args))) as { error?: unknown };
    if (!result || result.error) throw new Error(`${fieldName}: ${JSON.stringify(result?.error)}`);
  };
  const { tableName: TableName, bucketName: Bucket } = stack;
  const seedPath = async (withMedia: boolean) => {
    const pathId = randomUUID();
    const now = new Date().toISOString();
    const key = `media/${pathId}/${randomUUID()}`;
    if (withMedia)
      await s3Client.send(new PutObjectCommand({ Bucket, Key: key, Body: Buffer.from(SMALL_PNG, 'base64'), ContentType: 'image/png' }));
    await documentClient.send(
      new PutCommand({
        TableName,
        Item: {
          id: pathId,
          owner: OWNER,
          name: 'Overhead',
          version: 1,
          createdAt: now,
          updatedAt: now,
          ...(withMedia && { media: { key, contentType: 'image/png', size: 69, uploadedAt: now } }),
        },
      }),
    );
    return { pathId, key };
  };
  const readable = await seedPath(true);
  const pngBytes = Buffer.from(SMALL_PNG, 'base64');
  type Case = {
    prepare?: () => Promise<Record<string, unknown>>;
    handler: (prepared: Record<string, unknown>) => Promise<void>;
    bare: (prepared: Record<string, unknown>) => Promise<void>;
  };
  const cases: Record<string, Case> = {
    learningPath: {
      handler: () => call('learningPath', { id: readable.pathId }),
      bare: async () => void (await documentClient.send(new GetCommand({ TableName, Key: { id: readable.pathId }, ConsistentRead: true }))),
    },
    learningPaths: {
      handler: () => call('learningPaths', { limit: 20 }),
      // The store's requests for the first page of NEWEST_FIRST: one Query of the creation-time index per shard.
      bare: async () =>
        void (await Promise.all(
          Array.from({ length: CATALOGUE_SHARDS }, (_, shard) =>
            documentClient.send(
              new QueryCommand({
                TableName,
                IndexName: CREATED_INDEX.indexName,
                KeyConditionExpression: '#shard = :shard',
                ExpressionAttributeNames: { '#shard': CREATED_INDEX.partitionKey },
                ExpressionAttributeValues: { ':shard': String(shard) },
                ScanIndexForward: false,
                Limit: 21,
              }),
            ),
          ),
        )),
    },
    createLearningPath: {
      handler: () => call('createLearningPath', { input: { name: 'Overhead create' } }),
      bare: async () => {
        const now = new Date().toISOString();
        await documentClient.send(
          new PutCommand({
            TableName,
            Item: {
              id: randomUUID(),
              owner: OWNER,
              name: 'Overhead create',
              version: 1,
              createdAt: now,
              updatedAt: now,
              inputHash: randomUUID(),
            },
            ConditionExpression: 'attribute_not_exists(id)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
      },
    },
    updateLearningPath: {
      handler: () => call('updateLearningPath', { input: { id: readable.pathId, description: 'Updated by the handler' } }),
      bare: async () =>
        void (await documentClient.send(
          new UpdateCommand({
            TableName,
            Key: { id: readable.pathId },
            UpdateExpression:
              'SET #version = #version + :one, updatedAt = :now, priorWriteId = if_not_exists(lastWriteId, :none), lastWriteId = :writeId, description = :description',
            ConditionExpression: 'attribute_exists(id) AND #owner = :owner',
            ExpressionAttributeNames: { '#version': 'version', '#owner': 'owner' },
            ExpressionAttributeValues: {
              ':owner': OWNER,
              ':one': 1,
              ':now': new Date().toISOString(),
              ':writeId': randomUUID(),
              ':none': '',
              ':description': 'Updated bare',
            },
            ReturnValues: 'ALL_NEW',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        )),
    },
    addLearningPathMedia: {
      handler: () => call('addLearningPathMedia', { input: { id: readable.pathId, content: SMALL_PNG } }),
      bare: async () => {
        const key = `media/${readable.pathId}/${randomUUID()}`;
        await s3Client.send(
          new PutObjectCommand({ Bucket, Key: key, Body: pngBytes, ContentType: 'image/png', ContentLength: pngBytes.byteLength }),
        );
        const { Attributes } = await documentClient.send(
          new UpdateCommand({
            TableName,
            Key: { id: readable.pathId },
            UpdateExpression:
              'SET #version = #version + :one, updatedAt = :now, previousMediaKey = if_not_exists(media.#key, :none), media = :media, priorWriteId = if_not_exists(lastWriteId, :none), lastWriteId = :writeId',
            ConditionExpression: 'attribute_exists(id) AND #owner = :owner',
            ExpressionAttributeNames: { '#version': 'version', '#key': 'key', '#owner': 'owner' },
            ExpressionAttributeValues: {
              ':owner': OWNER,
              ':one': 1,
              ':now': new Date().toISOString(),
              ':none': '',
              ':writeId': key,
              ':media': { key, contentType: 'image/png', size: pngBytes.byteLength, uploadedAt: new Date().toISOString() },
            },
            ReturnValues: 'ALL_OLD',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        const old = (Attributes?.media as { key?: string } | undefined)?.key;
        if (old) await s3Client.send(new DeleteObjectCommand({ Bucket, Key: old }));
      },
    },
    deleteLearningPath: {
      prepare: async () => seedPath(true),
      handler: async (prepared) => call('deleteLearningPath', { id: prepared.pathId }),
      bare: async (prepared) => {
        const { Item } = await documentClient.send(new GetCommand({ TableName, Key: { id: prepared.pathId }, ConsistentRead: true }));
        await documentClient.send(
          new DeleteCommand({
            TableName,
            Key: { id: prepared.pathId },
            ConditionExpression: 'attribute_exists(id) AND #owner = :owner AND #createdAt = :createdAt',
            ExpressionAttributeNames: { '#owner': 'owner', '#createdAt': 'createdAt' },
            ExpressionAttributeValues: { ':owner': OWNER, ':createdAt': Item?.createdAt },
            ReturnValues: 'ALL_OLD',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        await s3Client.send(new DeleteObjectCommand({ Bucket, Key: prepared.key as string }));
      },
    },
  };
  const overheadRows: (string | number)[][] = [];
  for (const [name, c] of Object.entries(cases)) {
    const handlerMs: number[] = [];
    const bareMs: number[] = [];
    const timed = async (run: Case['handler'], into: number[], keep: boolean) => {
      const prepared = (await c.prepare?.()) ?? {};
      const start = process.hrtime.bigint();
      await run(prepared);
      if (keep) into.push(Number(process.hrtime.bigint() - start) / 1e6);
    };
    for (let index = 0; index < 45; index++) {
      // Alternate the order so that neither side always runs on a connection the other just warmed.
      const keep = index >= 5;
      if (index % 2 === 0) {
        await timed(c.handler, handlerMs, keep);
        await timed(c.bare, bareMs, keep);
      } else {
        await timed(c.bare, bareMs, keep);
        await timed(c.handler, handlerMs, keep);
      }
    }
    const ratio = median(handlerMs) / median(bareMs);
    overheadRows.push([
      name,
      fixed(median(bareMs)),
      fixed(median(handlerMs)),
      fixed(ratio),
      '≤ 1.10',
      ratio <= 1.1 ? 'yes' : 'no',
      `$${fixed(costPerMillion(median(handlerMs)))}`,
    ]);
  }
  table(
    '3. Handler overhead (in process, DynamoDB Local and s3rver)',
    ['Handler', 'Bare SDK calls p50 (ms)', 'Handler p50 (ms)', 'Ratio', 'Target', 'Met', `Cost per 1M at ${FUNCTION_MEMORY_MB} MB`],
    overheadRows,
    '40 measured calls of each after 5 warm-ups, alternating handler and bare calls; the bare side sends the same requests (same expressions and return options) with the same clients, without validation, signing or mapping. Cost: arm64 price ($0.0000133334 per GB-s, $0.20 per million requests) for the handler p50 here, an upper estimate, since DynamoDB Local and s3rver answer slower than DynamoDB and S3.',
  );

  // 4. End to end through the local AppSync: bounded runs on loopback.
  const deletable: string[] = [];
  for (let index = 0; index < E2E_REQUESTS + 20; index++) deletable.push((await seedPath(false)).pathId);
  const e2eRuns: [string, Operation, () => Record<string, unknown>, number][] = [
    ['learningPath', 'learningPath', () => ({ id: readable.pathId }), E2E_REQUESTS],
    ['learningPaths (20)', 'learningPaths', () => ({ limit: 20 }), E2E_REQUESTS],
    ['createLearningPath', 'createLearningPath', () => ({ input: { name: 'Load path' } }), E2E_REQUESTS],
    ['updateLearningPath', 'updateLearningPath', () => ({ input: { id: readable.pathId, name: 'Load rename' } }), E2E_REQUESTS],
    [
      'addLearningPathMedia (69 B PNG)',
      'addLearningPathMedia',
      () => ({ input: { id: readable.pathId, content: SMALL_PNG } }),
      E2E_REQUESTS,
    ],
    [
      'addLearningPathMedia (390 KB PNG)',
      'addLearningPathMedia',
      () => ({ input: { id: readable.pathId, content: LARGE_PNG } }),
      Math.max(E2E_CONNECTIONS, Math.ceil(E2E_REQUESTS / 10)),
    ],
    ['deleteLearningPath', 'deleteLearningPath', () => ({ id: deletable.pop() }), E2E_REQUESTS],
  ];
  const e2eRows: (string | number)[][] = [];
  for (const [label, operation, variables, amount] of e2eRuns) {
    let errors = 0;
    const result = await autocannon({
      url: stack.graphqlUrl,
      method: 'POST',
      headers: api.headers,
      connections: E2E_CONNECTIONS,
      amount,
      requests: [
        {
          setupRequest: (request) => ({ ...request, body: JSON.stringify({ query: OPERATIONS[operation], variables: variables() }) }),
          onResponse: (status, body) => {
            if (status !== 200 || body.includes('"errors"')) errors++;
          },
        },
      ],
    });
    e2eRows.push([
      label,
      amount,
      fixed(result.requests.total / result.duration, 0),
      result.latency.p50,
      result.latency.p99,
      errors + result.non2xx + result.errors,
    ]);
  }
  table(
    '4. End to end through the local AppSync (4 connections, loopback)',
    ['Operation', 'Requests', 'Req/s', 'p50 (ms)', 'p99 (ms)', 'Errors'],
    e2eRows,
    'Each operation on its own, a fixed number of requests over 4 connections; req/s is requests over the run time. The simulator, DynamoDB Local and s3rver share the 2 cores with the handlers.',
  );
} finally {
  await stack.stop();
}

// 5. List cost on its own DynamoDB Local.
const sizes = [1_000, 20_000];
const listCosts = await measureListCost(sizes);
const costOf = (listing: string, shards: number, stored: number) =>
  listCosts.find((cost) => cost.listing === listing && cost.shards === shards && cost.stored === stored);
table(
  '5. List cost (ReturnConsumedCapacity per page of 20, eventually consistent Query of every shard)',
  ['Listing', 'Shards', ...sizes.flatMap((size) => [`${size.toLocaleString('en-US')} paths: first page (RCU)`, 'median page (RCU)'])],
  [...new Map(listCosts.map((cost) => [`${cost.listing}/${cost.shards}`, cost])).values()].map(({ listing, shards }) => [
    listing,
    shards === CATALOGUE_SHARDS ? `${shards} (deployed)` : shards,
    ...sizes.flatMap((size) => [costOf(listing, shards, size)?.firstPage ?? '–', costOf(listing, shards, size)?.medianPage ?? '–']),
  ]),
  `Each page queries every shard for 21 items from the same position and merges them, so its cost depends on the shard count and the item size, not on how many paths are stored; a search reads fewer items where a shard holds fewer than 21 matches ("Benchmark path 1" matches 111 of 1,000 paths, 11,111 of 20,000). Median over the first ${listCosts[0]?.pages ?? 0} pages, each following the previous one's position. Items of about 0.3 KB.`,
);

const cpu = cpus()[0]?.model ?? 'unknown';
const header = [
  '# Benchmark results',
  '',
  `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${cpu}, ${cpus().length} cores, Node ${process.version}, ${process.platform}/${process.arch}. Whole run ${fixed((Date.now() - started) / 1000, 0)} s.`,
  'Every figure below comes from this one run. Other work on the machine shows up as noise, mostly in the cold-start ratios.',
  '',
].join('\n');
writeFileSync(join(REPOSITORY_ROOT, 'bench', 'RESULTS.md'), `${header}\n${sections.join('\n\n')}\n`);
log(`\nWrote bench/RESULTS.md in ${fixed((Date.now() - started) / 1000, 0)} s`);
process.exit(0);
