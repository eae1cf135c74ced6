import { AttributeType, ProjectionType, type Table } from 'aws-cdk-lib/aws-dynamodb';
import type { Node } from 'constructs';
import { SECONDARY_INDEXES } from '../definitions.js';

/** Context key that limits a deploy to the first N indexes of SECONDARY_INDEXES (docs/deploying.md). */
export const TABLE_INDEXES_CONTEXT = 'tableIndexes';

/**
 * The indexes this deploy gives the table: all of them, or with `-c tableIndexes=N` the first N.
 * CloudFormation can create only one global secondary index per table update, so a deployed table
 * gains new indexes one deploy at a time: N = (indexes it has) + 1, then the next, then all.
 */
export function indexesToDeploy(node: Node): readonly (typeof SECONDARY_INDEXES)[number][] {
  const raw: unknown = node.tryGetContext(TABLE_INDEXES_CONTEXT);
  if (raw === undefined) return SECONDARY_INDEXES;
  const count = Number(raw);
  if (!Number.isInteger(count) || count < 1 || count > SECONDARY_INDEXES.length) {
    throw new Error(`-c ${TABLE_INDEXES_CONTEXT} must be a whole number from 1 to ${SECONDARY_INDEXES.length}, got "${String(raw)}"`);
  }
  return SECONDARY_INDEXES.slice(0, count);
}

/** Adds the indexes this deploy gives the table, from the definition the local table is made from. */
export function addTableIndexes(table: Table): void {
  for (const index of indexesToDeploy(table.node)) {
    table.addGlobalSecondaryIndex({
      indexName: index.indexName,
      partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
      sortKey: { name: index.sortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });
  }
}
