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
  /**
   * Ids of the last two changes (update or attach) written, newest first, so that a write whose answer
   * was lost recognises itself even after one more change landed (see dynamodb-store.ts).
   */
  lastWriteId?: string;
  priorWriteId?: string;
  /** Key of the media that the last attach replaced ('' when none): the next attach or the delete removes it too. */
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
