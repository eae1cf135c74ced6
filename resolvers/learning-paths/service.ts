import type { LearningPath, LearningPathConnection } from '../generated/graphql.js';
import { ApiError, ValidationError } from '../lib/errors.js';
import { mediaKey } from '../storage.js';
import { detectMediaType, isAllowedMediaType } from './media-kinds.js';
import type { LearningPathRecord } from './model.js';
import type { LearningPathStore, MediaStore, MediaUrlSigner } from './store.js';
import {
  encodeNextToken,
  parseAddMediaInput,
  parseCreateInput,
  parseDeleteArgs,
  parseId,
  parsePageArgs,
  parseUpdateInput,
} from './validation.js';

/**
 * The rules of learning paths. Each operation takes only the dependencies it uses, so that a
 * function bundling one operation loads no client it does not call.
 */
export interface Dependencies {
  paths: LearningPathStore;
  media: MediaStore;
  urls: MediaUrlSigner;
  /** The current time as an ISO 8601 string. */
  now: () => string;
  newId: () => string;
  /** Reports a failure that did not fail the request (a cleanup that can be retried later). */
  warn: (message: string, details: Record<string, unknown>) => void;
}

/** The GraphQL view of a record: media carries a freshly signed URL. */
async function present(record: LearningPathRecord, urls: MediaUrlSigner): Promise<LearningPath> {
  const { media } = record;
  return { ...presentFields(record), media: media === undefined ? null : { ...media, url: await urls.urlFor(media.key) } };
}

function presentFields({ media: _media, description, ...rest }: LearningPathRecord): LearningPath {
  return { ...rest, description: description ?? null, media: null };
}

export async function getLearningPath(deps: Pick<Dependencies, 'paths' | 'urls'>, args: { id: unknown }): Promise<LearningPath | null> {
  const record = await deps.paths.get(parseId(args.id));
  return record === undefined ? null : present(record, deps.urls);
}

export async function listLearningPaths(deps: Pick<Dependencies, 'paths' | 'urls'>, args: unknown): Promise<LearningPathConnection> {
  const { limit, startAfterId } = parsePageArgs(args);
  const page = await deps.paths.list(limit, startAfterId);
  return {
    items: await Promise.all(page.items.map((record) => present(record, deps.urls))),
    nextToken: page.lastId === undefined ? null : encodeNextToken(page.lastId),
  };
}

/** A new path has no media, so creating one signs nothing and needs no S3 client. */
export async function createLearningPath(deps: Pick<Dependencies, 'paths' | 'now' | 'newId'>, input: unknown): Promise<LearningPath> {
  const fields = parseCreateInput(input);
  const now = deps.now();
  const record: LearningPathRecord = { id: deps.newId(), ...fields, version: 1, createdAt: now, updatedAt: now };
  await deps.paths.create(record);
  return presentFields(record);
}

export async function updateLearningPath(deps: Pick<Dependencies, 'paths' | 'urls' | 'now'>, input: unknown): Promise<LearningPath> {
  const { id, changes, expectedVersion } = parseUpdateInput(input);
  return present(await deps.paths.update(id, changes, deps.now(), expectedVersion), deps.urls);
}

/** Deletes the record first: a failure after that leaves an unreferenced object, never a dangling reference. */
export async function deleteLearningPath(
  deps: Pick<Dependencies, 'paths' | 'media' | 'urls' | 'warn'>,
  args: unknown,
): Promise<LearningPath> {
  const { id, expectedVersion } = parseDeleteArgs(args);
  const deleted = await deps.paths.delete(id, expectedVersion);
  const result = await present(deleted, deps.urls);
  if (deleted.media !== undefined) await removeObject(deps, deleted.media.key);
  return result;
}

/**
 * Verifies the bytes, stores them under a new key, then links them with a conditional write. The
 * object exists before any record points at it; a refused write removes it; the replaced object is
 * removed after the link.
 */
export async function addLearningPathMedia(deps: Dependencies, input: unknown): Promise<LearningPath> {
  const { id, content, contentType: claimed, expectedVersion } = parseAddMediaInput(input);
  const contentType = await verifyMediaKind(content, claimed);
  const now = deps.now();
  const media = { key: mediaKey(id, deps.newId()), contentType, size: content.byteLength, uploadedAt: now };
  await deps.media.put(media.key, content, contentType);

  let before: LearningPathRecord;
  try {
    before = await deps.paths.setMedia(id, media, now, expectedVersion);
  } catch (error) {
    await discardUnlinked(deps, id, media.key, error);
    throw error;
  }
  if (before.media !== undefined) await removeObject(deps, before.media.key);
  return present({ ...before, media, version: before.version + 1, updatedAt: now }, deps.urls);
}

/** The one verification routine for media bytes: an allowed kind, by signature, that agrees with any claim. */
export async function verifyMediaKind(bytes: Uint8Array, claimed: string | undefined): Promise<string> {
  if (claimed !== undefined && !isAllowedMediaType(claimed)) {
    throw new ValidationError(`contentType: ${claimed} is not an allowed media type`);
  }
  const detected = await detectMediaType(bytes);
  if (detected === undefined || !isAllowedMediaType(detected)) {
    throw new ValidationError(`content: ${detected ? `${detected} is not an allowed media type` : 'is not a recognised media file'}`);
  }
  if (claimed !== undefined && claimed !== detected) {
    throw new ValidationError(`contentType: claims ${claimed} but the content is ${detected}`);
  }
  return detected;
}

/**
 * After a failed link, removes the new object unless the record does point at it (a write whose
 * answer was lost may still have happened). If even that cannot be told, the object stays: an
 * unreferenced object is recoverable, a dangling reference is not.
 */
async function discardUnlinked(
  deps: Pick<Dependencies, 'paths' | 'media' | 'warn'>,
  id: string,
  key: string,
  cause: unknown,
): Promise<void> {
  try {
    if (!(cause instanceof ApiError)) {
      const current = await deps.paths.get(id);
      if (current?.media?.key === key) return;
    }
    await deps.media.delete(key);
  } catch (error) {
    deps.warn('Could not remove an unlinked media object', { key, error });
  }
}

async function removeObject(deps: Pick<Dependencies, 'media' | 'warn'>, key: string): Promise<void> {
  try {
    await deps.media.delete(key);
  } catch (error) {
    deps.warn('Could not remove a media object that is no longer referenced', { key, error });
  }
}
