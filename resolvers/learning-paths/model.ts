/** A learning path as stored in the table. `media.url` is not stored: it is signed on every read. */
export interface LearningPathRecord {
  id: string;
  name: string;
  description?: string;
  media?: MediaRecord;
  version: number;
  createdAt: string;
  updatedAt: string;
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

/** One page of a listing; `lastId` is where the next page starts. */
export interface RecordPage {
  items: LearningPathRecord[];
  lastId?: string;
}
