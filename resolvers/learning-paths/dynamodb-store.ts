import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
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

  async create(record: LearningPathRecord): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: record, ConditionExpression: 'attribute_not_exists(id)' }));
  }

  async update(id: string, changes: LearningPathChanges, now: string, expectedVersion?: number): Promise<LearningPathRecord> {
    const set = ['#version = #version + :one', 'updatedAt = :now'];
    const remove: string[] = [];
    const names: Record<string, string> = { '#version': 'version' };
    const values: Record<string, unknown> = { ':one': 1, ':now': now };
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
    const { Attributes } = await this.conditional(id, expectedVersion, () =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { id },
          UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
          ...condition(expectedVersion, names, values),
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    return Attributes as LearningPathRecord;
  }

  async setMedia(id: string, media: MediaRecord, now: string, expectedVersion?: number): Promise<LearningPathRecord> {
    const names: Record<string, string> = { '#version': 'version' };
    const values: Record<string, unknown> = { ':one': 1, ':now': now, ':media': media };
    const { Attributes } = await this.conditional(id, expectedVersion, () =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { id },
          UpdateExpression: 'SET #version = #version + :one, updatedAt = :now, media = :media',
          ...condition(expectedVersion, names, values),
          ReturnValues: 'ALL_OLD',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
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

  /** Runs a conditional write and turns its refusal into NotFound or Conflict, from the item it reports. */
  private async conditional<T>(id: string, expectedVersion: number | undefined, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const storedVersion = error.Item?.version?.N;
      if (storedVersion === undefined) throw new NotFoundError(id);
      throw new ConflictError(id, expectedVersion ?? 0, Number(storedVersion));
    }
  }
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
