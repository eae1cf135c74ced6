/** A learning path as stored in the table. `media.url` is not stored: it is signed on every read. */
export interface LearningPathRecord {
  id: string;
  /** Who may change the path: the creating user's `sub` (or an IAM caller's ARN). Never from input. */
  owner: string;
  name: string;
  description?: string;
  media?: MediaRecord;
  version: number;
  createdAt: string;
  updatedAt: string;
  /** Hash of the normalized create input: tells a retried create from another one with the same id. */
  inputHash?: string;
  /** Id of the last update written, so that an SDK retry of an update that was applied is recognised. */
  lastWriteId?: string;
  /** Key of the media that the last setMedia replaced ('' when none), so a retried attach still removes it. */
  previousMediaKey?: string;
  /** Catalogue index keys (catalogue.ts), written by the store with the fields they derive from; never shown. */
  catalogueShard?: string;
  createdKey?: string;
  nameKey?: string;
}

export interface MediaRecord {
  key: string;
  contentType: string;
  size: number;
  uploadedAt: string;
}

/** Changes of updateLearningPath: a field absent is left alone, `description: null` removes it. */
export interface LearningPathChanges {
  name?: string;
  description?: string | null;
}

/** One page of the catalogue; `last` (the index sort key of its last path) is where the next page starts. */
export interface CataloguePage {
  items: LearningPathRecord[];
  last?: string;
}

/** One page of one owner's paths, newest first; `last` is where the next page starts. */
export interface OwnerPage {
  items: LearningPathRecord[];
  last?: OwnerPagePosition;
}

/** A position in an owner's paths: the creation time and id of the last path of a page. */
export interface OwnerPagePosition {
  createdAt: string;
  id: string;
}

/**
 * Conditions of a change besides the path's existence: the stored version (when the caller gave one)
 * and the stored owner (unless the caller may change any path).
 */
export interface WriteGuard {
  expectedVersion?: number;
  owner?: string;
}
