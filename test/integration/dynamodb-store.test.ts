import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { catalogueKeys } from '../../resolvers/learning-paths/catalogue.js';
import { DynamoDbLearningPathStore } from '../../resolvers/learning-paths/dynamodb-store.js';
import type { LearningPathRecord } from '../../resolvers/learning-paths/model.js';
import { ConflictError, NotFoundError, UnauthorizedError } from '../../resolvers/lib/errors.js';
import { localAws } from '../support/aws.js';

const aws = localAws();
const store = new DynamoDbLearningPathStore(aws.documents, aws.stack.tableName);
const NOW = '2026-01-01T00:00:00.000Z';
const LATER = '2026-01-02T00:00:00.000Z';
const OWNER = `owner-${randomUUID()}`;

/** Creates a path; returns it as stored, with the catalogue keys the store adds. */
async function stored(fields: Partial<LearningPathRecord> = {}): Promise<LearningPathRecord> {
  const record: LearningPathRecord = { id: randomUUID(), owner: OWNER, name: 'n', version: 1, createdAt: NOW, updatedAt: NOW, ...fields };
  await store.create(record);
  return { ...record, ...catalogueKeys(record) };
}

describe('DynamoDB learning-path store (DynamoDB Local)', () => {
  it('reads back what it created, and nothing for an unknown id', async () => {
    const record = await stored({ description: 'd' });
    await expect(store.get(record.id)).resolves.toEqual(record);
    await expect(store.get(randomUUID())).resolves.toBeUndefined();
  });

  it('never replaces an existing record on create, and returns the one it met', async () => {
    const record = await stored();
    await expect(store.create({ ...record, name: 'other' })).resolves.toEqual(record);
    await expect(store.get(record.id)).resolves.toMatchObject({ name: 'n' });
  });

  it('updates only the given fields, removes a nulled description, and bumps the version', async () => {
    const record = await stored({ description: 'd' });
    await expect(store.update(record.id, { name: 'renamed' }, LATER)).resolves.toMatchObject({
      name: 'renamed',
      // A rename moves the path in the name index in the same write.
      nameKey: catalogueKeys({ ...record, name: 'renamed' }).nameKey,
      description: 'd',
      version: 2,
      updatedAt: LATER,
    });
    const cleared = await store.update(record.id, { description: null }, LATER, { expectedVersion: 2 });
    expect(cleared).not.toHaveProperty('description');
    expect(cleared).toMatchObject({ name: 'renamed', version: 3 });
  });

  it('tells NotFound from Conflict in one conditional write', async () => {
    const record = await stored();
    await expect(store.update(randomUUID(), { name: 'x' }, LATER)).rejects.toThrow(NotFoundError);
    const conflict = await store.update(record.id, { name: 'x' }, LATER, { expectedVersion: 5 }).catch((error: unknown) => error);
    expect(conflict).toBeInstanceOf(ConflictError);
    expect(conflict).toMatchObject({ expectedVersion: 5, actualVersion: 1 });
    await expect(store.delete(record.id, { expectedVersion: 2 })).rejects.toThrow(ConflictError);
    await expect(store.delete(randomUUID())).rejects.toThrow(NotFoundError);
    await expect(store.get(record.id)).resolves.toEqual(record);
  });

  it('refuses a change guarded by another owner as Unauthorized, in the same conditional write, and changes nothing', async () => {
    const record = await stored();
    const other = { owner: 'someone-else' };
    const media = { key: `media/${record.id}/x`, contentType: 'image/png', size: 3, uploadedAt: LATER };
    await expect(store.update(record.id, { name: 'x' }, LATER, other)).rejects.toThrow(UnauthorizedError);
    await expect(store.update(record.id, { name: 'x' }, LATER, { ...other, expectedVersion: 7 })).rejects.toThrow(UnauthorizedError);
    await expect(store.setMedia(record.id, media, LATER, other)).rejects.toThrow(UnauthorizedError);
    await expect(store.delete(record.id, other)).rejects.toThrow(UnauthorizedError);
    await expect(store.update(randomUUID(), { name: 'x' }, LATER, other)).rejects.toThrow(NotFoundError);
    await expect(store.get(record.id)).resolves.toEqual(record);
    await expect(store.update(record.id, { name: 'mine' }, LATER, { owner: OWNER, expectedVersion: 1 })).resolves.toMatchObject({
      name: 'mine',
      version: 2,
    });
  });

  it("lists one owner's records newest first through the owner index, page by page", async () => {
    const owner = `lister-${randomUUID()}`;
    const created = [];
    for (let day = 1; day <= 9; day++) created.push(await stored({ owner, createdAt: `2026-02-0${day}T00:00:00.000Z` }));
    await stored({ owner: `other-${randomUUID()}`, createdAt: '2026-02-05T12:00:00.000Z' });
    const seen: string[] = [];
    let startAfter: { id: string; createdAt: string } | undefined;
    do {
      const page = await store.listByOwner(owner, 4, startAfter);
      seen.push(...page.items.map((item) => item.id));
      startAfter = page.last;
    } while (startAfter);
    expect(seen).toEqual(created.map((record) => record.id).reverse());
  });

  it('sets media and returns the record after, with the keys it replaced', async () => {
    const record = await stored();
    const media = { key: `media/${record.id}/x`, contentType: 'image/png', size: 3, uploadedAt: LATER };
    const after = { ...record, media, version: 2, updatedAt: LATER, previousMediaKey: '', lastWriteId: media.key, priorWriteId: '' };
    await expect(store.setMedia(record.id, media, LATER, { expectedVersion: 1 })).resolves.toEqual({ path: after, replacedKeys: [] });
    await expect(store.get(record.id)).resolves.toEqual(after);
    const next = { ...media, key: `media/${record.id}/y` };
    await expect(store.setMedia(record.id, next, LATER)).resolves.toMatchObject({ replacedKeys: [media.key] });
    // The key was never written to S3: leave no record pointing at it for the end-of-run bucket audit.
    await store.delete(record.id);
  });

  it('deletes and returns the deleted record', async () => {
    const record = await stored();
    await expect(store.delete(record.id, { expectedVersion: 1 })).resolves.toEqual({ path: record, exact: true });
    await expect(store.get(record.id)).resolves.toBeUndefined();
  });
});
