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
