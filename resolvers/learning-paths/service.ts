import type { LearningPath, LearningPathConnection, LearningPathOrder } from '../generated/graphql.js';
import { ClientTokenConflictError, NotFoundError, OutcomeUnknownError, ValidationError } from '../lib/errors.js';
import type { Actor } from '../lib/identity.js';
import { MEDIA_PREFIX, mediaKey, UPLOAD_URL_TTL_SECONDS, uploadKey } from '../storage.js';
import { assertMayChange, ownerFor, requiredOwner } from './access.js';
import { type CatalogueListing, decodeCatalogueToken, encodeCatalogueToken, foldedNameForKey, ORDERS, searchListing } from './catalogue.js';
import { createInputHash, pathIdForClientToken } from './idempotency.js';
import { detectMediaType, isAllowedMediaType, MEDIA_SNIFF_BYTES } from './media-kinds.js';
import type { LearningPathRecord, MediaRecord } from './model.js';
import { IN_FLIGHT_WINDOW_MS, removeUnreferenced } from './orphans.js';
import type { DeletedPath, LearningPathStore, MediaChange, MediaStore, MediaUploadSigner, MediaUrlSigner } from './store.js';
import {
  encodeOwnerPageToken,
  LIMITS,
  parseAddMediaInput,
  parseCatalogueArgs,
  parseCreateInput,
  parseCreateUploadInput,
  parseDeleteArgs,
  parseId,
  parseOwnerPageArgs,
  parseSearchArgs,
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
  uploads: MediaUploadSigner;
  /** Largest media file accepted through a presigned upload. */
  mediaUploadMaxBytes: number;
}

/** The GraphQL view of a record: media carries a freshly signed URL. */
async function present(record: LearningPathRecord, urls: MediaUrlSigner): Promise<LearningPath> {
  const { media } = record;
  return { ...presentFields(record), media: media === undefined ? null : { ...media, url: await urls.urlFor(media.key) } };
}

function presentFields({
  media: _media,
  description,
  inputHash: _inputHash,
  lastWriteId: _lastWriteId,
  priorWriteId: _priorWriteId,
  previousMediaKey: _previousMediaKey,
  catalogueShard: _catalogueShard,
  createdKey: _createdKey,
  nameKey: _nameKey,
  ...rest
}: LearningPathRecord): LearningPath {
  return { ...rest, description: description ?? null, media: null };
}

async function presentPage(records: LearningPathRecord[], nextToken: string | null, urls: MediaUrlSigner): Promise<LearningPathConnection> {
  return { items: await Promise.all(records.map((record) => present(record, urls))), nextToken };
}

export async function getLearningPath(deps: Pick<Dependencies, 'paths' | 'urls'>, args: { id: unknown }): Promise<LearningPath | null> {
  const record = await deps.paths.get(parseId(args.id));
  return record === undefined ? null : present(record, deps.urls);
}

/** The whole catalogue in the order asked for (newest first by default), through the catalogue indexes. */
export async function listLearningPaths(deps: Pick<Dependencies, 'paths' | 'urls'>, args: unknown): Promise<LearningPathConnection> {
  const { order, limit, nextToken } = parseCatalogueArgs(args);
  return catalogueListing(deps, ORDERS[order], limit, nextToken, order);
}

/** Paths whose folded name starts with the folded prefix, by name then id. */
export async function searchLearningPaths(deps: Pick<Dependencies, 'paths' | 'urls'>, args: unknown): Promise<LearningPathConnection> {
  const { namePrefix, limit, nextToken } = parseSearchArgs(args);
  const prefix = foldedNameForKey(namePrefix);
  if (prefix === '') throw new ValidationError('namePrefix: must keep at least one character once accents and marks are removed');
  return catalogueListing(deps, searchListing(prefix), limit, nextToken);
}

async function catalogueListing(
  deps: Pick<Dependencies, 'paths' | 'urls'>,
  listing: CatalogueListing,
  limit: number,
  nextToken: string | undefined,
  order?: LearningPathOrder,
): Promise<LearningPathConnection> {
  const after = nextToken === undefined ? undefined : decodeCatalogueToken(nextToken, listing, order);
  const page = await deps.paths.listCatalogue(listing, limit, after);
  return presentPage(page.items, page.last === undefined ? null : encodeCatalogueToken(listing, page.last, order), deps.urls);
}

/** The caller's own paths, newest first. */
export async function listMyLearningPaths(
  deps: Pick<Dependencies, 'paths' | 'urls'>,
  actor: Actor,
  args: unknown,
): Promise<LearningPathConnection> {
  const owner = ownerFor(actor);
  const { limit, startAfter } = parseOwnerPageArgs(args);
  const page = await deps.paths.listByOwner(owner, limit, startAfter);
  return presentPage(page.items, page.last === undefined ? null : encodeOwnerPageToken(page.last), deps.urls);
}

/**
 * Creates a path in one conditional put, owned by the caller. With a clientToken the id is derived from the token, so a
 * retry meets the stored path: the same input returns it as it is now, other input is a conflict.
 * Without one the id is random, and a refusal can only be an SDK retry of this very put. A new path
 * has no media, so only a retry of a path that has gained media since signs a URL. The token is
 * the caller's: the id derives from owner and token, so equal tokens of two users never meet.
 */
