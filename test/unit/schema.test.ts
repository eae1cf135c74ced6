import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate, loadCodegenConfig } from '@graphql-codegen/cli';
import { buildSchema, type GraphQLNamedType, isInputObjectType, isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const schema = buildSchema(`${read('schema/schema.graphql')}\n${read('schema/appsync-builtins.graphql')}`);
const ownTypes = Object.values(schema.getTypeMap()).filter(
  (type: GraphQLNamedType) =>
    !type.name.startsWith('__') && !type.name.startsWith('AWS') && !['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name),
);

describe('schema', () => {
  it('describes every type, field and argument, so that it documents itself', () => {
    const undocumented: string[] = [];
    for (const type of ownTypes) {
      if (!type.description) undocumented.push(type.name);
      if (isObjectType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) undocumented.push(`${type.name}.${field.name}`);
          for (const arg of 'args' in field ? field.args : []) {
            if (!arg.description) undocumented.push(`${type.name}.${field.name}(${arg.name})`);
          }
        }
      }
    }
    expect(undocumented).toEqual([]);
  });

  it('has generated resolver types and typed client operations that match the schema and client/operations (run `npm run codegen` when this fails)', async () => {
    const { config } = await loadCodegenConfig({ configFilePath: join(root, 'codegen.yml') });
    const outputs = await generate({ ...config, cwd: root, silent: true }, false);
    for (const generated of ['resolvers/generated/graphql.ts', 'client/generated/operations.ts']) {
      const output = outputs.find((file: { filename: string }) => file.filename.endsWith(generated));
      expect(output?.content, generated).toBe(read(generated));
    }
  });
});
