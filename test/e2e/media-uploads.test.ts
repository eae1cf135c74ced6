import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, inject, it } from 'vitest';
import {
  AddLearningPathMediaDocument,
  type AddLearningPathMediaInput,
  CreateLearningPathDocument,
  CreateMediaUploadDocument,
  DeleteLearningPathDocument,
  LearningPathDocument,
} from '../../client/generated/operations.js';
import { localS3Client } from '../../infra/local/clients.js';
import { uploadKey } from '../../resolvers/storage.js';
import { uploads } from '../../resolvers/wiring/signers.js';
import { errorTypes, type GraphQLResponse, graphql } from '../support/graphql.js';
import { mp4, png } from '../support/media-samples.js';

const MiB = 1024 * 1024;
const stack = inject('localStack');
const s3 = localS3Client(stack.s3Endpoint);
afterAll(() => s3.destroy());

const apiErrorTypes = (response: GraphQLResponse<unknown>) => errorTypes(response).filter((type) => type != null);
const apiErrorMessage = (response: GraphQLResponse<unknown>) => response.errors?.find((error) => error.errorType != null)?.message;

/** The operations a frontend sends, as typed documents from client/operations. */
async function createPath(name = 'Media path'): Promise<string> {
  const created = await graphql(CreateLearningPathDocument, { input: { name } });
  return created.data?.createLearningPath.id as string;
}

async function readPath(id: string) {
  return (await graphql(LearningPathDocument, { id })).data?.learningPath;
}

function requestUpload(learningPathId: string, contentType: string, contentLength: number) {
  return graphql(CreateMediaUploadDocument, { input: { learningPathId, contentType, contentLength } });
}

/** Asks for an upload, then PUTs the bytes to S3 with the headers the API named, as a frontend does. */
async function upload(learningPathId: string, body: Buffer, contentType: string, declaredLength = body.length): Promise<string> {
  const ticket = ticketOf(await requestUpload(learningPathId, contentType, declaredLength));
  const response = await fetch(ticket.uploadUrl, { method: 'PUT', headers: JSON.parse(ticket.headers), body });
  expect(response.status).toBe(200);
  return ticket.uploadKey;
}

function attach(id: string, input: Omit<AddLearningPathMediaInput, 'id'>) {
  return graphql(AddLearningPathMediaDocument, { input: { id, ...input } });
}

/** The media an attach answered with; fails the test when there is none. */
function mediaOf(response: Awaited<ReturnType<typeof attach>>) {
  const media = response.data?.addLearningPathMedia.media;
  if (!media) throw new Error(`no media in ${JSON.stringify(response)}`);
  return media;
}

/** The upload ticket createMediaUpload answered with; fails the test when there is none. */
function ticketOf(response: Awaited<ReturnType<typeof requestUpload>>) {
  const ticket = response.data?.createMediaUpload;
  if (!ticket) throw new Error(`no upload ticket in ${JSON.stringify(response)}`);
  return ticket;
}

function deletePath(id: string) {
  return graphql(DeleteLearningPathDocument, { id });
}

/** Every object of a path, under both prefixes. */
async function objectsOf(id: string): Promise<string[]> {
  const keys = await Promise.all(
    [`media/${id}/`, `uploads/${id}/`].map(async (Prefix) => {
      const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: stack.bucketName, Prefix }));
      return Contents.map((object) => object.Key as string);
    }),
  );
  return keys.flat().sort();
}