export async function createLearningPath(
  deps: Pick<Dependencies, 'paths' | 'urls' | 'now' | 'newId'>,
  actor: Actor,
  input: unknown,
): Promise<LearningPath> {
  const owner = ownerFor(actor);
  const { clientToken, ...fields } = parseCreateInput(input);
  const now = deps.now();
  const id = clientToken === undefined ? deps.newId() : pathIdForClientToken(owner, clientToken);
  const inputHash = createInputHash(fields);
  const record: LearningPathRecord = { id, owner, ...fields, version: 1, createdAt: now, updatedAt: now, inputHash };
  const existing = await deps.paths.create(record);
  if (existing === undefined) return presentFields(record);
  if (existing.inputHash !== inputHash) throw new ClientTokenConflictError();
  return present(existing, deps.urls);
}

/** Ownership is part of the write's condition, so a refused change has changed nothing. */
export async function updateLearningPath(
  deps: Pick<Dependencies, 'paths' | 'urls' | 'now'>,
  actor: Actor,
  input: unknown,
): Promise<LearningPath> {
  const owner = requiredOwner(actor);
  const { id, changes, expectedVersion } = parseUpdateInput(input);
  return present(await deps.paths.update(id, changes, deps.now(), { expectedVersion, owner }), deps.urls);
}

/**
 * Deletes the record first: a failure after that leaves an unreferenced object (removed by the
 * reconciler), never a dangling reference. The answer carries no media: this request removed it.
 */
export async function deleteLearningPath(
  deps: Pick<Dependencies, 'paths' | 'media' | 'now' | 'warn'>,
  actor: Actor,
  args: unknown,
): Promise<LearningPath> {
  const owner = requiredOwner(actor);
  const { id, expectedVersion } = parseDeleteArgs(args);
  const startedAt = Date.parse(deps.now());
  let deleted: DeletedPath;
  try {
    deleted = await deps.paths.delete(id, { expectedVersion, owner });
  } catch (error) {
    // Leftovers of an earlier delete that failed after its record was gone.
    if (error instanceof NotFoundError) await sweep(deps, id, startedAt);
    throw error;
  }
  const { path } = deleted;
  // In parallel, so that the function's worst case counts one cleanup (declarations.ts). After a lost
  // answer `path` is the image read before the delete: an object attached in between is the reconciler's.
  const leftovers = [path.media?.key, path.previousMediaKey].filter((key): key is string => !!key);
  await Promise.all(leftovers.map((key) => removeObject(deps, key)));
  return presentFields(path);
}

/** A presigned upload as the API returns it; `headers` is an object, which AppSync serialises as AWSJSON. */
export interface MediaUploadTicket {
  uploadUrl: string;
  uploadKey: string;
  expiresAt: string;
  headers: Record<string, string>;
}

/**
 * Issues a presigned PUT under the path's upload prefix. The URL signs the declared type and length,
 * which S3 on AWS enforces; attaching verifies the object anyway, since no S3 stand-in does.
 */
export async function createMediaUpload(
  deps: Pick<Dependencies, 'paths' | 'uploads' | 'now' | 'newId' | 'mediaUploadMaxBytes'>,
  actor: Actor,
  input: unknown,
): Promise<MediaUploadTicket> {
  requiredOwner(actor);
  const { learningPathId, contentType, contentLength } = parseCreateUploadInput(input);
  if (!isAllowedMediaType(contentType)) throw new ValidationError(`contentType: ${contentType} is not an allowed media type`);
  if (contentLength > deps.mediaUploadMaxBytes) {
    throw new ValidationError(`contentLength: must be at most ${deps.mediaUploadMaxBytes} bytes`);
  }
  const path = await deps.paths.get(learningPathId);
  if (path === undefined) throw new NotFoundError(learningPathId);
  assertMayChange(actor, path);
  const key = uploadKey(learningPathId, deps.newId());
  const expiresAt = new Date(Date.parse(deps.now()) + UPLOAD_URL_TTL_SECONDS * 1000).toISOString();
  const uploadUrl = await deps.uploads.uploadUrlFor(key, contentType, contentLength, UPLOAD_URL_TTL_SECONDS);
  return { uploadUrl, uploadKey: key, expiresAt, headers: { 'content-type': contentType } };
}

/**
 * Verifies the bytes (inline, or the start of an upload), stores them under a new key, then links
 * them with a conditional write. The object exists before any record points at it; a failure after
 * the put or copy was attempted removes it (unless the record may point at it); the consumed upload
 * and the objects the link replaced are removed after the link.
 */
