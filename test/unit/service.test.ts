import { beforeEach, describe, expect, it } from 'vitest';
import {
  addLearningPathMedia,
  createLearningPath,
  deleteLearningPath,
  getLearningPath,
  listLearningPaths,
  listMyLearningPaths,
  searchLearningPaths,
  updateLearningPath,
} from '../../resolvers/learning-paths/service.js';
import { ConflictError, NotFoundError, OutcomeUnknownError, UnauthorizedError, ValidationError } from '../../resolvers/lib/errors.js';
import type { Actor } from '../../resolvers/lib/identity.js';
import { actors, FakeLearningPathStore, FakeMediaStore, fakeSigner } from '../support/fakes.js';
import { elf, gif, pdf, png, text } from '../support/media-samples.js';

const { alice } = actors;

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe('learning-path rules', () => {
  let paths: FakeLearningPathStore;
  let media: FakeMediaStore;
  let clock: number;
  let ids: number;
  const warnings: string[] = [];
  const deps = () => ({
    paths,
    media,
    urls: fakeSigner,
    now: () => new Date(Date.UTC(2026, 0, 1) + clock++ * 1000).toISOString(),
    newId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
    warn: (message: string) => void warnings.push(message),
    mediaUploadMaxBytes: 25 * 1024 * 1024,
  });

  beforeEach(() => {
    paths = new FakeLearningPathStore();
    media = new FakeMediaStore();
    clock = 0;
    ids = 0;
    warnings.length = 0;
  });

  const create = (input: Record<string, unknown>, actor: Actor = alice) => createLearningPath(deps(), actor, input);
  const attach = (id: string, bytes: Buffer, extra: Record<string, unknown> = {}) =>
    addLearningPathMedia(deps(), alice, { id, content: bytes.toString('base64'), ...extra });

  describe('create', () => {
    it('trims the name, starts at version 1 and stamps both times', async () => {
      const path = await create({ name: '  Rust basics \t', description: 'From zero' });
      expect(path).toMatchObject({ name: 'Rust basics', description: 'From zero', version: 1, media: null });
      expect(path.createdAt).toBe(path.updatedAt);
      expect(paths.records.get(path.id)?.name).toBe('Rust basics');
    });

    it.each([
      [{ name: '' }, 'name: must not be empty or only whitespace'],
      [{ name: '   ' }, 'name: must not be empty or only whitespace'],
      [{ name: 'x'.repeat(201) }, 'name: must be at most 200 characters'],
      [{ name: 'bell\u0007' }, 'name: must not contain control characters'],
      [{ name: 'line\nbreak' }, 'name: must not contain control characters'],
      [{ name: 'ok', description: 'd'.repeat(2001) }, 'description: must be at most 2000 characters'],
      [{ name: 'ok', description: 'nul\u0000' }, 'description: must not contain control characters other than tab and line breaks'],
    ])('refuses %j with a message naming the field and the rule', async (input, message) => {
      await expect(create(input)).rejects.toThrow(new ValidationError(message));
      expect(paths.records.size).toBe(0);
    });

    it('counts characters, not UTF-16 units: 200 emoji is a valid name', async () => {
      await expect(create({ name: '🦀'.repeat(200) })).resolves.toMatchObject({ version: 1 });
    });

    it('keeps line breaks in a description', async () => {
      await expect(create({ name: 'n', description: 'one\ntwo\r\n\tthree' })).resolves.toMatchObject({
        description: 'one\ntwo\r\n\tthree',
      });
    });
  });

  describe('read and list', () => {
    it('reads null, without error, for an unknown id', async () => {
      await expect(getLearningPath(deps(), { id: UNKNOWN_ID })).resolves.toBeNull();
    });

    it('refuses an id that is not a UUID, also for reads', async () => {
      await expect(getLearningPath(deps(), { id: 'abc' })).rejects.toThrow(new ValidationError('id: must be a UUID'));
    });

    it('visits every path exactly once across pages', async () => {
      const created = new Set<string>();
      for (let i = 0; i < 7; i++) created.add((await create({ name: `p${i}` })).id);
      const seen: string[] = [];
      let nextToken: string | null = null;
      do {
        const page = await listLearningPaths(deps(), { limit: 3, nextToken });
        seen.push(...page.items.map((item) => item.id));
        nextToken = page.nextToken ?? null;
      } while (nextToken);
      expect(seen.sort()).toEqual([...created].sort());
    });

    it.each([
      [{ limit: 0 }, 'limit: must be at least 1'],
      [{ limit: 101 }, 'limit: must be at most 100'],
      [{ nextToken: 'not-a-token' }, 'nextToken: is not a token this API issued'],
      [{ nextToken: Buffer.from('{"after":"../../etc"}').toString('base64url') }, 'nextToken: is not a token this API issued'],
    ])('refuses page arguments %j', async (args, message) => {
      await expect(listLearningPaths(deps(), args)).rejects.toThrow(new ValidationError(message));
    });

    it('lists in each order, newest first by default', async () => {
      for (const name of ['b', 'C', 'a']) await create({ name });
      const names = async (args: Record<string, unknown>) => (await listLearningPaths(deps(), args)).items.map((item) => item.name);
      expect(await names({})).toEqual(['a', 'C', 'b']);
      expect(await names({ order: 'OLDEST_FIRST' })).toEqual(['b', 'C', 'a']);
      expect(await names({ order: 'NAME_ASC' })).toEqual(['a', 'b', 'C']);
      expect(await names({ order: 'NAME_DESC' })).toEqual(['C', 'b', 'a']);
    });

    it.each([
      [{ order: 'RANDOM' }, 'order: must be one of NEWEST_FIRST, OLDEST_FIRST, NAME_ASC, NAME_DESC'],
      [{ order: 'name_asc' }, 'order: must be one of NEWEST_FIRST, OLDEST_FIRST, NAME_ASC, NAME_DESC'],
      [{ nextToken: 'A'.repeat(2049) }, 'nextToken: is not a token this API issued'],
    ])('refuses listing arguments %j', async (args, message) => {
      await expect(listLearningPaths(deps(), args)).rejects.toThrow(new ValidationError(message));
    });

    it('searches by folded name prefix, by name then id', async () => {
      for (const name of ['Évolution', 'evolution', 'Evangile', 'Other']) await create({ name });
      const page = await searchLearningPaths(deps(), { namePrefix: ' EV ' });
      expect(page.items.map((item) => item.name)).toEqual(['Evangile', 'Évolution', 'evolution']);
      await expect(searchLearningPaths(deps(), { namePrefix: 'nothing' })).resolves.toEqual({ items: [], nextToken: null });
    });

    it.each([
      [{ namePrefix: '' }, 'namePrefix: must not be empty or only whitespace'],
      [{ namePrefix: '   ' }, 'namePrefix: must not be empty or only whitespace'],
      [{ namePrefix: 'x'.repeat(201) }, 'namePrefix: must be at most 200 characters'],
      [{ namePrefix: 'a\u0000' }, 'namePrefix: must not contain control characters'],
      [{ namePrefix: '\u0301\u0308' }, 'namePrefix: must keep at least one character once accents and marks are removed'],
      [{ namePrefix: 'a', limit: 0 }, 'limit: must be at least 1'],
      [{}, 'namePrefix: Invalid input: expected string, received undefined'],
    ])('refuses search arguments %j', async (args, message) => {
      await expect(searchLearningPaths(deps(), args)).rejects.toThrow(new ValidationError(message));
    });

    it('defaults to pages of 20', async () => {
      for (let i = 0; i < 21; i++) await create({ name: `p${i}` });
      const page = await listLearningPaths(deps(), {});
      expect(page.items).toHaveLength(20);
      expect(page.nextToken).toEqual(expect.any(String));
    });
  });

  describe('update', () => {
    it('changes only the given fields and increases the version', async () => {
      const { id } = await create({ name: 'Before', description: 'kept' });
      const updated = await updateLearningPath(deps(), alice, { id, name: ' After ' });
      expect(updated).toMatchObject({ name: 'After', description: 'kept', version: 2 });
      expect(updated.updatedAt > updated.createdAt).toBe(true);
    });

    it('clears the description when it is given as null', async () => {
      const { id } = await create({ name: 'n', description: 'gone soon' });
      await expect(updateLearningPath(deps(), alice, { id, description: null })).resolves.toMatchObject({ description: null, version: 2 });
      expect(paths.records.get(id)).not.toHaveProperty('description');
    });

    it('requires at least one field', async () => {
      const { id } = await create({ name: 'n' });
      await expect(updateLearningPath(deps(), alice, { id, expectedVersion: 1 })).rejects.toThrow(
        new ValidationError('input: at least one of name and description must be given'),
      );
    });

    it('refuses a null name', async () => {
      const { id } = await create({ name: 'n' });
      await expect(updateLearningPath(deps(), alice, { id, name: null })).rejects.toThrow(ValidationError);
    });

    it('reports a stale expectedVersion as a conflict and changes nothing', async () => {
      const { id } = await create({ name: 'n' });
      await updateLearningPath(deps(), alice, { id, name: 'v2' });
      await expect(updateLearningPath(deps(), alice, { id, name: 'v3', expectedVersion: 1 })).rejects.toThrow(ConflictError);
      expect(paths.records.get(id)).toMatchObject({ name: 'v2', version: 2 });
    });

    it('reports an unknown id as NotFound', async () => {
      await expect(updateLearningPath(deps(), alice, { id: UNKNOWN_ID, name: 'x' })).rejects.toThrow(NotFoundError);
    });

    it.each([0, -1, 1.5])('refuses expectedVersion %s', async (expectedVersion) => {
      const { id } = await create({ name: 'n' });
      await expect(updateLearningPath(deps(), alice, { id, name: 'x', expectedVersion })).rejects.toThrow(ValidationError);
    });
  });

  describe('media', () => {
    it('stores the bytes under the path, detects the type and links it', async () => {
      const { id } = await create({ name: 'n' });
      const path = await attach(id, png(2, 2), { contentType: 'image/png' });
      expect(path.version).toBe(2);
      expect(path.media).toMatchObject({ contentType: 'image/png', size: png(2, 2).length });
      expect(path.media?.key).toMatch(new RegExp(`^media/${id}/`));
      expect(path.media?.url).toContain(path.media?.key);
      expect(media.objects.get(path.media?.key ?? '')?.contentType).toBe('image/png');
    });

    it('detects the type when no claim is made', async () => {
      const { id } = await create({ name: 'n' });
      await expect(attach(id, pdf())).resolves.toMatchObject({ media: { contentType: 'application/pdf' } });
    });

    it.each([
      ['text posing as a PNG', text(), 'image/png', 'content: is not a recognised media file'],
      ['an executable', elf(), undefined, 'content: application/x-elf is not an allowed media type'],
      ['a GIF claimed to be a PNG', gif(), 'image/png', 'contentType: claims image/png but the content is image/gif'],
      ['a claim of a type that is not allowed', png(), 'text/html', 'contentType: text/html is not an allowed media type'],
    ])('refuses %s and stores nothing', async (_case, bytes, contentType, message) => {
      const { id } = await create({ name: 'n' });
      await expect(attach(id, bytes, { contentType })).rejects.toThrow(new ValidationError(message));
      expect(media.objects.size).toBe(0);
      expect(paths.records.get(id)?.version).toBe(1);
    });

    it.each([
      ['not base64', '@@@@'],
      ['empty', ''],
      ['over 512 KiB', Buffer.alloc(512 * 1024 + 1).toString('base64')],
    ])('refuses content that is %s', async (_case, content) => {
      const { id } = await create({ name: 'n' });
      await expect(addLearningPathMedia(deps(), alice, { id, content })).rejects.toThrow(ValidationError);
    });

    it.each([
      ['honours the copy condition', false],
      ['ignores the copy condition, as s3rver does', true],
    ])('refuses and removes an upload swapped after it was verified, on a store that %s', async (_store, ignoresCondition) => {
      const { id } = await create({ name: 'n' });
      const uploadKey = `uploads/${id}/00000000-0000-4000-8000-0000000000ff`;
      await media.put(uploadKey, png(), 'image/png');
      const readStart = media.readStart.bind(media);
      media.readStart = async (key, length) => {
        const start = await readStart(key, length);
        // The client overwrites its upload right after the verifying read.
        await media.put(uploadKey, Buffer.from('<html><script>'), 'image/png');
        return start;
      };
      if (ignoresCondition) {
        const copy = media.copy.bind(media);
        media.copy = (source, destination, options) => copy(source, destination, { contentType: options.contentType });
      }
      await expect(addLearningPathMedia(deps(), alice, { id, uploadKey })).rejects.toThrow(
        new ValidationError('uploadKey: the upload changed while it was being attached'),
      );
      expect(media.objects.size).toBe(0);
      expect(paths.records.get(id)?.version).toBe(1);
    });

    it('removes the replaced object after linking the new one', async () => {
      const { id } = await create({ name: 'n' });
      const first = await attach(id, png());
      const second = await attach(id, gif());
      expect([...media.objects.keys()]).toEqual([second.media?.key]);
      expect(first.media?.key).not.toBe(second.media?.key);
    });

    it('removes the new object when the link is refused', async () => {
      const { id } = await create({ name: 'n' });
      await expect(attach(id, png(), { expectedVersion: 7 })).rejects.toThrow(ConflictError);
      await expect(attach(UNKNOWN_ID, png())).rejects.toThrow(NotFoundError);
      expect(media.objects.size).toBe(0);
    });

    it('keeps the new object when not even the settling read could tell whether the link happened', async () => {
      const { id } = await create({ name: 'n' });
      paths.failNextSetMedia = { error: new OutcomeUnknownError(id, new Error('socket hang up'), false), afterWrite: true };
      await expect(attach(id, png())).rejects.toThrow(OutcomeUnknownError);
      const stored = paths.records.get(id);
      expect(stored?.media?.key).toBeDefined();
      expect(media.objects.has(stored?.media?.key ?? '')).toBe(true);
    });

    it('removes the new object when a failed link did not happen', async () => {
      const { id } = await create({ name: 'n' });
      paths.failNextSetMedia = { error: new Error('socket hang up'), afterWrite: false };
      await expect(attach(id, png())).rejects.toThrow('socket hang up');
      expect(media.objects.size).toBe(0);
      expect(paths.records.get(id)?.version).toBe(1);
    });
  });

  describe('delete', () => {
    it('returns the deleted path and removes its media object', async () => {
      const { id } = await create({ name: 'n' });
      await attach(id, png());
      const deleted = await deleteLearningPath(deps(), alice, { id });
      expect(deleted).toMatchObject({ id, version: 2, media: null });
      expect(paths.records.size).toBe(0);
      expect(media.objects.size).toBe(0);
    });

    it('honours expectedVersion', async () => {
      const { id } = await create({ name: 'n' });
      await expect(deleteLearningPath(deps(), alice, { id, expectedVersion: 2 })).rejects.toThrow(ConflictError);
      expect(paths.records.has(id)).toBe(true);
      await expect(deleteLearningPath(deps(), alice, { id, expectedVersion: 1 })).resolves.toMatchObject({ id });
    });

    it('reports an unknown id as NotFound', async () => {
      await expect(deleteLearningPath(deps(), alice, { id: UNKNOWN_ID })).rejects.toThrow(NotFoundError);
    });

    it('still succeeds when the media object cannot be removed, and says so', async () => {
      const { id } = await create({ name: 'n' });
      await attach(id, png());
      media.delete = async () => {
        throw new Error('S3 unavailable');
      };
      await expect(deleteLearningPath(deps(), alice, { id })).resolves.toMatchObject({ id });
      expect(warnings).toEqual(['Could not remove a media object that is no longer referenced']);
    });
  });

  describe('ownership', () => {
    const { bob, admin, backend, anonymous } = actors;

    it('makes the caller the owner, and refuses a create without a user', async () => {
      expect(paths.records.get((await create({ name: 'n' })).id)?.owner).toBe(alice.sub);
      expect((await create({ name: 'n' }, backend)).owner).toBe(backend.userArn);
      await expect(create({ name: 'n' }, anonymous)).rejects.toThrow(UnauthorizedError);
      expect(paths.records.size).toBe(2);
    });

    it("refuses another user's update, delete and attach, and leaves record and media as they were", async () => {
      const { id } = await create({ name: 'n' });
      await attach(id, png());
      const before = structuredClone(paths.records.get(id));
      const objects = [...media.objects.keys()];
      await expect(updateLearningPath(deps(), bob, { id, name: 'x' })).rejects.toThrow(UnauthorizedError);
      await expect(deleteLearningPath(deps(), bob, { id })).rejects.toThrow(UnauthorizedError);
      await expect(addLearningPathMedia(deps(), bob, { id, content: gif().toString('base64') })).rejects.toThrow(UnauthorizedError);
      expect(paths.records.get(id)).toEqual(before);
      expect([...media.objects.keys()]).toEqual(objects);
    });

    it('lets an admin and an IAM caller change any path, and keeps its owner', async () => {
      const { id } = await create({ name: 'n' });
      await expect(updateLearningPath(deps(), admin, { id, name: 'by admin' })).resolves.toMatchObject({ owner: alice.sub, version: 2 });
      await expect(updateLearningPath(deps(), backend, { id, name: 'by job' })).resolves.toMatchObject({ owner: alice.sub, version: 3 });
      await expect(deleteLearningPath(deps(), admin, { id })).resolves.toMatchObject({ id });
    });

    it("gives two users' equal clientTokens two paths", async () => {
      const mine = await create({ name: 'n', clientToken: 'same' });
      const theirs = await create({ name: 'n', clientToken: 'same' }, bob);
      expect(mine.id).not.toBe(theirs.id);
      expect(await create({ name: 'n', clientToken: 'same' })).toMatchObject({ id: mine.id });
    });

    it("lists only the caller's paths, newest first, across pages", async () => {
      const own: string[] = [];
      for (let i = 0; i < 5; i++) {
        own.push((await create({ name: `a${i}` })).id);
        await create({ name: `b${i}` }, bob);
      }
      const seen: string[] = [];
      let nextToken: string | null = null;
      do {
        const page = await listMyLearningPaths(deps(), alice, { limit: 2, nextToken });
        seen.push(...page.items.map((item) => item.id));
        nextToken = page.nextToken ?? null;
      } while (nextToken);
      expect(seen).toEqual(own.reverse());
      await expect(listMyLearningPaths(deps(), anonymous, {})).rejects.toThrow(UnauthorizedError);
      await expect(listMyLearningPaths(deps(), alice, { nextToken: 'bogus' })).rejects.toThrow(ValidationError);
    });
  });
});