describe('createMediaUpload', () => {
  it('issues a presigned PUT under the path’s upload prefix, valid for 5 minutes', async () => {
    const id = await createPath();
    const before = Date.now();

    const ticket = ticketOf(await requestUpload(id, 'image/png', 1234));

    expect(ticket.uploadKey).toMatch(new RegExp(`^uploads/${id}/[0-9a-f-]{36}$`));
    expect(JSON.parse(ticket.headers)).toEqual({ 'content-type': 'image/png' });
    const url = new URL(ticket.uploadUrl);
    expect(url.pathname).toBe(`/${stack.bucketName}/${ticket.uploadKey}`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');
    expect(url.searchParams.has('x-amz-checksum-crc32')).toBe(false);
    const expiresIn = Date.parse(ticket.expiresAt) - before;
    expect(expiresIn).toBeGreaterThan(290_000);
    expect(expiresIn).toBeLessThanOrEqual(301_000);
    await deletePath(id);
  });

  it('refuses an unknown path, a type outside the allowed list and a length over the limit', async () => {
    const id = await createPath();

    expect(apiErrorTypes(await requestUpload('0b0e2f4e-7d0c-4a8e-9a37-3d2c9b8d1f11', 'image/png', 10))).toEqual(['NotFound']);
    expect(apiErrorTypes(await requestUpload(id, 'text/html', 10))).toEqual(['ValidationError']);
    expect(apiErrorTypes(await requestUpload(id, 'video/mp4', 25 * MiB + 1))).toEqual(['ValidationError']);
    expect(apiErrorTypes(await requestUpload(id, 'image/png', 0))).toEqual(['ValidationError']);
    expect(await objectsOf(id)).toEqual([]);
    await deletePath(id);
  });
});

describe('attaching an upload', () => {
  it('attaches a 10 MiB file uploaded through the presigned URL and serves it', async () => {
    const id = await createPath();
    const file = png(2, 2, 10 * MiB);
    const key = await upload(id, file, 'image/png');

    const attached = await attach(id, { uploadKey: key });

    expect(attached.errors).toBeUndefined();
    const media = mediaOf(attached);
    expect(media).toMatchObject({ contentType: 'image/png', size: 10 * MiB });
    expect(media.key).toMatch(new RegExp(`^media/${id}/`));
    expect(await objectsOf(id)).toEqual([media.key]);
    const served = Buffer.from(await (await fetch(media.url)).arrayBuffer());
    expect(served.equals(file)).toBe(true);
    await deletePath(id);
    expect(await objectsOf(id)).toEqual([]);
  });

  it('accepts a video of exactly the default limit, 25 MiB', async () => {
    const id = await createPath();
    const key = await upload(id, mp4(25 * MiB), 'video/mp4');

    const attached = await attach(id, { uploadKey: key, contentType: 'video/mp4' });

    expect(attached.data?.addLearningPathMedia.media).toMatchObject({ contentType: 'video/mp4', size: 25 * MiB });
    await deletePath(id);
    expect(await objectsOf(id)).toEqual([]);
  });

  it('refuses text posing as a PNG, removes it, and leaves the path unchanged', async () => {
    const id = await createPath();
    const key = await upload(id, Buffer.from('definitely not a picture\n'), 'image/png');

    const refused = await attach(id, { uploadKey: key });

    expect(apiErrorTypes(refused)).toEqual(['ValidationError']);
    expect(apiErrorMessage(refused)).toBe('content: is not a recognised media file');
    expect(await objectsOf(id)).toEqual([]);
    expect(await readPath(id)).toMatchObject({ version: 1, media: null });
    await deletePath(id);
  });

  it('refuses a file whose bytes disagree with the type it was uploaded as, and removes it', async () => {
    const id = await createPath();
    const key = await upload(id, png(), 'image/jpeg');

    const refused = await attach(id, { uploadKey: key });

    expect(apiErrorTypes(refused)).toEqual(['ValidationError']);
    expect(apiErrorMessage(refused)).toBe('contentType: claims image/jpeg but the content is image/png');
    expect(await objectsOf(id)).toEqual([]);
    await deletePath(id);
  });

  it('refuses a file larger than the limit that an S3 let through, and removes it', async () => {
    const id = await createPath();
    const ticket = ticketOf(await requestUpload(id, 'image/png', 100));
    const body = png(2, 2, 25 * MiB + 1);
    // The local S3 refuses a body of another length than the URL was signed for, as S3 does...
    expect((await fetch(ticket.uploadUrl, { method: 'PUT', headers: JSON.parse(ticket.headers), body })).status).toBe(403);
    // ...so the object is written as a store that let it through would have: the API checks the size itself.
    await s3.send(new PutObjectCommand({ Bucket: stack.bucketName, Key: ticket.uploadKey, Body: body, ContentType: 'image/png' }));
    const key = ticket.uploadKey;

    const refused = await attach(id, { uploadKey: key });

    expect(apiErrorTypes(refused)).toEqual(['ValidationError']);
    expect(apiErrorMessage(refused)).toBe(`content: is ${25 * MiB + 1} bytes, more than the limit of ${25 * MiB}`);
    expect(await objectsOf(id)).toEqual([]);
    await deletePath(id);
  });

  it('refuses keys of another path, keys that climb out of their prefix and keys never issued', async () => {
    const [mine, theirs] = await Promise.all([createPath('Mine'), createPath('Theirs')]);
    const theirKey = await upload(theirs, png(), 'image/png');

    for (const uploadKey of [
      theirKey,
      `uploads/${mine}/../${theirKey.slice('uploads/'.length)}`,
      `media/${mine}/${theirKey.split('/')[2]}`,
    ]) {
      expect(apiErrorTypes(await attach(mine, { uploadKey }))).toEqual(['ValidationError']);
    }
    const neverIssued = await attach(mine, { uploadKey: `uploads/${mine}/6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f` });
    expect(apiErrorTypes(neverIssued)).toEqual(['ValidationError']);
    expect(apiErrorMessage(neverIssued)).toBe('uploadKey: no such upload (never made, already attached, or expired)');

    expect(await readPath(mine)).toMatchObject({ version: 1, media: null });
    expect(await objectsOf(theirs)).toEqual([theirKey]);
    expect((await attach(theirs, { uploadKey: theirKey })).errors).toBeUndefined();
    await Promise.all([deletePath(mine), deletePath(theirs)]);
    expect([...(await objectsOf(mine)), ...(await objectsOf(theirs))]).toEqual([]);
  });

  it('takes exactly one of content and uploadKey', async () => {
    const id = await createPath();
    const key = await upload(id, png(), 'image/png');

    const both = await attach(id, { uploadKey: key, content: png().toString('base64') });
    const neither = await attach(id, {});

    expect(apiErrorTypes(both)).toEqual(['ValidationError']);
    expect(apiErrorTypes(neither)).toEqual(['ValidationError']);
    expect(apiErrorMessage(both)).toBe('input: exactly one of content and uploadKey must be given');
    expect((await attach(id, { uploadKey: key })).errors).toBeUndefined();
    await deletePath(id);
  });

  it('keeps the upload after a version conflict, so that the client can retry', async () => {
    const id = await createPath();
    const key = await upload(id, png(), 'image/png');

    const conflict = await attach(id, { uploadKey: key, expectedVersion: 7 });

    expect(apiErrorTypes(conflict)).toEqual(['ConflictError']);
    expect(await objectsOf(id)).toEqual([key]);
    const retried = await attach(id, { uploadKey: key, expectedVersion: 1 });
    expect(await objectsOf(id)).toEqual([mediaOf(retried).key]);
    await deletePath(id);
  });

  it('removes the replaced object and the consumed uploads; deleting the path removes the media', async () => {
    const id = await createPath();
    const first = await attach(id, { uploadKey: await upload(id, png(), 'image/png') });
    const firstKey = mediaOf(first).key;
    expect(await objectsOf(id)).toEqual([firstKey]);

    const second = await attach(id, { uploadKey: await upload(id, mp4(4096), 'video/mp4') });
    const secondKey = mediaOf(second).key;

    expect(second.data?.addLearningPathMedia).toMatchObject({ version: 3, media: { contentType: 'video/mp4' } });
    expect(await objectsOf(id)).toEqual([secondKey]);
    await deletePath(id);
    expect(await objectsOf(id)).toEqual([]);
  });
});

describe('the local S3', () => {
  it('refuses an upload URL that has expired', async () => {
    const id = await createPath();
    const key = uploadKey(id, '2d9b8c7a-6f5e-4d3c-8b2a-1f0e9d8c7b6a');
    const url = await uploads.uploadUrlFor(key, 'image/png', png().length, 1);
    await new Promise((resolve) => setTimeout(resolve, 2_500));

    const response = await fetch(url, { method: 'PUT', headers: { 'content-type': 'image/png' }, body: png() });

    expect(response.status).toBe(403);
    expect(await response.text()).toContain('AccessDenied');
    expect(await objectsOf(id)).toEqual([]);
    await deletePath(id);
  });
});
