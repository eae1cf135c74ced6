import { buildSchema, getIntrospectionQuery, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { INTROSPECTION, REQUEST_LIMITS } from '../../infra/definitions.js';
import { checkQuery, documentErrors, validationSchema } from '../../infra/local/request-limits.js';

/** A schema deep enough to exceed the depth limit, which the API's own schema cannot. */
const deep = buildSchema('type Query { node: Node, a: Int, b: Int } type Node { child: Node, value: Int }');
const policy = (introspection = true, schema = deep) => ({ schema, limits: REQUEST_LIMITS, introspection });
const messages = (query: string, given = policy()) => documentErrors(parse(query), undefined, given).map((error) => error.message);
const nested = (levels: number) => `{ node ${'{ child '.repeat(levels - 2)}{ value }${' }'.repeat(levels - 2)} }`;

describe('request limits of the local API (the same definition as the CDK stack)', () => {
  it('allows a query as deep as the limit and refuses one level more', () => {
    expect(messages(nested(REQUEST_LIMITS.queryDepth))).toEqual([]);
    expect(messages(nested(REQUEST_LIMITS.queryDepth + 1))).toEqual([
      `The query is ${REQUEST_LIMITS.queryDepth + 1} levels deep; the limit is ${REQUEST_LIMITS.queryDepth}.`,
    ]);
  });

  it('measures depth through fragments', () => {
    expect(
      messages(
        `{ ...f } fragment f on Query ${nested(REQUEST_LIMITS.queryDepth + 1)
          .slice(1, -1)
          .replace(/^ /, '{ ')} }`,
      ),
    ).toHaveLength(1);
  });

  it('counts aliased root fields, through fragments, against the resolver limit', () => {
    const fields = (count: number) => Array.from({ length: count }, (_, i) => `a${i}: a`).join(' ');
    expect(messages(`{ ${fields(REQUEST_LIMITS.resolverCount)} __typename }`)).toEqual([]);
    expect(messages(`{ ${fields(REQUEST_LIMITS.resolverCount + 1)} }`)).toEqual([
      `The request runs ${REQUEST_LIMITS.resolverCount + 1} resolvers; the limit is ${REQUEST_LIMITS.resolverCount} (aliases count).`,
    ]);
    // A response key runs once, however often fragments repeat it.
    expect(messages(`{ ...f ...f ... on Query { ...f b } } fragment f on Query { ${fields(REQUEST_LIMITS.resolverCount - 1)} }`)).toEqual(
      [],
    );
    expect(
      messages(`{ ...f ... on Query { c: a d: b } } fragment f on Query { ${fields(REQUEST_LIMITS.resolverCount - 1)} }`),
    ).toHaveLength(1);
  });

  it('measures fragments that double each other without expanding them (2^40 spreads)', () => {
    const chain = Array.from({ length: 40 }, (_, i) => `fragment f${i + 1} on Query { ...f${i} ...f${i} }`).join(' ');
    expect(messages(`{ ...f40 } fragment f0 on Query { a } ${chain}`)).toEqual([]);
  });

  it('stops validating after the error bound', () => {
    const unused = Array.from({ length: 5000 }, (_, i) => `$v${i}: Int`).join(', ');
    const errors = messages(`query (${unused}) { a }`);
    expect(errors).toHaveLength(REQUEST_LIMITS.validationErrors + 1);
    expect(errors.at(-1)).toBe('Too many validation errors, error limit reached. Validation aborted.');
  });

  it('refuses introspection when the stage turns it off, and allows it in dev', () => {
    const schema = validationSchema();
    expect(messages('{ __schema { queryType { name } } }', policy(INTROSPECTION.prod, schema))[0]).toMatch(/introspection/i);
    expect(messages('{ __schema { queryType { name } } }', policy(INTROSPECTION.dev, schema))).toEqual([]);
    expect(messages('{ learningPaths { items { id } } }', policy(INTROSPECTION.prod, schema))).toEqual([]);
  });

  it('refuses a document of more fields than the bound before validating it', () => {
    const many = Array.from({ length: REQUEST_LIMITS.documentFields + 1 }, (_, i) => `x${i}: nope`).join(' ');
    expect(messages(`{ ${many} }`)).toEqual([
      `The document selects more than ${REQUEST_LIMITS.documentFields} fields, the limit of this API.`,
    ]);
  });

  it('refuses a document of more tokens than the bound before parsing it, and lets the explorer introspect', () => {
    const unused = Array.from({ length: 40_000 }, (_, i) => `$v${i}: Int`).join(' ');
    const checked = checkQuery(`query (${unused}) { a }`, undefined, policy());
    expect(checked).toEqual({
      syntaxError: false,
      errors: [
        expect.objectContaining({ message: `The document has more than ${REQUEST_LIMITS.documentTokens} tokens, the limit of this API.` }),
      ],
    });
    expect(checkQuery(getIntrospectionQuery(), undefined, policy(true, validationSchema())).errors).toEqual([]);
    expect(checkQuery('{ a', undefined, policy())).toEqual({ syntaxError: true, errors: [] });
  });
});
