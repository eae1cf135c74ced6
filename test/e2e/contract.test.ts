import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  AddLearningPathMediaDocument,
  type AddLearningPathMediaInput,
  CreateLearningPathDocument,
  type CreateLearningPathInput,
  DeleteLearningPathDocument,
  LearningPathDocument,
  type LearningPathFieldsFragment,
  UpdateLearningPathDocument,
  type UpdateLearningPathInput,
} from '../../client/generated/operations.js';
import { anonymous } from '../support/auth.js';
import { localAws } from '../support/aws.js';
import { errorTypes, type GraphQLResponse, graphql } from '../support/graphql.js';
import { gif, png, text } from '../support/media-samples.js';

const aws = localAws();

interface Page {
  items: { id: string }[];
  nextToken: string | null;
}

/** The operations a frontend sends, as typed documents from client/operations. */
const create = async (input: CreateLearningPathInput) => {
  const response = await graphql(CreateLearningPathDocument, { input });
  expect(response.errors).toBeUndefined();
  return response.data?.createLearningPath as LearningPathFieldsFragment;
};
const read = async (id: string) => (await graphql(LearningPathDocument, { id })).data?.learningPath;
const update = (input: UpdateLearningPathInput) => graphql(UpdateLearningPathDocument, { input });
const remove = (id: string, expectedVersion?: number) => graphql(DeleteLearningPathDocument, { id, expectedVersion });
const attach = (input: AddLearningPathMediaInput) => graphql(AddLearningPathMediaDocument, { input });
/** The media an attach answered with; fails the test when there is none. */
const mediaOf = (response: Awaited<ReturnType<typeof attach>>) => {
  const media = response.data?.addLearningPathMedia.media;
  if (!media) throw new Error(`no media in ${JSON.stringify(response)}`);
  return media;
};

