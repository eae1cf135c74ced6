import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { handler as addMedia } from '../../resolvers/handlers/Mutation.addLearningPathMedia.js';
import { handler as create } from '../../resolvers/handlers/Mutation.createLearningPath.js';
import { handler as remove } from '../../resolvers/handlers/Mutation.deleteLearningPath.js';
import { handler as update } from '../../resolvers/handlers/Mutation.updateLearningPath.js';
import { handler as read } from '../../resolvers/handlers/Query.learningPath.js';
import { userIdentity } from '../support/auth.js';
import { localAws } from '../support/aws.js';
import { png } from '../support/media-samples.js';

const aws = localAws();

/** The event the shared request template builds. */
const event = <T>(fieldName: string, args: T) => ({
  arguments: args,
  identity: userIdentity(),
  source: null,
  info: { fieldName, parentTypeName: fieldName.startsWith('learningPath') ? 'Query' : 'Mutation', selectionSetList: [] },
});

function data<T>(response: { data: T } | { error: unknown }): T {
  if (!('data' in response)) throw new Error(`expected data, got ${JSON.stringify(response)}`);
  return response.data;
}

describe('handlers against DynamoDB Local and s3rver', () => {
  it('create, read, update, attach media, delete: each returns data and leaves the stores consistent', async () => {
    const created = data(await create(event('createLearningPath', { input: { name: 'Integration' } })));
    expect(data(await read(event('learningPath', { id: created.id })))).toEqual(created);

    const updated = data(await update(event('updateLearningPath', { input: { id: created.id, description: 'now described' } })));
    expect(updated).toMatchObject({ version: 2, description: 'now described' });

    const picture = png(4, 4);
    const withMedia = data(
      await addMedia(event('addLearningPathMedia', { input: { id: created.id, content: picture.toString('base64'), expectedVersion: 2 } })),
    );
    const key = withMedia.media?.key ?? '';
    expect(await aws.objectBytes(key)).toEqual(picture);
    const fetched = await fetch(withMedia.media?.url ?? '');
    expect(fetched.status).toBe(200);
    expect(Buffer.from(await fetched.arrayBuffer())).toEqual(picture);

    const deleted = data(await remove(event('deleteLearningPath', { id: created.id, expectedVersion: 3 })));
    // The answer names no media: this very request removed the object.
    expect(deleted).toMatchObject({ id: created.id, version: 3, media: null });
    expect(await aws.objectExists(key)).toBe(false);
    expect(data(await read(event('learningPath', { id: created.id })))).toBeNull();
  });

  it('returns typed errors as data, for the response template to raise', async () => {
    await expect(update(event('updateLearningPath', { input: { id: randomUUID(), name: 'x' } }))).resolves.toEqual({
      error: { type: 'NotFound', message: expect.stringMatching(/^No learning path has the id /) },
    });
    await expect(read(event('learningPath', { id: 'nope' }))).resolves.toEqual({
      error: { type: 'ValidationError', message: 'id: must be a UUID' },
    });
  });
});
