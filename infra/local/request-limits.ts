import { readFileSync } from 'node:fs';
import {
  BREAK,
  buildSchema,
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLSchema,
  Kind,
  Lexer,
  NoSchemaIntrospectionCustomRule,
  type OperationDefinitionNode,
  parse,
  type SelectionSetNode,
  Source,
  specifiedRules,
  TokenKind,
  validate,
  visit,
} from 'graphql';
import { type REQUEST_LIMITS, SCHEMA_PATH } from '../definitions.js';

export type RequestLimits = typeof REQUEST_LIMITS;

/** What the local API checks in a document before any resolver runs. */
export interface DocumentPolicy {
  readonly schema: GraphQLSchema;
  readonly limits: RequestLimits;
  readonly introspection: boolean;
}

/**
 * The API's schema with AppSync's scalars and directives, for validating requests. Built here rather
 * than taken from the simulator: under some loaders (vitest's) the simulator's graphql-js is another
 * copy of the module, whose schema this copy's `validate` refuses.
 */
export function validationSchema(): GraphQLSchema {
  const builtins = SCHEMA_PATH.replace('schema.graphql', 'appsync-builtins.graphql');
  return buildSchema(`${readFileSync(SCHEMA_PATH, 'utf8')}\n${readFileSync(builtins, 'utf8')}`);
}

const INTROSPECTION_FIELDS = new Set(['__schema', '__type']);

/** A query checked against the limits: its document when it parses, and the errors that refuse it. */
export interface CheckedQuery {
  document?: DocumentNode;
  /** The query does not lex or parse; the simulator answers syntax errors itself. */
  syntaxError: boolean;
  errors: GraphQLError[];
}

/**
 * Checks a query's text: no more than `documentTokens` tokens (counted by graphql-js's own lexer,
 * which stops there, so a huge document costs no more than a large one), then parsed and held to
 * documentErrors. Parsing and validation cost time in proportion to the tokens, so this bounds them.
 */
export function checkQuery(query: string, operationName: string | null | undefined, policy: DocumentPolicy): CheckedQuery {
  const max = policy.limits.documentTokens;
  try {
    const lexer = new Lexer(new Source(query));
    let tokens = 0;
    while (lexer.advance().kind !== TokenKind.EOF) {
      tokens += 1;
      if (tokens > max) {
        return { syntaxError: false, errors: [new GraphQLError(`The document has more than ${max} tokens, the limit of this API.`)] };
      }
    }
    const document = parse(query);
    return { document, syntaxError: false, errors: documentErrors(document, operationName, policy) };
  } catch {
    return { syntaxError: true, errors: [] };
  }
}

/**
 * The errors that refuse a parsed document, in the order AppSync meets them: its size, then GraphQL
 * validation (stopping after `validationErrors`, introspection refused when the stage turns it off),
 * then the resolver count and depth of the operation to run. Empty when the document may run. Cost is
 * linear in the document: the field count is checked before validation and before any fragment is expanded.
 */
export function documentErrors(document: DocumentNode, operationName: string | null | undefined, policy: DocumentPolicy): GraphQLError[] {
  const { limits } = policy;
  const fields = countFields(document, limits.documentFields);
  if (fields > limits.documentFields) {
    return [new GraphQLError(`The document selects more than ${limits.documentFields} fields, the limit of this API.`)];
  }
  const rules = policy.introspection ? specifiedRules : [...specifiedRules, NoSchemaIntrospectionCustomRule];
  const invalid = validate(policy.schema, document, rules, undefined, { maxErrors: limits.validationErrors });
  if (invalid.length > 0) return [...invalid];
  const operation = chosenOperation(document, operationName);
  if (!operation) return [];
  const fragments = new Map(
    document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const resolvers = rootResponseKeys(operation.selectionSet, fragments, new Map()).size;
  if (resolvers > limits.resolverCount) {
    return [new GraphQLError(`The request runs ${resolvers} resolvers; the limit is ${limits.resolverCount} (aliases count).`)];
  }
  const depth = selectionDepth(operation.selectionSet, fragments, new Map());
  if (depth > limits.queryDepth) {
    return [new GraphQLError(`The query is ${depth} levels deep; the limit is ${limits.queryDepth}.`)];
  }
  return [];
}

/** Field nodes in the document as written (each fragment once), counting no further than just past `max`. */
function countFields(document: DocumentNode, max: number): number {
  let fields = 0;
  visit(document, {
    Field() {
      fields += 1;
      return fields > max ? BREAK : undefined;
    },
  });
  return fields;
}

function chosenOperation(document: DocumentNode, operationName: string | null | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  if (operationName) return operations.find((operation) => operation.name?.value === operationName);
  return operations.length === 1 ? operations[0] : undefined;
}

/**
 * Response keys (alias or name) of the root fields an operation runs, through fragments: graphql-js
 * runs a key once however often fragments repeat it, so this is the number of resolver runs.
 */
function rootResponseKeys(
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  fragmentKeys: Map<string, ReadonlySet<string>>,
): ReadonlySet<string> {
  const keys = new Set<string>();
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== '__typename') keys.add(selection.alias?.value ?? selection.name.value);
      continue;
    }
    const inner =
      selection.kind === Kind.INLINE_FRAGMENT
        ? rootResponseKeys(selection.selectionSet, fragments, fragmentKeys)
        : memoised(selection.name.value, fragments, fragmentKeys, new Set<string>(), rootResponseKeys);
    for (const key of inner) keys.add(key);
  }
  return keys;
}

/** A measure of a named fragment, computed once; validation has already refused unknown fragments and cycles. */
function memoised<T>(
  name: string,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  cache: Map<string, T>,
  none: T,
  measure: (selectionSet: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, cache: Map<string, T>) => T,
): T {
  const fragment = fragments.get(name);
  if (fragment && !cache.has(name)) {
    cache.set(name, none);
    cache.set(name, measure(fragment.selectionSet, fragments, cache));
  }
  return cache.get(name) ?? none;
}

/** Levels of nested fields; introspection fields count as one level (they have no resolvers and their own shape). */
function selectionDepth(
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  fragmentDepths: Map<string, number>,
): number {
  let deepest = 0;
  for (const selection of selectionSet.selections) {
    let depth = 0;
    if (selection.kind === Kind.FIELD) {
      depth =
        selection.selectionSet && !INTROSPECTION_FIELDS.has(selection.name.value)
          ? 1 + selectionDepth(selection.selectionSet, fragments, fragmentDepths)
          : 1;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      depth = selectionDepth(selection.selectionSet, fragments, fragmentDepths);
    } else {
      depth = memoised(selection.name.value, fragments, fragmentDepths, 0, selectionDepth);
    }
    deepest = Math.max(deepest, depth);
  }
  return deepest;
}
