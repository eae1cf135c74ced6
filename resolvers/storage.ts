/**
 * Storage layout shared by the handlers, the local stack and the CDK stack: one declaration of the
 * table's key schema and of the bucket's key prefixes.
 */

/** The learning-path table is keyed by the path's id alone. */
export const TABLE_KEY = { partitionKey: 'id' } as const;

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

/** Days after which an upload that was never attached is removed by the bucket's lifecycle rule. */
export const UPLOAD_EXPIRY_DAYS = 1;
