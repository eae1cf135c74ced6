import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ConflictError, NotFoundError, OutcomeUnknownError } from '../lib/errors.js';
import { isOutcomeUnknown } from '../lib/retry.js';
import { CATALOGUE_ATTRIBUTES, CATALOGUE_SHARDS, CREATED_INDEX, NAME_INDEX, OWNER_INDEX } from '../storage.js';
import { notOwner } from './access.js';
import { type CatalogueListing, catalogueKeys, catalogueShard, idOfKey, mergeShardPages, nameKey } from './catalogue.js';
import type {
  CataloguePage,
  LearningPathChanges,
  LearningPathRecord,
  MediaRecord,
  OwnerPage,
  OwnerPagePosition,
  WriteGuard,
} from './model.js';
import type { DeletedPath, LearningPathStore, MediaChange } from './store.js';

/**
 * Learning-path records in DynamoDB. Each write is a single conditional request that also reports
 * the stored item on failure, so NotFound, Unauthorized and Conflict are told apart without a
 * second read, and ownership is checked in the same atomic step as the change. A write is never
 * retried after a failure that may have applied it (see lib/retry.ts): its outcome is settled with
 * one consistent GetItem that looks for the write's own id.
 */
export class DynamoDbLearningPathStore implements LearningPathStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** Shards of the catalogue indexes; CATALOGUE_SHARDS except in the benchmark of its effect. */
    private readonly shards: number = CATALOGUE_SHARDS,
  ) {}

  async get(id: string): Promise<LearningPathRecord | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { id }, ConsistentRead: true }));
    return Item as LearningPathRecord | undefined;
  }

  /**
   * Queries every shard of the index from the same position for one item more than the page needs
   * (so the last page is known to be last) and merges them. Cost: one Query per shard, each reading
   * at most limit + 1 items, whatever the catalogue holds.
   */
  async listCatalogue(listing: CatalogueListing, limit: number, after?: string): Promise<CataloguePage> {
    const index = listing.index === 'created' ? CREATED_INDEX : NAME_INDEX;
    const shards = Array.from({ length: this.shards }, (_, shard) => String(shard));
    const pages = await Promise.all(
      shards.map(async (shard) => {
        const { Items = [], LastEvaluatedKey } = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: index.indexName,
            KeyConditionExpression: listing.prefix === undefined ? '#shard = :shard' : '#shard = :shard AND begins_with(#sort, :prefix)',
            ExpressionAttributeNames: { '#shard': index.partitionKey, ...(listing.prefix !== undefined && { '#sort': index.sortKey }) },
            ExpressionAttributeValues: { ':shard': shard, ...(listing.prefix !== undefined && { ':prefix': listing.prefix }) },
            ScanIndexForward: !listing.descending,
            Limit: limit + 1,
            ...(after !== undefined && { ExclusiveStartKey: { id: idOfKey(after), [index.partitionKey]: shard, [index.sortKey]: after } }),
          }),
        );
        return { items: Items as LearningPathRecord[], more: LastEvaluatedKey !== undefined };
      }),
    );
    return mergeShardPages(pages, (item) => (item as unknown as Record<string, string>)[index.sortKey] ?? '', limit, listing.descending);
  }

  async listByOwner(owner: string, limit: number, startAfter?: OwnerPagePosition): Promise<OwnerPage> {
    const { Items = [], LastEvaluatedKey } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: OWNER_INDEX.indexName,
        KeyConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: { '#owner': OWNER_INDEX.partitionKey },
        ExpressionAttributeValues: { ':owner': owner },
        ScanIndexForward: false,
        Limit: limit,
        ...(startAfter !== undefined && { ExclusiveStartKey: { id: startAfter.id, owner, createdAt: startAfter.createdAt } }),
      }),
    );
    const last =
      LastEvaluatedKey === undefined ? undefined : { id: LastEvaluatedKey.id as string, createdAt: LastEvaluatedKey.createdAt as string };
    return { items: Items as LearningPathRecord[], ...(last && { last }) };
  }

  async create(record: LearningPathRecord): Promise<LearningPathRecord | undefined> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...record, ...catalogueKeys(record, this.shards) },
          ConditionExpression: 'attribute_not_exists(id)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return undefined;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException && error.Item !== undefined) return unmarshall(error.Item) as LearningPathRecord;
      // A put whose answer was lost: the path stored under its id is the one the caller compares with.
      return this.settle(record.id, {}, error, (stored) => stored);
    }
  }

  async update(id: string, changes: LearningPathChanges, now: string, guard: WriteGuard = {}): Promise<LearningPathRecord> {
    const writeId = randomUUID();
    const set = ['#version = #version + :one', 'updatedAt = :now', ...WRITE_ID_SHIFT];
    const remove: string[] = [];
    const names: Record<string, string> = { '#version': 'version' };
    const values: Record<string, unknown> = { ':one': 1, ':now': now, ':writeId': writeId, ':none': '' };
    if (changes.name !== undefined) {
      set.push('#name = :name');
      names['#name'] = 'name';
      values[':name'] = changes.name;
      // A renamed path moves in the name index in the same request (and joins it, if not backfilled yet).
      set.push(`${CATALOGUE_ATTRIBUTES.name} = :nameKey`, `${CATALOGUE_ATTRIBUTES.shard} = :shard`);
      values[':nameKey'] = nameKey(changes.name, id);
      values[':shard'] = catalogueShard(id, this.shards);
    }
    if (changes.description === null) {
      remove.push('description');
    } else if (changes.description !== undefined) {
      set.push('description = :description');
      values[':description'] = changes.description;
    }
    try {
      const { Attributes } = await this.conditional(id, guard, () =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { id },
            UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
            ...condition(guard, names, values),
            ReturnValues: 'ALL_NEW',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      return Attributes as LearningPathRecord;
    } catch (error) {
      return this.settle(id, guard, error, (stored) => (wroteLately(stored, writeId) ? stored : undefined), writeId);
    }
  }

  /**
   * The media key is new for every attach, so it is the attach's write id. It stays recognisable after
   * one more change: as lastWriteId/priorWriteId, and as previousMediaKey after one more attach.
   */
  async setMedia(id: string, media: MediaRecord, now: string, guard: WriteGuard = {}): Promise<MediaChange> {
    const writeId = media.key;
    const names: Record<string, string> = { '#version': 'version', '#key': 'key' };
    const values: Record<string, unknown> = { ':one': 1, ':now': now, ':media': media, ':writeId': writeId, ':none': '' };
    try {
      const { Attributes } = await this.conditional(id, guard, () =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { id },
            UpdateExpression: `SET #version = #version + :one, updatedAt = :now, previousMediaKey = if_not_exists(media.#key, :none), media = :media, ${WRITE_ID_SHIFT.join(', ')}`,
            ...condition(guard, names, values),
            ReturnValues: 'ALL_OLD',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      const before = Attributes as LearningPathRecord;
      const path: LearningPathRecord = {
        ...before,
        media,
        version: before.version + 1,
        updatedAt: now,
        previousMediaKey: before.media?.key ?? '',
        lastWriteId: writeId,
        priorWriteId: before.lastWriteId ?? '',
      };
      return { path, replacedKeys: replacedBy(before, media.key) };
    } catch (error) {
      return this.settle(
        id,
        guard,
        error,
        (stored) => {
          // Still attached: what it replaced is recorded. Replaced since: that attach removes ours and ours' predecessor.
          if (stored.media?.key === writeId)
            return { path: stored, replacedKeys: stored.previousMediaKey ? [stored.previousMediaKey] : [] };
          if (stored.previousMediaKey === writeId || wroteLately(stored, writeId)) return { path: stored, replacedKeys: [] };
          return undefined;
        },
        writeId,
      );
    }
  }

  /**
   * Reads the path, then deletes exactly that instance (same createdAt): a path re-created under the
   * same id after the delete's answer was lost is never taken for it, and the read tells what was deleted.
   */
  async delete(id: string, guard: WriteGuard = {}): Promise<DeletedPath> {
    const read = await this.get(id);
    if (read === undefined) throw new NotFoundError(id);
    refuseByGuard(id, guard, read);
    const names = { '#createdAt': 'createdAt' };
    const values = { ':createdAt': read.createdAt };
    const write = condition(guard, names, values);
    try {
      const { Attributes } = await this.conditional(id, guard, () =>
        this.client.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: { id },
            ...write,
            ConditionExpression: `${write.ConditionExpression} AND #createdAt = :createdAt`,
            ReturnValues: 'ALL_OLD',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      return { path: Attributes as LearningPathRecord, exact: true };
    } catch (error) {
      if (!isOutcomeUnknown(error)) throw error;
      let stored: LearningPathRecord | undefined;
      try {
        stored = await this.get(id);
      } catch {
        throw new OutcomeUnknownError(id, error, false);
      }
      // The instance read is gone: deleted by this request (or by a delete racing it, to the same end).
      if (stored?.createdAt !== read.createdAt) return { path: read, exact: false };
      throw error;
    }
  }

  /**
   * Settles a write that failed: unless its outcome is unknown, the failure stands. Otherwise one
   * consistent read decides: `recognise` finds the write applied, or what is stored proves it was not
   * (another owner; with expectedVersion, the change after that version was another write's), or
   * OutcomeUnknownError.
   */
  private async settle<T>(
    id: string,
    guard: WriteGuard,
    cause: unknown,
    recognise: (stored: LearningPathRecord) => T | undefined,
    writeId?: string,
  ): Promise<T> {
    if (!isOutcomeUnknown(cause)) throw cause;
    let stored: LearningPathRecord | undefined;
    try {
      stored = await this.get(id);
    } catch {
      throw new OutcomeUnknownError(id, cause, false);
    }
    if (stored === undefined) throw new OutcomeUnknownError(id, cause);
    const applied = recognise(stored);
    if (applied !== undefined) return applied;
    if (guard.owner !== undefined && stored.owner !== guard.owner) throw notOwner(id);
    if (guard.expectedVersion !== undefined && writeId !== undefined) {
      const since = stored.version - guard.expectedVersion;
      const writer = since === 1 ? stored.lastWriteId : since === 2 ? stored.priorWriteId : undefined;
      if (writer && writer !== writeId) throw new ConflictError(id, guard.expectedVersion, stored.version);
    }
    throw new OutcomeUnknownError(id, cause);
  }

  /** Runs a conditional write and turns its refusal into NotFound, Unauthorized or Conflict, from the item it reports. */
  private async conditional<T extends { Attributes?: Record<string, unknown> }>(
    id: string,
    guard: WriteGuard,
    write: () => Promise<T>,
  ): Promise<Pick<T, 'Attributes'>> {
    try {
      return await write();
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      if (error.Item === undefined) throw new NotFoundError(id);
      const stored = unmarshall(error.Item) as LearningPathRecord;
      refuseByGuard(id, guard, stored);
      // The guard holds, so the instance changed: a delete found the path deleted and re-created.
      throw new NotFoundError(id);
    }
  }
}

/** Every change shifts the write ids, so the last two changes stay recognisable. */
const WRITE_ID_SHIFT = ['priorWriteId = if_not_exists(lastWriteId, :none)', 'lastWriteId = :writeId'];

function wroteLately(stored: LearningPathRecord, writeId: string): boolean {
  return stored.lastWriteId === writeId || stored.priorWriteId === writeId;
}

/** What an attach leaves unreferenced: the media it replaced, and the one that media had replaced (if its attach never removed it). */
function replacedBy(before: LearningPathRecord, newKey: string): string[] {
  return [before.media?.key, before.previousMediaKey].filter((key): key is string => !!key && key !== newKey);
}

/** Throws the refusal the guard makes of a stored path: Unauthorized for another owner, Conflict for another version. */
function refuseByGuard(id: string, { owner, expectedVersion }: WriteGuard, stored: LearningPathRecord): void {
  if (owner !== undefined && stored.owner !== owner) throw notOwner(id);
  if (expectedVersion !== undefined && stored.version !== expectedVersion) throw new ConflictError(id, expectedVersion, stored.version);
}

/**
 * The condition of every change: the path exists and, when asked, has the owner and is at the
 * version given. Merges the names and values the condition uses into those of the write (DynamoDB
 * refuses unused ones).
 */
function condition({ expectedVersion, owner }: WriteGuard, names: Record<string, string>, values: Record<string, unknown>) {
  const allNames = { ...names };
  const allValues = { ...values };
  const parts = ['attribute_exists(id)'];
  if (owner !== undefined) {
    parts.push('#owner = :owner');
    allNames['#owner'] = 'owner';
    allValues[':owner'] = owner;
  }
  if (expectedVersion !== undefined) {
    parts.push('#version = :expectedVersion');
    allNames['#version'] = 'version';
    allValues[':expectedVersion'] = expectedVersion;
  }
  return {
    ConditionExpression: parts.join(' AND '),
    ...(Object.keys(allNames).length > 0 && { ExpressionAttributeNames: allNames }),
    ...(Object.keys(allValues).length > 0 && { ExpressionAttributeValues: allValues }),
  };
}
