import { readFileSync } from 'node:fs';
import { type ASTNode, type DocumentNode, Kind, parse, print, type Token, TokenKind, visit } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { toAppSyncSchema, withoutDescriptions } from '../../infra/appsync-schema.js';
import { SCHEMA_PATH } from '../../infra/definitions.js';
import { localSimulatorConfig } from '../../infra/local/appsync-local.js';
import { apiTemplate } from './stacks.js';

const source = readFileSync(SCHEMA_PATH, 'utf8');
const deployed: Record<'dev' | 'prod', string> = { dev: '', prod: '' };
beforeAll(() => {
  for (const stage of ['dev', 'prod'] as const) {
    const [schema] = Object.values(apiTemplate(stage).findResources('AWS::AppSync::GraphQLSchema'));
    deployed[stage] = schema?.Properties.Definition as string;
  }
});

/** Each described node of a document, named by its path of names, with its description. */
function descriptions(document: DocumentNode): Map<string, string> {
  const found = new Map<string, string>();
  const names: string[] = [];
  visit(document, {
    enter(node) {
      if ('name' in node && node.name !== undefined && node.kind !== Kind.NAMED_TYPE && node.kind !== Kind.DIRECTIVE) {
        names.push(node.name.value);
        if ('description' in node && node.description) found.set(names.join('.'), node.description.value);
      }
    },
    leave(node) {
      if ('name' in node && node.name !== undefined && node.kind !== Kind.NAMED_TYPE && node.kind !== Kind.DIRECTIVE) names.pop();
    },
  });
  return found;
}

/** The `#` comment lines written directly before a node, as AppSync reads them. */
function commentBefore(node: ASTNode): string | undefined {
  const lines: string[] = [];
  let token: Token | null | undefined = node.loc?.startToken.prev;
  while (token?.kind === TokenKind.COMMENT) {
    lines.unshift((token.value ?? '').replace(/^ /, ''));
    token = token.prev;
  }
  return lines.length === 0 ? undefined : lines.join('\n');
}

/** Each node that has a comment before it, named like `descriptions` names them, with the comment. */
function comments(document: DocumentNode): Map<string, { comment: string; kind: string }> {
  const found = new Map<string, { comment: string; kind: string }>();
  const names: string[] = [];
  visit(document, {
    enter(node) {
      if ('name' in node && node.name !== undefined && node.kind !== Kind.NAMED_TYPE && node.kind !== Kind.DIRECTIVE) {
        names.push(node.name.value);
        const comment = commentBefore(node);
        if (comment !== undefined) found.set(names.join('.'), { comment, kind: node.kind });
      }
    },
    leave(node) {
      if ('name' in node && node.name !== undefined && node.kind !== Kind.NAMED_TYPE && node.kind !== Kind.DIRECTIVE) names.pop();
    },
  });
  return found;
}

describe.each(['dev', 'prod'] as const)('the schema deployed in %s', (stage) => {
  it('has no string descriptions', () => {
    expect(deployed[stage]).toBeTruthy();
    expect([...descriptions(parse(deployed[stage])).keys()]).toEqual([]);
    expect(deployed[stage]).not.toContain('"""');
  });

  it('is the source schema minus its descriptions, as graphql-js reads both', () => {
    expect(print(parse(deployed[stage]))).toBe(print(withoutDescriptions(parse(source))));
  });

  it('carries every description of the source as the comment lines just before its definition', () => {
    const expected = descriptions(parse(source));
    const found = comments(parse(deployed[stage]));
    expect(expected.size).toBeGreaterThan(50);
    for (const [name, description] of expected) expect(found.get(name)?.comment, name).toBe(description);
    expect([...found.keys()].filter((name) => !expected.has(name))).toEqual([]);
  });
});

describe('the AppSync dialect', () => {
  const sdl = `
"""A colour"""
enum Colour {
  "the default, never null" RED
  "true blue" BLUE @deprecated(reason: "use RED")
}
"One shape" type Shape { "Its colour" colour(
  "Lighter, or false" light: Boolean = false): Colour }
`;

  it('writes no comment before an enum value, and keeps their descriptions on the enum type', () => {
    const document = parse(toAppSyncSchema(sdl));
    const found = comments(document);
    expect([...found.values()].filter(({ kind }) => kind === Kind.ENUM_VALUE_DEFINITION)).toEqual([]);
    expect(found.get('Colour')?.comment).toBe('A colour\nRED: the default, never null\nBLUE: true blue');
    expect(found.get('Shape.colour.light')?.comment).toBe('Lighter, or false');
    expect(print(document)).toBe(print(withoutDescriptions(parse(sdl))));
  });
});

describe('the local stack', () => {
  it('serves the source schema, descriptions and all', () => {
    const config = localSimulatorConfig([], 'da2-schema');
    expect(config.schema.content).toBe(source);
  });
});
