/**
 * The single declaration of the API's resolvers: which field each handler resolves and exactly which
 * AWS actions that handler calls. The local stack and the CDK stack both read this list, so a field
 * cannot be resolved in one place and not in the other, and IAM grants follow the code.
 */

import type { SdkCall } from './call-budget.js';
import { CREATED_INDEX, MEDIA_PREFIX, NAME_INDEX, OWNER_INDEX, UPLOAD_PREFIX } from './storage.js';

export type TableAction = 'dynamodb:GetItem' | 'dynamodb:PutItem' | 'dynamodb:UpdateItem' | 'dynamodb:DeleteItem';

/** Actions on a secondary index of the table; granted on that index's ARN only. */
export type IndexAction = 'dynamodb:Query';

export interface IndexGrant {
  readonly actions: readonly IndexAction[];
  readonly indexName: string;
}

/** `s3:ListBucket` is granted on the bucket, limited by the `s3:prefix` condition to the grant's prefix. */
export type MediaAction = 's3:GetObject' | 's3:PutObject' | 's3:DeleteObject' | 's3:ListBucket';

export interface MediaGrant {
  readonly actions: readonly MediaAction[];
  /** Key prefix within the media bucket that the actions are limited to. */
  readonly prefix: string;
}

export interface ResolverDeclaration {
  readonly typeName: 'Query' | 'Mutation';
  readonly fieldName: string;
  /** Handler module, relative to the repository root; it exports `handler`. */
  readonly entry: string;
  /** DynamoDB actions the handler calls on the learning-path table. */
  readonly tableActions: readonly TableAction[];
  /** Actions the handler calls on secondary indexes of the table; none when absent. */
  readonly indexGrants?: readonly IndexGrant[];
  /** S3 actions the handler calls (or signs URLs for) on media bucket objects. */
  readonly mediaGrants: readonly MediaGrant[];
  /**
   * The AWS calls the handler makes one after another, for each of its longest paths (other paths
   * make a subset of one of these). Its function's timeout is derived from the longest (call-budget.ts).
   */
  readonly callSequences: readonly (readonly SdkCall[])[];
}

/** Presigned GET URLs are signed with the function's own credentials, so signing needs s3:GetObject. */
const readMedia: MediaGrant = { actions: ['s3:GetObject'], prefix: MEDIA_PREFIX };

