import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ConflictError, NotFoundError } from '../lib/errors.js';
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
import type { LearningPathStore } from './store.js';

/**
 * Learning-path records in DynamoDB. Each write is a single conditional request that also reports
 * the stored item on failure, so NotFound, Unauthorized and Conflict are told apart without a
 * second read, and ownership is checked in the same atomic step as the change.
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
      throw error;
    }
  }

  async update(id: string, changes: LearningPathChanges, now: string, guard: WriteGuard = {}): Promise<LearningPathRecord> {
    // An SDK retry of an attempt that was applied is refused by the write-id condition and then
    // answered with the item, which that attempt produced.
    const writeId = randomUUID();
    const set = ['#version = #version + :one', 'updatedAt = :now', 'lastWriteId = :writeId'];
    const remove: string[] = [];
    const names: Record<string, string> = { '#version': 'version' };
    const values: Record<string, unknown> = { ':one': 1, ':now': now, ':writeId': writeId };
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
    const write = condition(guard, names, values);
    const { Attributes } = await this.conditional(
      id,
      guard,
      () =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { id },
            UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
            ...write,
            ConditionExpression: `${write.ConditionExpression} AND (attribute_not_exists(lastWriteId) OR lastWriteId <> :writeId)`,
            ReturnValues: 'ALL_NEW',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      (stored) => (stored.lastWriteId === writeId ? stored : undefined),
    );
    return Attributes as LearningPathRecord;
  }

  async setMedia(id: string, media: MediaRecord, now: string, guard: WriteGuard = {}): Promise<LearningPathRecord> {
    // The media key is new for every attach, so it doubles as the write id: an SDK retry of an applied
    // attempt is refused and rebuilt into the "before" from previousMediaKey, which that attempt wrote.
    const names: Record<string, string> = { '#version': 'version', '#key': 'key' };
    const values: Record<string, unknown> = { ':one': 1, ':now': now, ':media': media, ':noKey': '' };
    const write = condition(guard, names, values);
    const { Attributes } = await this.conditional(
      id,
      guard,
      () =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { id },
            UpdateExpression:
              'SET #version = #version + :one, updatedAt = :now, previousMediaKey = if_not_exists(media.#key, :noKey), media = :media',
            ...write,
            ExpressionAttributeValues: { ...write.ExpressionAttributeValues, ':key': media.key },
            ConditionExpression: `${write.ConditionExpression} AND (attribute_not_exists(media) OR media.#key <> :key)`,
            ReturnValues: 'ALL_OLD',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      (stored) => (stored.media?.key === media.key ? beforeOwnAttach(stored) : undefined),
    );
    return Attributes as LearningPathRecord;
  }

  async delete(id: string, guard: WriteGuard = {}): Promise<LearningPathRecord> {
    const { Attributes } = await this.conditional(id, guard, () =>
      this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { id },
          ...condition(guard, {}, {}),
          ReturnValues: 'ALL_OLD',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    return Attributes as LearningPathRecord;
  }

  /**
   * Runs a conditional write and turns its refusal into NotFound, Unauthorized or Conflict, from the
   * item it reports, unless `ownWrite` recognises in that item an earlier attempt of this same write.
   */
  private async conditional<T extends { Attributes?: Record<string, unknown> }>(
    id: string,
    guard: WriteGuard,
    write: () => Promise<T>,
    ownWrite?: (stored: LearningPathRecord) => LearningPathRecord | undefined,
  ): Promise<Pick<T, 'Attributes'>> {
    try {
      return await write();
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      if (error.Item === undefined) throw new NotFoundError(id);
      const stored = unmarshall(error.Item) as LearningPathRecord;
      const applied = ownWrite?.(stored);
      if (applied !== undefined) return { Attributes: applied as unknown as T['Attributes'] };
      if (guard.owner !== undefined && stored.owner !== guard.owner) throw notOwner(id);
      throw new ConflictError(id, guard.expectedVersion ?? 0, stored.version);
    }
  }
}

/** The path as it was before an attach that is already stored, rebuilt from what that attach wrote. */
function beforeOwnAttach(stored: LearningPathRecord): LearningPathRecord {
  const { media: _attached, previousMediaKey, ...rest } = stored;
  const before: LearningPathRecord = { ...rest, version: stored.version - 1 };
  if (previousMediaKey) before.media = { key: previousMediaKey, contentType: '', size: 0, uploadedAt: '' };
  return before;
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
