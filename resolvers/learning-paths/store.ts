import type { CatalogueListing } from './catalogue.js';
import type {
  CataloguePage,
  LearningPathChanges,
  LearningPathRecord,
  MediaRecord,
  OwnerPage,
  OwnerPagePosition,
  WriteGuard,
} from './model.js';

/**
 * Records of learning paths. Every change is conditional: the stores throw NotFoundError when the
 * path does not exist, UnauthorizedError when the guard names an owner and the path has another,
 * and ConflictError when the guard's `expectedVersion` differs from the stored version. A change
 * whose answer was lost is settled by a consistent read: recognised by its write id, it succeeds;
 * otherwise the store throws a typed error only when what is stored proves the change was not
 * applied, and OutcomeUnknownError when it cannot tell.
 */
export interface LearningPathStore {
  /** A strongly consistent read; undefined when there is no such path. */
  get(id: string): Promise<LearningPathRecord | undefined>;
  /**
   * A page of the whole catalogue through its indexes (eventually consistent on AWS), in the listing's
   * order, starting after the index sort key `after`; with a prefix, only names whose folded form starts with it.
   */
  listCatalogue(listing: CatalogueListing, limit: number, after?: string): Promise<CataloguePage>;
  /** One owner's paths, newest first, through the owner index (cost independent of other owners' paths). */
  listByOwner(owner: string, limit: number, startAfter?: OwnerPagePosition): Promise<OwnerPage>;
  /**
   * Stores a new path unless its id is taken, never replacing one. Returns undefined when stored,
   * else the path that holds the id (in one request: the refusal reports it).
   */
  create(record: LearningPathRecord): Promise<LearningPathRecord | undefined>;
  /** Applies only the given changes and increases the version; returns the path after the change. */
  update(id: string, changes: LearningPathChanges, now: string, guard?: WriteGuard): Promise<LearningPathRecord>;
  /** Sets the media and increases the version; says what is stored now and which objects it replaced. */
  setMedia(id: string, media: MediaRecord, now: string, guard?: WriteGuard): Promise<MediaChange>;
  /** Deletes the path; returns it as it was. */
  delete(id: string, guard?: WriteGuard): Promise<DeletedPath>;
}

/** The result of an attach. */
export interface MediaChange {
  /** The path after the attach (or as stored now, when the attach was settled after a lost answer). */
  path: LearningPathRecord;
  /** Keys no record points at any more because of this attach (its old media, the one before that). */
  replacedKeys: string[];
}

/** The result of a delete. */
export interface DeletedPath {
  /** The path as it was deleted. */
  path: LearningPathRecord;
  /**
   * False when the delete's answer was lost and `path` is the image read just before it: a change
   * that landed in between (a new attach) is not in it.
   */
  exact: boolean;
}

/** Media objects in the bucket. */
export interface MediaStore {
  put(key: string, body: Uint8Array, contentType: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** The first `length` bytes of an object and its total size; undefined when there is no such object. */
  readStart(key: string, length: number): Promise<ObjectStart | undefined>;
  /**
   * Copies an object, only while it still has the ETag given, and sets the copy's content type.
   * Returns the copy's ETag, or undefined when the source no longer has the ETag given (nothing is
   * copied). A source that is gone is a ValidationError.
   */
  copy(sourceKey: string, destinationKey: string, options: { etag?: string; contentType: string }): Promise<string | undefined>;
  /** Every object whose key starts with the prefix, page by page. */
  listUnder(prefix: string): AsyncIterable<StoredObject[]>;
}

/** An object as a listing reports it. */
export interface StoredObject {
  key: string;
  lastModified: Date;
}

/** The beginning of a stored object, as read by MediaStore.readStart. */
export interface ObjectStart {
  bytes: Uint8Array;
  /** Size of the whole object in bytes. */
  size: number;
  /** The Content-Type the object was stored with. */
  contentType?: string;
  etag?: string;
}

/** Signs upload (PUT) URLs locally, without a call to S3. */
export interface MediaUploadSigner {
  /** A URL that accepts one PUT of exactly `contentLength` bytes of `contentType` at `key`. */
  uploadUrlFor(key: string, contentType: string, contentLength: number, expiresInSeconds: number): Promise<string>;
}

/** Signs read URLs locally, without a call to S3. */
export interface MediaUrlSigner {
  urlFor(key: string): Promise<string>;
}