export async function addLearningPathMedia(deps: Omit<Dependencies, 'uploads'>, actor: Actor, input: unknown): Promise<LearningPath> {
  const owner = requiredOwner(actor);
  const parsed = parseAddMediaInput(input);
  const { id, expectedVersion } = parsed;
  const now = deps.now();
  const key = mediaKey(id, deps.newId());
  let media: MediaRecord;
  let attempted = false;
  try {
    if (parsed.uploadKey === undefined) {
      const { content } = parsed;
      const limits = { size: content.byteLength, maxBytes: LIMITS.inlineMediaMaxBytes };
      media = { key, contentType: await verifyMediaKind(content, parsed.contentType, limits), size: content.byteLength, uploadedAt: now };
      attempted = true;
      await deps.media.put(key, content, media.contentType);
    } else {
      const upload = await verifyUpload(deps, parsed.uploadKey, parsed.contentType);
      media = { key, contentType: upload.contentType, size: upload.size, uploadedAt: now };
      attempted = true;
      const copied = await deps.media.copy(parsed.uploadKey, key, { etag: upload.etag, contentType: upload.contentType });
      // S3 refuses the copy of a changed upload by its condition (undefined); a store that ignores
      // conditions is caught by the ETag: either way the upload is not the object that was verified.
      if (copied === undefined || copied !== upload.etag) {
        await removeObject(deps, parsed.uploadKey);
        throw new ValidationError('uploadKey: the upload changed while it was being attached');
      }
    }
  } catch (error) {
    if (attempted) await removeObject(deps, key);
    throw error;
  }

  let change: MediaChange;
  try {
    change = await deps.paths.setMedia(id, media, now, { expectedVersion, owner });
  } catch (error) {
    // The store settled the outcome: no record points at the new object (not linked, or linked and
    // since replaced or deleted), unless even the settling read failed.
    if (!(error instanceof OutcomeUnknownError && !error.read)) await removeObject(deps, key);
    // An upload of a path that is gone can never be attached; after a conflict the client may retry.
    if (parsed.uploadKey !== undefined && error instanceof NotFoundError) await removeObject(deps, parsed.uploadKey);
    throw error;
  }
  // In parallel, so that the function's worst case counts one cleanup, not three (declarations.ts).
  const leftovers = [parsed.uploadKey, ...change.replacedKeys].filter((key): key is string => key !== undefined && key !== media.key);
  await Promise.all(leftovers.map((key) => removeObject(deps, key)));
  return present(change.path, deps.urls);
}

/**
 * Reads the start of an upload and verifies it like inline content against the type it was declared
 * with. An upload that fails verification is deleted.
 */
async function verifyUpload(
  deps: Pick<Dependencies, 'media' | 'warn' | 'mediaUploadMaxBytes'>,
  source: string,
  claimed: string | undefined,
): Promise<{ contentType: string; size: number; etag?: string }> {
  const start = await deps.media.readStart(source, MEDIA_SNIFF_BYTES);
  if (start === undefined) throw new ValidationError('uploadKey: no such upload (never made, already attached, or expired)');
  let contentType: string;
  try {
    const declared = start.contentType?.trim().toLowerCase() ?? 'a missing content type';
    contentType = await verifyMediaKind(start.bytes, declared, { size: start.size, maxBytes: deps.mediaUploadMaxBytes });
  } catch (error) {
    await removeObject(deps, source);
    throw error;
  }
  if (claimed !== undefined && claimed !== contentType) {
    throw new ValidationError(`contentType: claims ${claimed} but the upload is ${contentType}`);
  }
  return { contentType, size: start.size, ...(start.etag !== undefined && { etag: start.etag }) };
}

/**
 * The one verification routine for media files, inline or uploaded: a size within the limit, and
 * an allowed kind, by signature, that agrees with any claim. `bytes` may be just the file's start.
 */
export async function verifyMediaKind(
  bytes: Uint8Array,
  claimed: string | undefined,
  limits: { size: number; maxBytes: number },
): Promise<string> {
  if (limits.size === 0) throw new ValidationError('content: must not be empty');
  if (limits.size > limits.maxBytes)
    throw new ValidationError(`content: is ${limits.size} bytes, more than the limit of ${limits.maxBytes}`);
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
 * Removes the leftovers under a gone path's prefix: objects older than this request by more than any
 * request can run (so no attach in flight can still link one) that no record points at.
 */
async function sweep(deps: Pick<Dependencies, 'paths' | 'media' | 'warn'>, id: string, startedAt: number): Promise<void> {
  try {
    for await (const page of deps.media.listUnder(`${MEDIA_PREFIX}${id}/`)) {
      await removeUnreferenced(deps, page, new Date(startedAt - IN_FLIGHT_WINDOW_MS));
    }
  } catch (error) {
    deps.warn('Could not remove the media objects of a deleted path', { id, error });
  }
}

/**
 * Cleanup deletes are idempotent and all that stands between a failure and a leftover object, so a
 * delete that failed through all its SDK attempts gets one more round before it is given up.
 */
async function deleteWithSecondRound(deps: Pick<Dependencies, 'media'>, key: string): Promise<void> {
  try {
    await deps.media.delete(key);
  } catch {
    await deps.media.delete(key);
  }
}

async function removeObject(deps: Pick<Dependencies, 'media' | 'warn'>, key: string): Promise<void> {
  try {
    await deleteWithSecondRound(deps, key);
  } catch (error) {
    deps.warn('Could not remove a media object that is no longer referenced', { key, error });
  }
}
