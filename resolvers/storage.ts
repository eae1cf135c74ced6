/**
 * Storage layout shared by the handlers, the local stack and the CDK stack: one declaration of the
 * table's key schema and of the bucket's key prefixes.
 */

/** The learning-path table is keyed by the path's id alone. */
export const TABLE_KEY = { partitionKey: 'id' } as const;

/**
 * Global secondary index of each owner's paths by creation time (ISO 8601 strings sort in time
 * order), so that listing one owner's paths reads only theirs. Projects all attributes: a page is
 * returned whole, without a read of the table per item.
 */
export const OWNER_INDEX = { indexName: 'byOwner', partitionKey: 'owner', sortKey: 'createdAt' } as const;

/**
 * The catalogue (every path, in each order the API offers) is spread over this many partition-key
 * shards of the catalogue indexes; a page queries every shard and merges. More shards spread writes
 * and storage over more partitions, and multiply the read cost of a page (docs/performance.md).
 * Changing it needs a backfill run (`npm run backfill`), which moves every path to its new shard.
 */
export const CATALOGUE_SHARDS = 4;

/**
 * Attributes that place a path in the catalogue indexes, derived from its id, creation time and name
 * (see resolvers/learning-paths/catalogue.ts). An item without them is absent from those indexes.
 */
export const CATALOGUE_ATTRIBUTES = { shard: 'catalogueShard', created: 'createdKey', name: 'nameKey' } as const;

/** The catalogue by creation time, then id: `createdKey` is `<createdAt>#<id>`. Serves NEWEST_FIRST and OLDEST_FIRST. */
export const CREATED_INDEX = {
  indexName: 'byCreated',
  partitionKey: CATALOGUE_ATTRIBUTES.shard,
  sortKey: CATALOGUE_ATTRIBUTES.created,
} as const;

/**
 * The catalogue by folded name, then id: `nameKey` is `<folded name>\u0001<id>`. Serves NAME_ASC,
 * NAME_DESC and the name-prefix search (begins_with on the folded prefix).
 */
export const NAME_INDEX = { indexName: 'byName', partitionKey: CATALOGUE_ATTRIBUTES.shard, sortKey: CATALOGUE_ATTRIBUTES.name } as const;

/**
 * Every global secondary index of the table, in the order they were introduced: a deployed table
 * gains them one per CloudFormation update (docs/deploying.md). All key attributes are strings; every
 * index projects all attributes, so a page is answered by the index alone.
 */
export const SECONDARY_INDEXES = [OWNER_INDEX, CREATED_INDEX, NAME_INDEX] as const;

/** Key prefix of media objects that are attached to a learning path: `media/<pathId>/<objectId>`. */
export const MEDIA_PREFIX = 'media/';

/** Builds the S3 key of a media object of a learning path. */
export function mediaKey(pathId: string, objectId: string): string {
  return `${MEDIA_PREFIX}${pathId}/${objectId}`;
}

/**
 * Key prefix of direct-to-S3 uploads that are not attached yet: `uploads/<pathId>/<objectId>`.
 * Attaching moves an upload under MEDIA_PREFIX; whatever stays here expires by the bucket's lifecycle.
 */
export const UPLOAD_PREFIX = 'uploads/';

/** Builds the S3 key of a direct-to-S3 upload issued for a learning path. */
export function uploadKey(pathId: string, objectId: string): string {
  return `${UPLOAD_PREFIX}${pathId}/${objectId}`;
}

/** Days after which an upload that was never attached is removed by the bucket's lifecycle rule. */
export const UPLOAD_EXPIRY_DAYS = 1;

/** Default size limit of a media file uploaded straight to S3 (deployments may lower or raise it). */
export const DEFAULT_MEDIA_UPLOAD_MAX_BYTES = 25 * 1024 * 1024;

/** Lifetime of a presigned upload URL. */
export const UPLOAD_URL_TTL_SECONDS = 300;
