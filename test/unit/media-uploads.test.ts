import { describe, expect, it } from 'vitest';
import type { LearningPathRecord } from '../../resolvers/learning-paths/model.js';
import { createMediaUpload, verifyMediaKind } from '../../resolvers/learning-paths/service.js';
import type { LearningPathStore, MediaUploadSigner } from '../../resolvers/learning-paths/store.js';
import { parseAddMediaInput } from '../../resolvers/learning-paths/validation.js';
import { ValidationError } from '../../resolvers/lib/errors.js';
import { actors } from '../support/fakes.js';
import { png } from '../support/media-samples.js';

const PATH_ID = '3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c';
const OTHER_ID = '7c6b5a49-3827-4165-9f8e-7d6c5b4a3928';
const OBJECT_ID = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';

describe('verifyMediaKind', () => {
  it('accepts a file of exactly the limit from its first bytes alone', async () => {
    await expect(verifyMediaKind(png().subarray(0, 64), 'image/png', { size: 1000, maxBytes: 1000 })).resolves.toBe('image/png');
  });

  it('refuses an empty file and a file over the limit before looking at the bytes', async () => {
    await expect(verifyMediaKind(new Uint8Array(), 'image/png', { size: 0, maxBytes: 10 })).rejects.toThrow('content: must not be empty');
    await expect(verifyMediaKind(png(), 'image/png', { size: 11, maxBytes: 10 })).rejects.toThrow(
      'content: is 11 bytes, more than the limit of 10',
    );
  });

  it('refuses text posing as a PNG', async () => {
    await expect(verifyMediaKind(Buffer.from('hello'), 'image/png', { size: 5, maxBytes: 10 })).rejects.toThrow(ValidationError);
  });
});

describe('parseAddMediaInput', () => {
  it('accepts an upload key issued for the same path', () => {
    expect(parseAddMediaInput({ id: PATH_ID, uploadKey: `uploads/${PATH_ID}/${OBJECT_ID}` })).toMatchObject({
      uploadKey: `uploads/${PATH_ID}/${OBJECT_ID}`,
    });
  });

  it.each([
    ['another path', `uploads/${OTHER_ID}/${OBJECT_ID}`],
    ['a climb out of the prefix', `uploads/${PATH_ID}/../${OTHER_ID}/${OBJECT_ID}`],
    ['an attached media key', `media/${PATH_ID}/${OBJECT_ID}`],
    ['a trailing path', `uploads/${PATH_ID}/${OBJECT_ID}/x`],
    ['a leading slash', `/uploads/${PATH_ID}/${OBJECT_ID}`],
    ['no object id', `uploads/${PATH_ID}/`],
  ])('refuses the key of %s', (_case, uploadKey) => {
    expect(() => parseAddMediaInput({ id: PATH_ID, uploadKey })).toThrow('uploadKey: is not an upload issued for this learning path');
  });
});

describe('createMediaUpload', () => {
  const record: LearningPathRecord = { id: PATH_ID, owner: actors.alice.sub, name: 'P', version: 1, createdAt: 't', updatedAt: 't' };
  const paths = { get: async (id: string) => (id === PATH_ID ? record : undefined) } as LearningPathStore;
  const signed: unknown[][] = [];
  const uploads: MediaUploadSigner = {
    uploadUrlFor: async (...args) => {
      signed.push(args);
      return 'https://bucket.example/signed';
    },
  };
  const deps = { paths, uploads, now: () => '2026-01-01T00:00:00.000Z', newId: () => OBJECT_ID, mediaUploadMaxBytes: 1000 };

  it('signs a PUT of the declared type and length under the path’s upload prefix for 5 minutes', async () => {
    const ticket = await createMediaUpload(deps, actors.alice, { learningPathId: PATH_ID, contentType: 'Image/PNG', contentLength: 1000 });

    expect(ticket).toEqual({
      uploadUrl: 'https://bucket.example/signed',
      uploadKey: `uploads/${PATH_ID}/${OBJECT_ID}`,
      expiresAt: '2026-01-01T00:05:00.000Z',
      headers: { 'content-type': 'image/png' },
    });
    expect(signed).toEqual([[`uploads/${PATH_ID}/${OBJECT_ID}`, 'image/png', 1000, 300]]);
  });

  it('refuses a length over the configured limit', async () => {
    await expect(
      createMediaUpload(deps, actors.alice, { learningPathId: PATH_ID, contentType: 'image/png', contentLength: 1001 }),
    ).rejects.toThrow('contentLength: must be at most 1000 bytes');
  });
});
