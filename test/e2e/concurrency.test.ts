import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  AddLearningPathMediaDocument,
  CreateLearningPathDocument,
  type CreateLearningPathInput,
  DeleteLearningPathDocument,
  LearningPathDocument,
  UpdateLearningPathDocument,
} from '../../client/generated/operations.js';
import { graphql, raisedErrorTypes } from '../support/graphql.js';
import { PNG_1PX } from '../support/media-samples.js';

// The operations a frontend sends, as typed documents from client/operations.
const CREATE = CreateLearningPathDocument;
const UPDATE = UpdateLearningPathDocument;
const ADD_MEDIA = AddLearningPathMediaDocument;
const DELETE = DeleteLearningPathDocument;
const READ = LearningPathDocument;

async function create(input: CreateLearningPathInput) {
  const response = await graphql(CREATE, { input });
  expect(response.errors).toBeUndefined();
  return response.data?.createLearningPath as { id: string; version: number };
}

const read = async (id: string) => (await graphql(READ, { id })).data?.learningPath;

describe('optimistic concurrency through the GraphQL endpoint', () => {
  it('lets exactly one of 25 concurrent updates with the same expectedVersion win', async () => {
    const { id } = await create({ name: 'Race' });
    const responses = await Promise.all(
      Array.from({ length: 25 }, (_, index) => graphql(UPDATE, { input: { id, name: `Writer ${index}`, expectedVersion: 1 } })),
    );
    const winners = responses.filter((response) => response.errors === undefined);
    const losers = responses.filter((response) => response.errors !== undefined);
    expect(winners).toHaveLength(1);
    expect(losers.map((response) => raisedErrorTypes(response))).toEqual(Array.from({ length: 24 }, () => ['ConflictError']));
    const stored = await read(id);
    expect(stored).toMatchObject({ version: 2, name: winners[0]?.data?.updateLearningPath.name });
  });

  it('keeps every one of concurrent updates of different fields made without expectedVersion', async () => {
    const { id } = await create({ name: 'Fields', description: 'old' });
    const [byName, byDescription] = await Promise.all([
      graphql(UPDATE, { input: { id, name: 'New name' } }),
      graphql(UPDATE, { input: { id, description: 'New description' } }),
    ]);
    expect([byName.errors, byDescription.errors]).toEqual([undefined, undefined]);
    expect(await read(id)).toMatchObject({ name: 'New name', description: 'New description', version: 3 });
  });

  it('keeps 20 concurrent updates, each of its own path field, with no write undoing another', async () => {
    const { id } = await create({ name: 'Many', description: 'd0' });
    const updates = Array.from({ length: 20 }, (_, index) =>
      graphql(UPDATE, { input: index % 2 === 0 ? { id, name: `n${index}` } : { id, description: `d${index}` } }),
    );
    const responses = await Promise.all(updates);
    expect(responses.flatMap((response) => response.errors ?? [])).toEqual([]);
    const stored = await read(id);
    expect(stored?.version).toBe(21);
    expect(stored?.name).toMatch(/^n\d+$/);
    expect(stored?.description).toMatch(/^d\d+$/);
  });

  it('keeps both a concurrent media attach and a field update', async () => {
    const { id } = await create({ name: 'Media and name' });
    const [attached, renamed] = await Promise.all([
      graphql(ADD_MEDIA, { input: { id, content: PNG_1PX.toString('base64') } }),
      graphql(UPDATE, { input: { id, name: 'Renamed' } }),
    ]);
    expect([attached.errors, renamed.errors]).toEqual([undefined, undefined]);
    const stored = await read(id);
    expect(stored).toMatchObject({ name: 'Renamed', version: 3, media: { key: attached.data?.addLearningPathMedia.media?.key } });
  });
});

describe('idempotent create through the GraphQL endpoint', () => {
  it('returns the same path for a retry with the same token and input', async () => {
    const clientToken = randomUUID();
    const first = await create({ name: 'Once', description: 'only once', clientToken });
    const retry = await create({ name: '  Once ', description: 'only once', clientToken });
    expect(retry).toEqual(first);
  });

  it('refuses the same token with different input as ConflictError and changes nothing', async () => {
    const clientToken = randomUUID();
    const first = await create({ name: 'Original', clientToken });
    const other = await graphql(CREATE, { input: { name: 'Different', clientToken } });
    expect(raisedErrorTypes(other)).toEqual(['ConflictError']);
    expect(await read(first.id)).toEqual(first);
  });

  it('makes one path of 10 concurrent creates with one token', async () => {
    const clientToken = `burst-${randomUUID()}`;
    const responses = await Promise.all(Array.from({ length: 10 }, () => graphql(CREATE, { input: { name: 'Burst', clientToken } })));
    expect(responses.flatMap((response) => response.errors ?? [])).toEqual([]);
    const ids = new Set(responses.map((response) => response.data?.createLearningPath.id));
    expect(ids.size).toBe(1);
    expect(await read([...ids][0] as string)).toMatchObject({ name: 'Burst', version: 1 });
  });

  it('returns the path as it is now when a retry comes after a change', async () => {
    const clientToken = randomUUID();
    const { id } = await create({ name: 'Later changed', clientToken });
    await graphql(UPDATE, { input: { id, name: 'Changed' } });
    expect(await create({ name: 'Later changed', clientToken })).toMatchObject({ id, name: 'Changed', version: 2 });
  });

  it('creates the path again when a retry comes after it was deleted', async () => {
    const clientToken = randomUUID();
    const { id } = await create({ name: 'Deleted then retried', clientToken });
    expect((await graphql(DELETE, { id })).errors).toBeUndefined();
    expect(await create({ name: 'Deleted then retried', clientToken })).toMatchObject({ id, version: 1 });
  });
});