describe('the GraphQL contract over HTTP', () => {
  describe('auth', () => {
    it('answers HTTP 401 without an API key and with a wrong one', async () => {
      expect((await graphql('{ learningPaths { nextToken } }', {}, { auth: anonymous })).status).toBe(401);
      expect((await graphql('{ learningPaths { nextToken } }', {}, { auth: { apiKey: 'da2-wrong' } })).status).toBe(401);
    });
  });

  describe('create and read', () => {
    it('creates at version 1 with a UUID, trimmed name and equal timestamps, and reads it back', async () => {
      const path = await create({ name: '  GraphQL in depth  ', description: 'All of it' });
      expect(path).toMatchObject({ name: 'GraphQL in depth', description: 'All of it', version: 1, media: null });
      expect(path.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(new Date(path.createdAt).toISOString()).toBe(path.createdAt);
      expect(await read(path.id)).toEqual(path);
    });

    it('reads null, without error, for an unknown id', async () => {
      const response = await graphql('query ($id: ID!) { learningPath(id: $id) { id } }', { id: randomUUID() });
      expect(response).toEqual({ status: 200, data: { learningPath: null } });
    });

    it.each([
      ['an empty name', { name: ' ' }, 'name: must not be empty or only whitespace'],
      ['a 201-character name', { name: 'n'.repeat(201) }, 'name: must be at most 200 characters'],
      ['a name with a control character', { name: 'a\u001bb' }, 'name: must not contain control characters'],
      ['a 2001-character description', { name: 'ok', description: 'd'.repeat(2001) }, 'description: must be at most 2000 characters'],
    ])('refuses %s with a ValidationError naming the rule', async (_case, input, message) => {
      const response = await graphql('mutation ($input: CreateLearningPathInput!) { createLearningPath(input: $input) { id } }', { input });
      expect(response.errors).toEqual([expect.objectContaining({ errorType: 'ValidationError', message })]);
      expect(response.data).toBeNull();
    });
  });

  describe('ids', () => {
    it.each([
      ['learningPath', 'query { learningPath(id: "42") { id } }'],
      ['updateLearningPath', 'mutation { updateLearningPath(input: { id: "42", name: "x" }) { id } }'],
      ['deleteLearningPath', 'mutation { deleteLearningPath(id: "42") { id } }'],
      ['addLearningPathMedia', 'mutation { addLearningPathMedia(input: { id: "42", content: "R0lGODlh" }) { id } }'],
    ])('%s refuses an id that is not a UUID', async (_field, query) => {
      const response = await graphql(query);
      expect(response.errors).toEqual([expect.objectContaining({ errorType: 'ValidationError', message: 'id: must be a UUID' })]);
    });

    it.each([
      ['updateLearningPath', (id: string) => update({ id, name: 'x' })],
      ['deleteLearningPath', (id: string) => remove(id)],
      ['addLearningPathMedia', (id: string) => attach({ id, content: gif().toString('base64') })],
    ])('%s reports an unknown id as NotFound', async (_field, call) => {
      expect(errorTypes(await call(randomUUID()))).toEqual(['NotFound']);
    });
  });

  describe('update', () => {
    it('changes only the given fields, clears a null description, and counts versions', async () => {
      const { id } = await create({ name: 'Original', description: 'Keep me' });
      const renamed = await update({ id, name: 'Renamed' });
      expect(renamed.data?.updateLearningPath).toMatchObject({ name: 'Renamed', description: 'Keep me', version: 2 });
      const cleared = await update({ id, description: null, expectedVersion: 2 });
      expect(cleared.data?.updateLearningPath).toMatchObject({ name: 'Renamed', description: null, version: 3 });
      expect(await read(id)).toMatchObject({ name: 'Renamed', description: null, version: 3 });
    });

    it('requires at least one field', async () => {
      const { id } = await create({ name: 'n' });
      const response = await update({ id });
      expect(response.errors).toEqual([
        expect.objectContaining({ errorType: 'ValidationError', message: 'input: at least one of name and description must be given' }),
      ]);
    });

    it('refuses a stale expectedVersion with ConflictError and changes nothing', async () => {
      const { id } = await create({ name: 'n' });
      await update({ id, name: 'second' });
      const response = await update({ id, name: 'third', expectedVersion: 1 });
      expect(response.errors).toEqual([
        expect.objectContaining({
          errorType: 'ConflictError',
          message: `Learning path ${id} is at version 2, not the expected version 1.`,
        }),
      ]);
      expect(await read(id)).toMatchObject({ name: 'second', version: 2 });
    });
  });

  describe('paging', () => {
    it('visits every path exactly once by following nextToken', async () => {
      const created = await Promise.all(Array.from({ length: 12 }, (_, i) => create({ name: `page ${i}` })));
      const seen: string[] = [];
      let nextToken: string | null = null;
      do {
        const response: GraphQLResponse<{ learningPaths: Page }> = await graphql(
          'query ($t: String) { learningPaths(limit: 5, nextToken: $t) { items { id } nextToken } }',
          { t: nextToken },
        );
        expect(response.errors).toBeUndefined();
        const page = response.data?.learningPaths as Page;
        expect(page.items.length).toBeLessThanOrEqual(5);
        seen.push(...page.items.map((item) => item.id));
        nextToken = page.nextToken;
      } while (nextToken);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual(expect.arrayContaining(created.map((path) => path.id)));
    });

    it.each([
      ['limit 0', { limit: 0 }, 'limit: must be at least 1'],
      ['limit 101', { limit: 101 }, 'limit: must be at most 100'],
      ['a forged token', { nextToken: 'eyJhZnRlciI6MX0' }, 'nextToken: is not a token this API issued'],
    ])('refuses %s', async (_case, variables, message) => {
      const response = await graphql(
        'query ($limit: Int, $nextToken: String) { learningPaths(limit: $limit, nextToken: $nextToken) { nextToken } }',
        variables,
      );
      expect(response.errors).toEqual([expect.objectContaining({ errorType: 'ValidationError', message })]);
    });
  });

  describe('media', () => {
    it('attaches a file, detects its type, serves it from a presigned URL, and removes it when replaced', async () => {
      const { id } = await create({ name: 'With media' });
      const picture = png(3, 2);
      const first = await attach({ id, content: picture.toString('base64'), contentType: 'image/png', expectedVersion: 1 });
      expect(first.errors).toBeUndefined();
      const media = mediaOf(first);
      expect(media).toMatchObject({ contentType: 'image/png', size: picture.length });
      expect(media.key).toMatch(new RegExp(`^media/${id}/`));
      const download = await fetch(media.url);
      expect(download.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await download.arrayBuffer())).toEqual(picture);

      const second = await attach({ id, content: gif().toString('base64') });
      expect(second.data?.addLearningPathMedia).toMatchObject({ version: 3, media: { contentType: 'image/gif' } });
      expect(await aws.objectExists(media.key)).toBe(false);
      expect(await aws.objectExists(mediaOf(second).key)).toBe(true);
    });

    it.each([
      [
        'text claiming to be a PNG',
        { content: text().toString('base64'), contentType: 'image/png' },
        'content: is not a recognised media file',
      ],
      [
        'a GIF claiming to be a PNG',
        { content: gif().toString('base64'), contentType: 'image/png' },
        'contentType: claims image/png but the content is image/gif',
      ],
      ['content that is not base64', { content: 'not*base64' }, 'content: must be standard base64'],
      [
        'more than 512 KiB',
        { content: Buffer.alloc(512 * 1024 + 3).toString('base64') },
        'content: must decode to at most 524288 bytes (512 KiB)',
      ],
    ])('refuses %s, stores nothing and leaves the path unchanged', async (_case, input, message) => {
      const { id } = await create({ name: 'n' });
      const response = await attach({ id, ...input });
      expect(response.errors).toEqual([expect.objectContaining({ errorType: 'ValidationError', message })]);
      expect(await aws.objectKeys(`media/${id}/`)).toEqual([]);
      expect(await read(id)).toMatchObject({ version: 1, media: null });
    });

    it('refuses a stale expectedVersion with ConflictError and leaves no object behind', async () => {
      const { id } = await create({ name: 'n' });
      expect(errorTypes(await attach({ id, content: gif().toString('base64'), expectedVersion: 2 }))).toEqual(['ConflictError']);
      expect(await aws.objectKeys(`media/${id}/`)).toEqual([]);
    });
  });

  describe('delete', () => {
    it('returns the deleted path without media, and removes its media object', async () => {
      const { id } = await create({ name: 'Doomed' });
      const attached = await attach({ id, content: gif().toString('base64') });
      const { key } = mediaOf(attached);
      expect(await aws.objectExists(key)).toBe(true);
      const deleted = await remove(id, 2);
      // No URL of an object this very request removed.
      expect(deleted.data?.deleteLearningPath).toMatchObject({ id, name: 'Doomed', version: 2, media: null });
      expect(await aws.objectExists(key)).toBe(false);
      expect(await read(id)).toBeNull();
    });

    it('refuses a stale expectedVersion with ConflictError and keeps the path', async () => {
      const { id } = await create({ name: 'Kept' });
      expect(errorTypes(await remove(id, 9))).toEqual(['ConflictError']);
      expect(await read(id)).toMatchObject({ id, version: 1 });
    });
  });
});
