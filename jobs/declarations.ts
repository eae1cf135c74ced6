import type { MediaGrant, TableAction } from '../resolvers/declarations.js';
import { MEDIA_PREFIX } from '../resolvers/storage.js';

/** A scheduled job: its handler and exactly the AWS actions that handler calls. */
export interface JobDeclaration {
  readonly name: string;
  /** Handler module, relative to the repository root; it exports `handler`. */
  readonly entry: string;
  readonly tableActions: readonly TableAction[];
  readonly mediaGrants: readonly MediaGrant[];
}

/** The media reconciler: lists media/, reads each old object's path, deletes the unreferenced ones. */
export const mediaReconcilerDeclaration: JobDeclaration = {
  name: 'MediaReconciler',
  entry: 'jobs/handlers/reconcile-media.ts',
  tableActions: ['dynamodb:GetItem'],
  mediaGrants: [{ actions: ['s3:ListBucket', 's3:DeleteObject'], prefix: MEDIA_PREFIX }],
};