export const resolverDeclarations: readonly ResolverDeclaration[] = [
  {
    typeName: 'Query',
    fieldName: 'learningPath',
    entry: 'resolvers/handlers/Query.learningPath.ts',
    tableActions: ['dynamodb:GetItem'],
    mediaGrants: [readMedia],
    callSequences: [['dynamodb:GetItem']],
  },
  {
    typeName: 'Query',
    fieldName: 'learningPaths',
    entry: 'resolvers/handlers/Query.learningPaths.ts',
    tableActions: [],
    // The creation-time orders read one index, the name orders the other.
    indexGrants: [
      { actions: ['dynamodb:Query'], indexName: CREATED_INDEX.indexName },
      { actions: ['dynamodb:Query'], indexName: NAME_INDEX.indexName },
    ],
    mediaGrants: [readMedia],
    // One Query per catalogue shard, all at once: one step of the sequence.
    callSequences: [['dynamodb:Query']],
  },
  {
    typeName: 'Query',
    fieldName: 'searchLearningPaths',
    entry: 'resolvers/handlers/Query.searchLearningPaths.ts',
    tableActions: [],
    indexGrants: [{ actions: ['dynamodb:Query'], indexName: NAME_INDEX.indexName }],
    mediaGrants: [readMedia],
    callSequences: [['dynamodb:Query']],
  },
  {
    typeName: 'Query',
    fieldName: 'myLearningPaths',
    entry: 'resolvers/handlers/Query.myLearningPaths.ts',
    tableActions: [],
    indexGrants: [{ actions: ['dynamodb:Query'], indexName: OWNER_INDEX.indexName }],
    mediaGrants: [readMedia],
    callSequences: [['dynamodb:Query']],
  },
  {
    typeName: 'Mutation',
    fieldName: 'createLearningPath',
    entry: 'resolvers/handlers/Mutation.createLearningPath.ts',
    // GetItem only to settle a put whose outcome is unknown (dynamodb-store.ts).
    tableActions: ['dynamodb:PutItem', 'dynamodb:GetItem'],
    mediaGrants: [readMedia],
    callSequences: [['dynamodb:PutItem', 'dynamodb:GetItem']],
  },
  {
    typeName: 'Mutation',
    fieldName: 'updateLearningPath',
    entry: 'resolvers/handlers/Mutation.updateLearningPath.ts',
    // GetItem only to settle an update whose outcome is unknown (dynamodb-store.ts).
    tableActions: ['dynamodb:UpdateItem', 'dynamodb:GetItem'],
    mediaGrants: [readMedia],
    callSequences: [['dynamodb:UpdateItem', 'dynamodb:GetItem']],
  },
  {
    typeName: 'Mutation',
    fieldName: 'deleteLearningPath',
    entry: 'resolvers/handlers/Mutation.deleteLearningPath.ts',
    // GetItem: the path is read before it is deleted, and re-read to settle a lost answer; ListBucket
    // and GetItem again for the sweep of leftovers after a NotFound (see the service's sweep).
    tableActions: ['dynamodb:DeleteItem', 'dynamodb:GetItem'],
    mediaGrants: [{ actions: ['s3:DeleteObject', 's3:ListBucket'], prefix: MEDIA_PREFIX }],
    callSequences: [
      // Read, delete, settle a lost answer; then the media and the one it replaced go in parallel,
      // with one more round if a delete fails.
      ['dynamodb:GetItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem', 's3:DeleteObject', 's3:DeleteObject'],
      // NotFound: leftovers older than the in-flight window are swept, each after a re-read (one, as a path has).
      ['dynamodb:GetItem', 's3:ListObjectsV2', 'dynamodb:GetItem', 's3:DeleteObject'],
    ],
  },
  {
    typeName: 'Mutation',
    fieldName: 'addLearningPathMedia',
    entry: 'resolvers/handlers/Mutation.addLearningPathMedia.ts',
    // GetItem only to settle a link whose outcome is unknown (dynamodb-store.ts).
    tableActions: ['dynamodb:UpdateItem', 'dynamodb:GetItem'],
    // Uploads: ranged read and copy source, then removal. Media: inline put and copy target, removal
    // of the replaced or unlinked object, and signing the response's GET URL.
    mediaGrants: [
      { actions: ['s3:GetObject', 's3:DeleteObject'], prefix: UPLOAD_PREFIX },
      { actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], prefix: MEDIA_PREFIX },
    ],
    // From an upload (inline content puts once instead of reading and copying: a subset). A link
    // whose outcome is unknown is settled by a read. Cleanup deletes get one more round when they
    // fail; the upload and the replaced objects go in parallel.
    callSequences: [['s3:GetObject', 's3:CopyObject', 'dynamodb:UpdateItem', 'dynamodb:GetItem', 's3:DeleteObject', 's3:DeleteObject']],
  },
  {
    typeName: 'Mutation',
    fieldName: 'createMediaUpload',
    entry: 'resolvers/handlers/Mutation.createMediaUpload.ts',
    tableActions: ['dynamodb:GetItem'],
    // Signing a presigned PUT needs the permission the PUT itself will use.
    mediaGrants: [{ actions: ['s3:PutObject'], prefix: UPLOAD_PREFIX }],
    callSequences: [['dynamodb:GetItem']],
  },
];

/** Name of a resolver's handler, as used for Lambda functions and local data sources. */
export function handlerName(declaration: ResolverDeclaration): string {
  return `${declaration.typeName}.${declaration.fieldName}`;
}
