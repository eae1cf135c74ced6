import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ApiStack } from '../../infra/cdk/api-stack.js';
import { stageSettings } from '../../infra/cdk/stage.js';
import { SECONDARY_INDEXES } from '../../infra/definitions.js';
import { apiTemplate, SKIP_BUNDLING, TEST_CORS_ORIGINS } from './stacks.js';

// biome-ignore lint/suspicious/noExplicitAny: a synthesized template is untyped CloudFormation JSON
type Json = Record<string, any>;

/** The global secondary indexes of the table in a template. */
function indexesOf(template: Template): Json[] {
  const tables = Object.values(template.findResources('AWS::DynamoDB::Table'));
  expect(tables).toHaveLength(1);
  return (tables[0] as Json).Properties.GlobalSecondaryIndexes as Json[];
}

function templateWithIndexes(count: number): Template {
  const app = new App({ context: { ...SKIP_BUNDLING, tableIndexes: String(count) } });
  return Template.fromStack(new ApiStack(app, 'LearningPaths-dev', { settings: stageSettings('dev'), corsOrigins: TEST_CORS_ORIGINS }));
}

// Synthesized once, at load (hook and test timeouts do not apply there).
const full = indexesOf(apiTemplate('prod'));
const steps = SECONDARY_INDEXES.map((_, index) => indexesOf(templateWithIndexes(index + 1)).map((gsi) => gsi.IndexName as string));

describe('table indexes', () => {
  it('gives the table every shared index, keyed and projected as the local table is', () => {
    expect(full).toEqual(
      SECONDARY_INDEXES.map((index) => ({
        IndexName: index.indexName,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    );
  });

  it('rolls new indexes out one per deploy: each step of -c tableIndexes=N adds exactly one (CloudFormation allows no more)', () => {
    let previous = steps[0] ?? [];
    expect(previous).toEqual(['byOwner']);
    for (const current of steps.slice(1)) {
      expect(current.slice(0, -1)).toEqual(previous);
      expect(current).toHaveLength(previous.length + 1);
      previous = current;
    }
    expect(previous).toEqual(SECONDARY_INDEXES.map((index) => index.indexName));
  });

  it.each(['0', '4', 'two', '1.5'])('refuses -c tableIndexes=%s', (value) => {
    const app = new App({ context: { ...SKIP_BUNDLING, tableIndexes: value } });
    expect(() => new ApiStack(app, 'LearningPaths-dev', { settings: stageSettings('dev'), corsOrigins: TEST_CORS_ORIGINS })).toThrow(
      /tableIndexes must be a whole number from 1 to 3/,
    );
  });
});
