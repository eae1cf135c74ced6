import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ConflictError, NotFoundError } from '../lib/errors.js';
import type { LearningPathChanges, LearningPathRecord, MediaRecord, RecordPage } from './model.js';
import type { LearningPathStore } from './store.js';

/**
 * Learning-path records in DynamoDB. Each write is a single conditional request that also reports
 * the stored item on failure, so NotFound and Conflict are told apart without a second read.
 */
export class DynamoDbLearningPathStore implements LearningPathStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(id: string): Promise<LearningPathRecord | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { id }, ConsistentRead: true }));
    return Item as LearningPathRecord | undefined;
  }

  async list(limit: number, startAfterId?: string): Promise<RecordPage> {
    const { Items = [], LastEvaluatedKey } = await this.client.send(
      new ScanCommand({
        TableName: this.tableName,
        Limit: limit,
        ...(startAfterId !== undefined && { ExclusiveStartKey: { id: startAfterId } }),
      }),
    );
    return { items: Items as LearningPathRecord[], lastId: LastEvaluatedKey?.id as string | undefined };
  }

  async create(record: LearningPathRecord): Promise<LearningPathRecord | undefined> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: record,
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

  async update(id: string, changes: LearningPathChanges, now: string, expectedVersion?: number): Promise<LearningPathRecord> {
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
    }
    if (changes.description === null) {
      remove.push('description');
    } else if (changes.description !== undefined) {
      set.push('description = :description');
      values[':description'] = changes.description;
    }
    const write = condition(expectedVersion, names, values);
    const { Attributes } = await this.conditional(
      id,
      expectedVersion,
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

  async setMedia(id: string, media: MediaRecord, now: string, expectedVersion?: number): Promise<LearningPathRecord> {
    // The media key is new for every attach, so it doubles as the write id: an SDK retry of an applied
    // attempt is refused and rebuilt into the "before" from previousMediaKey, which that attempt wrote.
    const names: Record<string, string> = { '#version': 'version', '#key': 'key' };
    const values: Record<string, unknown> = { ':one': 1, ':now': now, ':media': media, ':noKey': '' };
    const write = condition(expectedVersion, names, values);
    const { Attributes } = await this.conditional(
      id,
      expectedVersion,
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

  async delete(id: string, expectedVersion?: number): Promise<LearningPathRecord> {
    const { Attributes } = await this.conditional(id, expectedVersion, () =>
      this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { id },
          ...condition(expectedVersion, {}, {}),
          ReturnValues: 'ALL_OLD',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    return Attributes as LearningPathRecord;
  }

  /**
   * Runs a conditional write and turns its refusal into NotFound or Conflict, from the item it
   * reports, unless `ownWrite` recognises in that item an earlier attempt of this same write.
   */
  private async conditional<T extends { Attributes?: Record<string, unknown> }>(
    id: string,
    expectedVersion: number | undefined,
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
      throw new ConflictError(id, expectedVersion ?? 0, stored.version);
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
 * The condition of every change: the path exists and, when asked, is at the expected version.
 * Merges the names and values the condition uses into those of the write (DynamoDB refuses unused ones).
 */
function condition(expectedVersion: number | undefined, names: Record<string, string>, values: Record<string, unknown>) {
  const allNames = expectedVersion === undefined ? names : { ...names, '#version': 'version' };
  const allValues = expectedVersion === undefined ? values : { ...values, ':expectedVersion': expectedVersion };
  return {
    ConditionExpression: expectedVersion === undefined ? 'attribute_exists(id)' : 'attribute_exists(id) AND #version = :expectedVersion',
    ...(Object.keys(allNames).length > 0 && { ExpressionAttributeNames: allNames }),
    ...(Object.keys(allValues).length > 0 && { ExpressionAttributeValues: allValues }),
  };
}
