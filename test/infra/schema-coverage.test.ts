import { readFileSync } from 'node:fs';
import { buildSchema, type GraphQLObjectType } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_PATH } from '../../infra/definitions.js';
import { localSimulatorConfig } from '../../infra/local/appsync-local.js';
import { resolverDeclarations } from '../../resolvers/declarations.js';
import { apiTemplate } from './stacks.js';

const BUILTINS_PATH = SCHEMA_PATH.replace('schema.graphql', 'appsync-builtins.graphql');

/** Every Query and Mutation field of the deployed schema, as `Type.field`. */
function schemaRootFields(): string[] {
  const schema = buildSchema(`${readFileSync(BUILTINS_PATH, 'utf8')}\n${readFileSync(SCHEMA_PATH, 'utf8')}`);
  const roots = [schema.getQueryType(), schema.getMutationType()].filter((type): type is GraphQLObjectType => type != null);
  return roots.flatMap((type) => Object.keys(type.getFields()).map((field) => `${type.name}.${field}`)).sort();
}

describe('every Query and Mutation field has a resolver', () => {
  const fields = schemaRootFields();
  beforeAll(() => {
    apiTemplate('prod');
  });

  it('reads a schema with queries and mutations', () => {
    expect(fields).toContain('Query.learningPath');
    expect(fields).toContain('Mutation.createLearningPath');
  });

  it('in the AWS stack', () => {
    const resolvers = Object.values(apiTemplate('prod').findResources('AWS::AppSync::Resolver')).map(
      (resolver) => `${resolver.Properties.TypeName}.${resolver.Properties.FieldName}`,
    );
    expect(resolvers.sort()).toEqual(fields);
  });

  it('in the local stack', () => {
    const handlers = resolverDeclarations.map((declaration) => ({ declaration, handler: async () => null }));
    const config = localSimulatorConfig(handlers, 'da2-coverage');
    const resolvers = (config.resolvers ?? []).map((resolver) => `${resolver.typeName}.${resolver.fieldName}`);
    expect(resolvers.sort()).toEqual(fields);
    const sources = new Set((config.dataSources ?? []).map((source) => source.name));
    for (const resolver of config.resolvers ?? [])
      expect(sources.has('dataSourceName' in resolver ? resolver.dataSourceName : '')).toBe(true);
  });
});
