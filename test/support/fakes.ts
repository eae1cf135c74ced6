import { createHash } from 'node:crypto';
import { notOwner } from '../../resolvers/learning-paths/access.js';
import { type CatalogueListing, catalogueKeys, compareKeys } from '../../resolvers/learning-paths/catalogue.js';
import type {
  CataloguePage,
  LearningPathChanges,
  LearningPathRecord,
  MediaRecord,
  OwnerPage,
  OwnerPagePosition,
  WriteGuard,
} from '../../resolvers/learning-paths/model.js';
import type { LearningPathStore, MediaStore, MediaUrlSigner } from '../../resolvers/learning-paths/store.js';
import { ConflictError, NotFoundError, ValidationError } from '../../resolvers/lib/errors.js';
import type { Actor } from '../../resolvers/lib/identity.js';

/** An in-memory LearningPathStore with the same conditional semantics as the DynamoDB store. */
export class FakeLearningPathStore implements LearningPathStore {
  readonly records = new Map<string, LearningPathRecord>();
  /** When set, the next setMedia fails with this error after (or instead of) applying the write. */
  failNextSetMedia?: { error: Error; afterWrite: boolean };

  async get(id: string) {
    const record = this.records.get(id);
    return record && structuredClone(record);
  }

  /** The catalogue as one sorted list: the same keys and order as the indexes, without shards. */
  async listCatalogue(listing: CatalogueListing, limit: number, after?: string): Promise<CataloguePage> {
    const keyOf = (record: LearningPathRecord) => {
      const keys = catalogueKeys(record);
      return listing.index === 'created' ? keys.createdKey : keys.nameKey;
    };
    const direction = listing.descending ? -1 : 1;
    const listed = [...this.records.values()]
      .filter((record) => listing.prefix === undefined || keyOf(record).startsWith(listing.prefix))
      .filter((record) => after === undefined || direction * compareKeys(keyOf(record), after) > 0)
      .sort((a, b) => direction * compareKeys(keyOf(a), keyOf(b)));
    const items = listed.slice(0, limit).map((record) => structuredClone(record));
    const last = items.at(-1);
    return { items, ...(listed.length > limit && last && { last: keyOf(last) }) };
  }

  async listByOwner(owner: string, limit: number, startAfter?: OwnerPagePosition): Promise<OwnerPage> {
    const newestFirst = (a: LearningPathRecord, b: LearningPathRecord) =>
      b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id);
    const owned = [...this.records.values()].filter((record) => record.owner === owner).sort(newestFirst);
    const start = startAfter === undefined ? 0 : owned.findIndex((record) => record.id === startAfter.id) + 1;
    const items = owned.slice(start, start + limit).map((record) => structuredClone(record));
    const last = items.at(-1);
    return { items, ...(start + limit < owned.length && last && { last: { id: last.id, createdAt: last.createdAt } }) };
  }

  async create(record: LearningPathRecord) {
    const existing = this.records.get(record.id);
    if (existing) return structuredClone(existing);
    this.records.set(record.id, structuredClone(record));
    return undefined;
  }

  async update(id: string, changes: LearningPathChanges, now: string, guard: WriteGuard = {}) {
    const record = this.checked(id, guard);
    if (changes.name !== undefined) record.name = changes.name;
    if (changes.description === null) delete record.description;
    else if (changes.description !== undefined) record.description = changes.description;
    record.version += 1;
    record.updatedAt = now;
    return structuredClone(record);
  }

  async setMedia(id: string, media: MediaRecord, now: string, guard: WriteGuard = {}) {
    const failure = this.failNextSetMedia;
    this.failNextSetMedia = undefined;
    if (failure && !failure.afterWrite) throw failure.error;
    const record = this.checked(id, guard);
    const replacedKeys = [record.media?.key, record.previousMediaKey].filter((key): key is string => !!key && key !== media.key);
    Object.assign(record, { media, version: record.version + 1, updatedAt: now, previousMediaKey: record.media?.key ?? '' });
    if (failure) throw failure.error;
    return { path: structuredClone(record), replacedKeys };
  }

  async delete(id: string, guard: WriteGuard = {}) {
    const record = this.checked(id, guard);
    this.records.delete(id);
    return { path: structuredClone(record), exact: true };
  }

  private checked(id: string, { expectedVersion, owner }: WriteGuard): LearningPathRecord {
    const record = this.records.get(id);
    if (record === undefined) throw new NotFoundError(id);
    if (owner !== undefined && record.owner !== owner) throw notOwner(id);
    if (expectedVersion !== undefined && record.version !== expectedVersion) throw new ConflictError(id, expectedVersion, record.version);
    return record;
  }
}

/** An in-memory MediaStore. */
export class FakeMediaStore implements MediaStore {
  readonly objects = new Map<string, { body: Uint8Array; contentType: string; lastModified: Date }>();

  async put(key: string, body: Uint8Array, contentType: string) {
    this.objects.set(key, { body, contentType, lastModified: new Date() });
  }

  async readStart(key: string, length: number) {
    const object = this.objects.get(key);
    return (
      object && {
        bytes: object.body.subarray(0, length),
        size: object.body.byteLength,
        contentType: object.contentType,
        etag: etagOf(object.body),
      }
    );
  }

  async copy(sourceKey: string, destinationKey: string, options: { etag?: string; contentType: string }) {
    const source = this.objects.get(sourceKey);
    if (source === undefined) throw new ValidationError('uploadKey: no such upload (already attached, or expired)');
    if (options.etag !== undefined && options.etag !== etagOf(source.body)) return undefined;
    this.objects.set(destinationKey, { body: source.body, contentType: options.contentType, lastModified: new Date() });
    return etagOf(source.body);
  }

  async delete(key: string) {
    this.objects.delete(key);
  }

  async *listUnder(prefix: string) {
    yield [...this.objects].filter(([key]) => key.startsWith(prefix)).map(([key, { lastModified }]) => ({ key, lastModified }));
  }
}

export const fakeSigner: MediaUrlSigner = { urlFor: async (key) => `https://media.example/${key}?signed` };

/** Callers of the rules, as actorFromIdentity builds them. */
export const actors = {
  alice: { kind: 'user', sub: '11111111-1111-4111-8111-111111111111', groups: [] },
  bob: { kind: 'user', sub: '22222222-2222-4222-8222-222222222222', groups: ['readers'] },
  admin: { kind: 'user', sub: '33333333-3333-4333-8333-333333333333', groups: ['admins'] },
  backend: { kind: 'iam', userArn: 'arn:aws:iam::123456789012:role/import-job', accountId: '123456789012' },
  anonymous: { kind: 'anonymous' },
} as const satisfies Record<string, Actor>;

/** An S3-style ETag: the quoted MD5 of the body. */
function etagOf(body: Uint8Array): string {
  return `"${createHash('md5').update(body).digest('hex')}"`;
}
