import { randomUUID } from 'node:crypto';
import { DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { localDocumentClient, localS3Client } from '../../infra/local/clients.js';
import { reconcileMedia } from '../../jobs/media-reconciler.js';
import { handler as addMedia } from '../../resolvers/handlers/Mutation.addLearningPathMedia.js';
import { handler as createPath } from '../../resolvers/handlers/Mutation.createLearningPath.js';
import { handler as deletePath } from '../../resolvers/handlers/Mutation.deleteLearningPath.js';
import { handler as updatePath } from '../../resolvers/handlers/Mutation.updateLearningPath.js';
import { ownerFor } from '../../resolvers/learning-paths/access.js';
import { DynamoDbLearningPathStore } from '../../resolvers/learning-paths/dynamodb-store.js';
import { pathIdForClientToken } from '../../resolvers/learning-paths/idempotency.js';
import type { LearningPathRecord } from '../../resolvers/learning-paths/model.js';
import { S3MediaStore } from '../../resolvers/learning-paths/s3-media-store.js';
import { DYNAMODB_CLIENT_SETTINGS, documentClient } from '../../resolvers/lib/dynamodb.js';
import { actorFromIdentity } from '../../resolvers/lib/identity.js';
import { logger } from '../../resolvers/lib/logger.js';
import { S3_CLIENT_SETTINGS, s3Client } from '../../resolvers/lib/s3.js';
import { userIdentity } from '../support/auth.js';
import { FaultInjector } from '../support/faults.js';
import { gif, PDF_HEADER, PNG_1PX, png } from '../support/media-samples.js';
import { data, invoke, outcome, type Response } from '../support/mutations.js';

/**
 * Interleavings of a lost answer with a second request, and crashes after each AWS call, through the
 * real handler modules against DynamoDB Local and s3rver. The first request's chosen call reaches the
 * service; a second request then runs to completion; then the first call's answer is lost with the
 * SDK's own TimeoutError. The invariants: no record points at a missing object; no acknowledged write
 * of the second request is reverted; a typed error only when the first request changed nothing; and
 * after the reconciler, no unreferenced object.
 */
const injector = new FaultInjector({
  DynamoDB: { client: documentClient as never, settings: DYNAMODB_CLIENT_SETTINGS },
  S3: { client: s3Client as never, settings: S3_CLIENT_SETTINGS },
});
logger.setLogLevel(process.env.DEBUG_LOG ? 'ERROR' : 'SILENT');

const stack = inject('localStack');
const inspectS3 = localS3Client(stack.s3Endpoint);
const inspectDynamo = localDocumentClient(stack.dynamoDbEndpoint);
const records = new DynamoDbLearningPathStore(inspectDynamo, stack.tableName);
const objects = new S3MediaStore(inspectS3, stack.bucketName);
const owner = ownerFor(actorFromIdentity(userIdentity()));
const TWO_HOURS_LATER = () => new Date(Date.now() + 2 * 60 * 60 * 1000).toISOString();

afterAll(() => {
  inspectS3.destroy();
  inspectDynamo.destroy();
});

interface Path {
  id: string;
  createInput: { name: string; description: string; clientToken: string };
}

async function newPath(options: { media: boolean; create?: boolean }): Promise<Path> {
  const createInput = { name: `Interleaved ${randomUUID()}`, description: 'before', clientToken: randomUUID() };
  const id = pathIdForClientToken(owner, createInput.clientToken);
  if (options.create !== false) data(await invoke(createPath, { input: createInput }));
  if (options.media) data(await invoke(addMedia, { input: { id, content: PNG_1PX.toString('base64') } }));
  return { id, createInput };
}

async function keysUnder(prefix: string): Promise<string[]> {
  const listed = await inspectS3.send(new ListObjectsV2Command({ Bucket: stack.bucketName, Prefix: prefix }));
  return (listed.Contents ?? []).map((object) => object.Key as string).sort();
}

async function putUpload(id: string, body: Buffer, contentType: string): Promise<string> {
  const key = `uploads/${id}/${randomUUID()}`;
  await inspectS3.send(new PutObjectCommand({ Bucket: stack.bucketName, Key: key, Body: body, ContentType: contentType }));
  return key;
}

/** The path's record and media objects; then what the reconciler removes, and what is left. */
async function settle(id: string) {
  const stored = await records.get(id);
  const before = await keysUnder(`media/${id}/`);
  const { removed } = await reconcileMedia({ paths: records, media: objects, now: TWO_HOURS_LATER }, { prefix: `media/${id}/` });
  const after = await keysUnder(`media/${id}/`);
  // Uploads expire by the bucket's lifecycle on AWS; here the test clears them for the end-of-suite audit.
  for (const key of await keysUnder(`uploads/${id}/`))
    await inspectS3.send(new DeleteObjectCommand({ Bucket: stack.bucketName, Key: key }));
  return { stored, orphans: removed.length, before, after };
}

/** Never a record pointing at a missing object; after the reconciler, exactly the referenced object. */
function expectConsistent(result: Awaited<ReturnType<typeof settle>>) {
  const referenced = result.stored?.media ? [result.stored.media.key] : [];
  for (const key of referenced) expect(result.before).toContain(key);
  expect(result.after).toEqual(referenced);
}

type FirstName =
  | 'create'
  | 'update'
  | 'update, expectedVersion'
  | 'attach inline'
  | 'attach inline, expectedVersion'
  | 'attach by upload'
  | 'delete'
  | 'delete, expectedVersion';

interface First {
  /** Whether the path exists (with media) before the first request. */
  setup: { create: boolean; media: boolean };
  /** The call, by number, whose answer is lost: the request's commit. */
  commit: number;
  run(path: Path): Promise<() => Promise<Response>>;
  /** What the first request's success must leave visible on the stored path. */
  visible?(stored: LearningPathRecord): void;
}

const firsts: Record<FirstName, First> = {
  create: {
    setup: { create: false, media: false },
    commit: 1,
    run:
      async ({ createInput }) =>
      () =>
        invoke(createPath, { input: createInput }),
  },
  update: {
    setup: { create: true, media: true },
    commit: 1,
    run:
      async ({ id }) =>
      () =>
        invoke(updatePath, { input: { id, name: 'First writer' } }),
    visible: (stored) => expect(stored.name).toBe('First writer'),
  },
  'update, expectedVersion': {
    setup: { create: true, media: true },
    commit: 1,
    run:
      async ({ id }) =>
      () =>
        invoke(updatePath, { input: { id, name: 'First writer', expectedVersion: 2 } }),
    visible: (stored) => expect(stored.name).toBe('First writer'),
  },
  'attach inline': {
    setup: { create: true, media: true },
    commit: 2,
    run:
      async ({ id }) =>
      () =>
        invoke(addMedia, { input: { id, content: PDF_HEADER.toString('base64') } }),
  },
  'attach inline, expectedVersion': {
    setup: { create: true, media: true },
    commit: 2,
    run:
      async ({ id }) =>
      () =>
        invoke(addMedia, { input: { id, content: PDF_HEADER.toString('base64'), expectedVersion: 2 } }),
  },
  'attach by upload': {
    setup: { create: true, media: true },
    commit: 3,
    run: async ({ id }) => {
      const uploadKey = await putUpload(id, PDF_HEADER, 'application/pdf');
      return () => invoke(addMedia, { input: { id, uploadKey } });
    },
  },
  delete: {
    setup: { create: true, media: true },
    commit: 2,
    run:
      async ({ id }) =>
      () =>
        invoke(deletePath, { id }),
  },
  'delete, expectedVersion': {
    setup: { create: true, media: true },
    commit: 2,
    run:
      async ({ id }) =>
      () =>
        invoke(deletePath, { id, expectedVersion: 2 }),
  },
};

type SecondName = 'update' | 'attach' | 'delete' | 're-create';

/** The second request, and what its success must leave visible (or absent) in the end. */
const seconds: Record<
  SecondName,
  { run(path: Path): Promise<Response>; check(stored: LearningPathRecord | undefined, answer: Response): void }
> = {
  update: {
    run: ({ id }) => invoke(updatePath, { input: { id, description: 'Second writer' } }),
    check: (stored) => expect(stored?.description).toBe('Second writer'),
  },
  attach: {
    run: ({ id }) => invoke(addMedia, { input: { id, content: gif().toString('base64') } }),
    check: (stored, answer) => expect(stored?.media?.key).toBe(data(answer).media?.key),
  },
  delete: { run: ({ id }) => invoke(deletePath, { id }), check: (stored) => expect(stored).toBeUndefined() },
  're-create': {
    run: ({ createInput }) => invoke(createPath, { input: createInput }),
    check: (stored) => expect(stored).toBeDefined(),
  },
};

/** The answer each first request must give (the second's answers are checked by its invariant). */
function expectedFirstAnswer(first: FirstName, second: SecondName): string {
  if (first.startsWith('delete')) return 'ok';
  // The path is gone: whether the first write landed before the delete cannot be told, so nothing is claimed.
  if (second === 'delete') return 'InternalFailure';
  return 'ok';
}

const table: string[] = [];

describe('a lost answer, then a second request before the first settles', () => {
  const cases = (Object.keys(firsts) as FirstName[]).flatMap((first) =>
    (Object.keys(seconds) as SecondName[]).map((second) => ({ first, second, label: `${first} × ${second}` })),
  );

  it.each(cases)('$label', async ({ first, second }) => {
    const spec = firsts[first];
    const path = await newPath(spec.setup);
    const run = await spec.run(path);
    let secondAnswer: Response | undefined;
    injector.loseAnswerAround(spec.commit, async () => {
      secondAnswer = await seconds[second].run(path);
    });
    const answer = await run();
    injector.reset();
    const result = await settle(path.id);

    expect(secondAnswer).toBeDefined();
    expect(outcome(answer)).toBe(expectedFirstAnswer(first, second));
    expectConsistent(result);
    // The requests' own cleanup left nothing for the reconciler.
    expect(result.orphans).toBe(0);
    // The second request's acknowledged write stands.
    if (outcome(secondAnswer as Response) === 'ok') seconds[second].check(result.stored, secondAnswer as Response);
    // The first request's acknowledged write stands unless the second one replaced that very field.
    if (outcome(answer) === 'ok' && result.stored !== undefined) spec.visible?.(result.stored);
    table.push(
      `| ${first} | ${second} | ${outcome(answer)} | ${outcome(secondAnswer as Response)} | ${describe_(result.stored)} | ${result.orphans} |`,
    );
  });

  afterAll(() => {
    if (process.env.PRINT_INTERLEAVINGS)
      console.log(
        ['| first (answer lost) | second | first answers | second answers | final path | orphans reconciled |', ...table].join('\n'),
      );
  });
});

function describe_(stored: LearningPathRecord | undefined): string {
  if (stored === undefined) return 'absent';
  const media = stored.media ? stored.media.contentType : 'no media';
  return `v${stored.version}, name ${stored.name === 'First writer' ? 'first' : 'original'}, description ${stored.description === 'Second writer' ? 'second' : (stored.description ?? 'none')}, ${media}`;
}

describe('a timeout before the write reached DynamoDB, then a second update: the settling read proves it was not applied', () => {
  it.each([
    { label: 'an update with expectedVersion answers ConflictError and changes nothing', expectedVersion: 2, answer: 'ConflictError' },
    {
      label: 'an update without expectedVersion cannot tell, and answers InternalFailure',
      expectedVersion: undefined,
      answer: 'InternalFailure',
    },
  ])('$label', async ({ expectedVersion, answer }) => {
    const path = await newPath({ create: true, media: true });
    injector.loseAnswerAround(1, () => invoke(updatePath, { input: { id: path.id, description: 'Second writer' } }), false);
    const response = await invoke(updatePath, { input: { id: path.id, name: 'First writer', expectedVersion } });
    injector.reset();
    const result = await settle(path.id);

    expect(outcome(response)).toBe(answer);
    expect(result.stored).toMatchObject({ name: path.createInput.name, description: 'Second writer', version: 3 });
    expectConsistent(result);
  });
});

/** Each mutation and how many AWS calls its successful run makes. */
const crashing: {
  name: string;
  calls: number;
  setup: { create: boolean; media: boolean };
  run(path: Path): Promise<() => Promise<Response>>;
}[] = [
  { name: 'create', calls: 1, ...firsts.create },
  { name: 'update', calls: 1, ...firsts.update },
  { name: 'attach inline, replacing media', calls: 3, ...firsts['attach inline'] },
  { name: 'attach by upload, replacing media', calls: 5, ...firsts['attach by upload'] },
  { name: 'delete', calls: 3, ...firsts.delete },
];

describe('a crash right after each AWS call: no dangling reference, and the reconciler leaves no orphan', () => {
  const cases = crashing.flatMap((mutation) =>
    Array.from({ length: mutation.calls }, (_, index) => ({
      mutation,
      after: index + 1,
      label: `${mutation.name}, crash after call ${index + 1}`,
    })),
  );

  it.each(cases)('$label', async ({ mutation, after }) => {
    const path = await newPath(mutation.setup);
    const before = await records.get(path.id);
    const run = await mutation.run(path);
    injector.crashAfter(after);
    await run();
    injector.reset();
    const result = await settle(path.id);

    expectConsistent(result);
    // The record is exactly as before or shows the change: the writes are atomic.
    if (result.stored !== undefined && before !== undefined && result.stored.version === before.version) {
      expect(result.stored).toEqual(before);
    }
  });
});

describe('attaching one upload twice at once (a double click, a client retry)', () => {
  it.each([0, 5, 20, 40])('never fails with InternalFailure, %i ms apart', async (gap) => {
    for (let round = 0; round < 10; round += 1) {
      const path = await newPath({ create: true, media: false });
      const uploadKey = await putUpload(path.id, png(8, 8), 'image/png');
      const attach = () => invoke(addMedia, { input: { id: path.id, uploadKey } });
      const answers = await Promise.all([attach(), new Promise((resolve) => setTimeout(resolve, gap)).then(attach)]);
      const result = await settle(path.id);

      for (const answer of answers) expect(['ok', 'ValidationError'], JSON.stringify(answer)).toContain(outcome(answer));
      expect(answers.map(outcome)).toContain('ok');
      expect(result.stored?.media).toBeDefined();
      expectConsistent(result);
      expect(result.orphans).toBe(0);
      expect(await keysUnder(`uploads/${path.id}/`)).toEqual([]);
    }
  });

  it('refuses and removes an upload swapped after it was verified', async () => {
    const path = await newPath({ create: true, media: false });
    const uploadKey = await putUpload(path.id, png(8, 8), 'image/png');
    // Between the verifying read (call 1) and the copy (call 2), the upload is overwritten.
    injector.runBefore(2, () =>
      inspectS3.send(new PutObjectCommand({ Bucket: stack.bucketName, Key: uploadKey, Body: '<html><script>', ContentType: 'image/png' })),
    );
    const answer = await invoke(addMedia, { input: { id: path.id, uploadKey } });
    injector.reset();

    expect(answer).toEqual({ error: { type: 'ValidationError', message: 'uploadKey: the upload changed while it was being attached' } });
    expect(await records.get(path.id)).toMatchObject({ version: 1 });
    expect(await keysUnder(`media/${path.id}/`)).toEqual([]);
    expect(await keysUnder(`uploads/${path.id}/`)).toEqual([]);
  });
});
