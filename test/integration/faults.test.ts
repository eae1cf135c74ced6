import { randomUUID } from 'node:crypto';
import { DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { localDocumentClient, localS3Client } from '../../infra/local/clients.js';
import { handlerBudgetMs, type SdkCall } from '../../resolvers/call-budget.js';
import { resolverDeclarations } from '../../resolvers/declarations.js';
import { handler as addMedia } from '../../resolvers/handlers/Mutation.addLearningPathMedia.js';
import { handler as createPath } from '../../resolvers/handlers/Mutation.createLearningPath.js';
import { handler as deletePath } from '../../resolvers/handlers/Mutation.deleteLearningPath.js';
import { handler as updatePath } from '../../resolvers/handlers/Mutation.updateLearningPath.js';
import type { LearningPathRecord } from '../../resolvers/learning-paths/model.js';
import { DYNAMODB_CLIENT_SETTINGS, documentClient } from '../../resolvers/lib/dynamodb.js';
import { logger } from '../../resolvers/lib/logger.js';
import { S3_CLIENT_SETTINGS, s3Client } from '../../resolvers/lib/s3.js';
import { expectedAttempts, FAULT_KINDS, FaultInjector, type FaultKind } from '../support/faults.js';
import { PDF_HEADER, PNG_1PX } from '../support/media-samples.js';
import { data, invoke, outcome, type Response } from '../support/mutations.js';

/**
 * Every AWS call of every mutation, failed one at a time in each way of FAULT_KINDS, through the
 * real handler modules against DynamoDB Local and s3rver. The failures are injected by middleware
 * on the handlers' own module-level clients, in this worker only.
 */
const clients = {
  DynamoDB: { client: documentClient as never, settings: DYNAMODB_CLIENT_SETTINGS },
  S3: { client: s3Client as never, settings: S3_CLIENT_SETTINGS },
};
const injector = new FaultInjector(clients);

// Each injected failure is logged as an unexpected one: expected here.
logger.setLogLevel('SILENT');

const stack = inject('localStack');
const inspectTable = localDocumentClient(stack.dynamoDbEndpoint);
const inspectBucket = localS3Client(stack.s3Endpoint);

type Item = LearningPathRecord;
type Phase = 'before-commit' | 'commit' | 'cleanup';

async function newPath(media?: Buffer): Promise<string> {
  const { id } = data(await invoke(createPath, { input: { name: `Fault ${randomUUID()}`, description: 'before' } }));
  if (media) data(await invoke(addMedia, { input: { id, content: media.toString('base64') } }));
  return id;
}

/** The stored state of the paths a case can touch and of every object under their media prefix. */
async function snapshot(find: () => Promise<Item[]>, ids: () => string[]) {
  const items = await find();
  const objects: string[] = [];
  for (const id of new Set([...ids(), ...items.map((item) => item.id as string)])) {
    const listed = await inspectBucket.send(new ListObjectsV2Command({ Bucket: stack.bucketName, Prefix: `media/${id}/` }));
    objects.push(...(listed.Contents ?? []).map((object) => object.Key as string));
  }
  return { items, objects: objects.sort() };
}

const byId = (id: string) => async () => {
  const { Item } = await inspectTable.send(new GetCommand({ TableName: stack.tableName, Key: { id }, ConsistentRead: true }));
  return Item ? [Item as Item] : [];
};

const byName = (name: string) => async () => {
  const items: Item[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await inspectTable.send(
      new ScanCommand({
        TableName: stack.tableName,
        FilterExpression: '#name = :name',
        ExpressionAttributeNames: { '#name': 'name' },
        ExpressionAttributeValues: { ':name': name },
        ExclusiveStartKey,
        ConsistentRead: true,
      }),
    );
    items.push(...((page.Items ?? []) as Item[]));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
};

/** What a change promises about a path, without the values each run makes anew (times, keys, write ids). */
const visible = (item: Item) => ({
  name: item.name,
  description: item.description ?? null,
  version: item.version,
  media: item.media ? { contentType: item.media.contentType, size: item.media.size } : null,
});

interface Scenario {
  name: string;
  /** The calls a successful run makes, in order, and which one commits the change. */
  calls: { call: string; phase: Phase }[];
  prepare(): Promise<{
    run: () => Promise<Response>;
    find: () => Promise<Item[]>;
    ids: () => string[];
    after: (before: Item[]) => ReturnType<typeof visible>[];
  }>;
}

const scenarios: Scenario[] = [
  {
    name: 'createLearningPath',
    calls: [{ call: 'DynamoDB PutItem', phase: 'commit' }],
    async prepare() {
      const name = `Created ${randomUUID()}`;
      return {
        run: () => invoke(createPath, { input: { name, description: 'new' } }),
        find: byName(name),
        ids: () => [],
        after: () => [{ name, description: 'new', version: 1, media: null }],
      };
    },
  },
  {
    name: 'createLearningPath with clientToken',
    calls: [{ call: 'DynamoDB PutItem', phase: 'commit' }],
    async prepare() {
      const name = `Created ${randomUUID()}`;
      return {
        run: () => invoke(createPath, { input: { name, clientToken: randomUUID() } }),
        find: byName(name),
        ids: () => [],
        after: () => [{ name, description: null, version: 1, media: null }],
      };
    },
  },
  {
    name: 'updateLearningPath',
    calls: [{ call: 'DynamoDB UpdateItem', phase: 'commit' }],
    async prepare() {
      const id = await newPath(PNG_1PX);
      return {
        run: () => invoke(updatePath, { input: { id, name: 'Renamed' } }),
        find: byId(id),
        ids: () => [id],
        after: ([before]) => [{ ...visible(before as Item), name: 'Renamed', version: (before as Item).version + 1 }],
      };
    },
  },
  {
    name: 'updateLearningPath with expectedVersion',
    calls: [{ call: 'DynamoDB UpdateItem', phase: 'commit' }],
    async prepare() {
      const id = await newPath();
      return {
        run: () => invoke(updatePath, { input: { id, description: null, expectedVersion: 1 } }),
        find: byId(id),
        ids: () => [id],
        after: ([before]) => [{ ...visible(before as Item), description: null, version: 2 }],
      };
    },
  },
  {
    name: 'deleteLearningPath of a path with media',
    calls: [
      { call: 'DynamoDB GetItem', phase: 'before-commit' },
      { call: 'DynamoDB DeleteItem', phase: 'commit' },
      { call: 'S3 DeleteObject', phase: 'cleanup' },
    ],
    async prepare() {
      const id = await newPath(PNG_1PX);
      return { run: () => invoke(deletePath, { id }), find: byId(id), ids: () => [id], after: () => [] };
    },
  },
  {
    name: 'addLearningPathMedia to a path without media',
    calls: [
      { call: 'S3 PutObject', phase: 'before-commit' },
      { call: 'DynamoDB UpdateItem', phase: 'commit' },
    ],
    async prepare() {
      const id = await newPath();
      return {
        run: () => invoke(addMedia, { input: { id, content: PNG_1PX.toString('base64') } }),
        find: byId(id),
        ids: () => [id],
        after: ([before]) => [{ ...visible(before as Item), version: 2, media: { contentType: 'image/png', size: PNG_1PX.byteLength } }],
      };
    },
  },
  {
    name: 'addLearningPathMedia replacing media, with expectedVersion',
    calls: [
      { call: 'S3 PutObject', phase: 'before-commit' },
      { call: 'DynamoDB UpdateItem', phase: 'commit' },
      { call: 'S3 DeleteObject', phase: 'cleanup' },
    ],
    async prepare() {
      const id = await newPath(PNG_1PX);
      return {
        run: () => invoke(addMedia, { input: { id, content: PDF_HEADER.toString('base64'), expectedVersion: 2 } }),
        find: byId(id),
        ids: () => [id],
        after: ([before]) => [
          { ...visible(before as Item), version: 3, media: { contentType: 'application/pdf', size: PDF_HEADER.byteLength } },
        ],
      };
    },
  },
  {
    name: 'addLearningPathMedia by upload, replacing media',
    calls: [
      { call: 'S3 GetObject', phase: 'before-commit' },
      { call: 'S3 CopyObject', phase: 'before-commit' },
      { call: 'DynamoDB UpdateItem', phase: 'commit' },
      { call: 'S3 DeleteObject', phase: 'cleanup' },
      { call: 'S3 DeleteObject', phase: 'cleanup' },
    ],
    async prepare() {
      const id = await newPath(PNG_1PX);
      const uploadKey = `uploads/${id}/${randomUUID()}`;
      await inspectBucket.send(
        new PutObjectCommand({ Bucket: stack.bucketName, Key: uploadKey, Body: PDF_HEADER, ContentType: 'application/pdf' }),
      );
      return {
        run: () => invoke(addMedia, { input: { id, uploadKey } }),
        find: byId(id),
        ids: () => [id],
        after: ([before]) => [
          { ...visible(before as Item), version: 3, media: { contentType: 'application/pdf', size: PDF_HEADER.byteLength } },
        ],
      };
    },
  },
];

/** Writes whose failed attempt may have been applied: never retried then, but settled with a read. */
const SETTLED_CALLS = new Set(DYNAMODB_CLIENT_SETTINGS.settledCommands.map((command) => `DynamoDB ${command}`));

/**
 * The outcome each failure must have. A failure that proves nothing was applied (throttling, a
 * refused connection) is retried away; so is any failure of a call that is safe to repeat (reads,
 * a put or copy to a fresh key, deletes), until its attempts run out. A settled write (a conditional
 * write) is sent once: its lost answer is settled into success by a read, and its other failures
 * (not applied here) fail the request with nothing changed. A failed cleanup call is made good by the same request.
 */
function expectedOutcome(call: string, phase: Phase, kind: FaultKind): { response: string; state: 'before' | 'after' } {
  if (phase === 'cleanup' || kind === 'throttled-once' || kind === 'refused-once') return { response: 'ok', state: 'after' };
  if (kind === 'rejected') return { response: 'InternalFailure', state: 'before' };
  if (kind.startsWith('lost-answer') && SETTLED_CALLS.has(call)) return { response: 'ok', state: 'after' };
  if (kind.endsWith('-once') && !SETTLED_CALLS.has(call)) return { response: 'ok', state: 'after' };
  return { response: 'InternalFailure', state: 'before' };
}

/** `S3 DeleteObject` as the declarations name it: `s3:DeleteObject`. */
const asSdkCall = (call: string) => call.replace(/^(\w+) /, (_, service: string) => `${service.toLowerCase()}:`) as SdkCall;
const declarationOf = (scenario: Scenario) => {
  const declaration = resolverDeclarations.find(({ fieldName }) => fieldName === scenario.name.split(' ')[0]);
  if (!declaration) throw new Error(`No declaration for ${scenario.name}`);
  return declaration;
};

describe('the AWS calls of each mutation, counted by middleware', () => {
  it.each(scenarios)('$name makes exactly the declared calls', async (scenario) => {
    const { run } = await scenario.prepare();
    injector.reset();
    expect(outcome(await run())).toBe('ok');
    expect(injector.calls).toEqual(scenario.calls.map(({ call }) => call));
    expect(injector.attempts.filter((attempts) => attempts !== undefined)).toEqual(scenario.calls.map(() => 1));
  });
});

const cases = scenarios.flatMap((scenario) =>
  scenario.calls.flatMap(({ call, phase }, index) =>
    FAULT_KINDS.map((kind) => ({
      scenario,
      name: call,
      call: `#${index + 1} ${call}`,
      index: index + 1,
      phase,
      kind,
      label: `${scenario.name.split(' ')[0]} #${index + 1} ${call} ${kind}`,
    })),
  ),
);

describe('one failed AWS call at a time: the stored path is exactly before or exactly after, no object dangles or lingers', () => {
  it.each(cases)('$label', async ({ scenario, name, call, index, phase, kind }) => {
    const { run, find, ids, after } = await scenario.prepare();
    const before = await snapshot(find, ids);

    injector.reset({ call: index, kind });
    const response = await run();
    const attempts = injector.attempts[index];
    const calls = injector.sequentialCalls;
    injector.reset();
    const stored = await snapshot(find, ids);

    const expected = expectedOutcome(name, phase, kind);
    const service = call.split(' ')[1] as keyof typeof clients;
    expect(attempts).toBe(expectedAttempts(kind, clients[service].settings.maxAttempts, SETTLED_CALLS.has(name)));
    expect(outcome(response)).toBe(expected.response);
    // Whatever path the failure sent the handler down is within the worst case its timeout allows for.
    expect(handlerBudgetMs([calls.map(asSdkCall)])).toBeLessThanOrEqual(handlerBudgetMs(declarationOf(scenario).callSequences));
    if (expected.state === 'before') {
      expect(stored).toEqual(before);
    } else {
      expect(stored.items.map(visible)).toEqual(after(before.items));
      if (scenario.name.startsWith('addLearningPathMedia')) expect(stored.items[0]?.media?.key).not.toBe(before.items[0]?.media?.key);
    }
    // Every media key stored has its object, and no other object is left under the path's prefix.
    expect(stored.objects).toEqual(stored.items.flatMap((item) => (item.media ? [item.media.key] : [])).sort());
    // An upload left for the client's retry expires by the bucket's lifecycle on AWS; here the test removes it.
    for (const id of ids()) {
      const uploads = await inspectBucket.send(new ListObjectsV2Command({ Bucket: stack.bucketName, Prefix: `uploads/${id}/` }));
      for (const { Key } of uploads.Contents ?? []) await inspectBucket.send(new DeleteObjectCommand({ Bucket: stack.bucketName, Key }));
    }
  });
});
