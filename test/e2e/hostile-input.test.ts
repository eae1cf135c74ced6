import { randomUUID } from 'node:crypto';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { localDocumentClient, localS3Client } from '../../infra/local/clients.js';
import { localIdToken } from '../../infra/local/tokens.js';
import { PDF_HEADER, PNG_1PX } from '../support/media-samples.js';

/**
 * Hostile requests through the GraphQL endpoint over HTTP. Other test files write to the same stack
 * at the same time, so the snapshot is scoped to what these requests could change: the paths this
 * file made (items and objects), the media prefix of a path that does not exist, and every path whose
 * name or description carries this run's marker (each refused create carries it).
 */
const stack = inject('localStack');
const MARK = `H${randomUUID().slice(0, 8)}`;
const table = localDocumentClient(stack.dynamoDbEndpoint);
const bucket = localS3Client(stack.s3Endpoint);

interface Outcome {
  status: number;
  /** errorTypes our resolvers raised (the simulator's companion null-field error has none). */
  errorTypes: string[];
  /** Errors without errorType: GraphQL-layer validation (or the simulator's null-field companion). */
  untyped: number;
  body: string;
}

/** The owner of the paths this file makes; other callers try to change them. */
const owner = { authorization: localIdToken({ user: `hostile-owner-${MARK}` }) };
const intruder = { authorization: localIdToken({ user: `hostile-intruder-${MARK}` }) };
const apiKey = { 'x-api-key': stack.apiKey };
const jwt = (claims: Record<string, unknown>) =>
  ['{"alg":"none"}', JSON.stringify(claims)]
    .map((part) => Buffer.from(part).toString('base64url'))
    .join('.')
    .concat('.');

async function post(body: string, headers: Record<string, string> = owner): Promise<Outcome> {
  const response = await fetch(stack.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await response.text();
  let errors: { errorType?: string }[] = [];
  try {
    errors = (JSON.parse(text) as { errors?: { errorType?: string }[] }).errors ?? [];
  } catch {
    // not JSON: an HTTP-level refusal
  }
  return {
    status: response.status,
    errorTypes: errors.flatMap((error) => (error.errorType ? [error.errorType] : [])),
    untyped: errors.filter((error) => !error.errorType).length,
    body: text,
  };
}

const gql = (query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = owner) =>
  post(JSON.stringify({ query, variables }), headers);

const CREATE = 'mutation ($input: CreateLearningPathInput!) { createLearningPath(input: $input) { id } }';
const UPDATE = 'mutation ($input: UpdateLearningPathInput!) { updateLearningPath(input: $input) { id } }';
const DELETE = 'mutation ($id: ID!, $v: Int) { deleteLearningPath(id: $id, expectedVersion: $v) { id } }';
const ADD_MEDIA = 'mutation ($input: AddLearningPathMediaInput!) { addLearningPathMedia(input: $input) { id } }';
const LIST = 'query ($limit: Int, $nextToken: String) { learningPaths(limit: $limit, nextToken: $nextToken) { nextToken } }';
const MINE = 'query ($limit: Int, $nextToken: String) { myLearningPaths(limit: $limit, nextToken: $nextToken) { nextToken } }';
const UPLOAD = 'mutation ($input: CreateMediaUploadInput!) { createMediaUpload(input: $input) { uploadKey } }';

let withMedia = '';
let plain = '';
const missing = randomUUID();

const create = (fields: Record<string, unknown>) => gql(CREATE, { input: { name: `${MARK} ok`, ...fields } });
const update = (fields: Record<string, unknown>) => gql(UPDATE, { input: { id: plain, ...fields } });
const attach = (content: string | null, fields: Record<string, unknown> = {}) =>
  gql(ADD_MEDIA, { input: { id: withMedia, content, ...fields } });
const b64 = (bytes: Buffer | string) => Buffer.from(bytes).toString('base64');

type Expected = { errorType: string } | { graphqlLayer: true } | { status: number; errorType?: string } | { syntaxError: true };

const validation = { errorType: 'ValidationError' } as const;
const unauthorized = { errorType: 'Unauthorized' } as const;
const graphqlLayer = { graphqlLayer: true } as const;

const cases: { name: string; send: () => Promise<Outcome>; expected: Expected }[] = [
  // Strings: size and control characters.
  { name: 'name of 201 characters', send: () => create({ name: `${MARK}${'x'.repeat(201)}` }), expected: validation },
  { name: 'name of 100 000 characters', send: () => create({ name: `${MARK}${'x'.repeat(100_000)}` }), expected: validation },
  { name: 'empty name', send: () => create({ name: '', description: MARK }), expected: validation },
  { name: 'name of only whitespace', send: () => create({ name: ' \t ', description: MARK }), expected: validation },
  { name: 'name with NUL', send: () => create({ name: `${MARK}\u0000` }), expected: validation },
  { name: 'name with ESC sequence', send: () => create({ name: `${MARK}\u001b[2J` }), expected: validation },
  { name: 'name with C1 control', send: () => create({ name: `${MARK}\u0085` }), expected: validation },
  { name: 'name with line feed', send: () => create({ name: `${MARK}\nsecond line` }), expected: validation },
  { name: 'description of 2001 characters', send: () => create({ description: `${MARK}${'d'.repeat(2001)}` }), expected: validation },
  { name: 'description with BEL', send: () => create({ description: `${MARK}\u0007` }), expected: validation },
  { name: 'update to a name with NUL', send: () => update({ name: 'x\u0000' }), expected: validation },
  // Idempotency tokens.
  { name: 'empty clientToken', send: () => create({ clientToken: '' }), expected: validation },
  { name: 'clientToken of 65 characters', send: () => create({ clientToken: 't'.repeat(65) }), expected: validation },
  { name: 'clientToken with a space', send: () => create({ clientToken: 'a b' }), expected: validation },
  { name: 'clientToken with non-ASCII', send: () => create({ clientToken: 'tökén' }), expected: validation },
  { name: 'clientToken with a line feed', send: () => create({ clientToken: 'a\nb' }), expected: validation },
  { name: 'clientToken with a zero-width space', send: () => create({ clientToken: 'a\u200bb' }), expected: validation },
  // Ids and versions.
  { name: 'id that is not a UUID', send: () => update({ id: 'not-a-uuid', name: 'x' }), expected: validation },
  { name: 'empty id', send: () => update({ id: '', name: 'x' }), expected: validation },
  { name: 'id with injection text', send: () => update({ id: "' OR 1=1 --", name: 'x' }), expected: validation },
  { name: 'id with path traversal', send: () => gql(DELETE, { id: '../../media/x' }), expected: validation },
  { name: 'UUID id with a trailing line feed', send: () => gql(DELETE, { id: `${missing}\n` }), expected: validation },
  { name: 'update with no field to change', send: () => update({}), expected: validation },
  { name: 'update that nulls the name', send: () => update({ name: null }), expected: validation },
  { name: 'expectedVersion 0', send: () => update({ name: 'x', expectedVersion: 0 }), expected: validation },
  { name: 'negative expectedVersion', send: () => gql(DELETE, { id: plain, v: -1 }), expected: validation },
  { name: 'expectedVersion beyond Int', send: () => update({ name: 'x', expectedVersion: 2 ** 31 }), expected: graphqlLayer },
  { name: 'expectedVersion as a string', send: () => update({ name: 'x', expectedVersion: '1' }), expected: graphqlLayer },
  { name: 'fractional expectedVersion', send: () => gql(DELETE, { id: plain, v: 1.5 }), expected: graphqlLayer },
  // Base64 and media kinds.
  { name: 'content that is not base64', send: () => attach('!!!!'), expected: validation },
  { name: 'base64 with line breaks', send: () => attach(`${b64(PNG_1PX).slice(0, 8)}\n${b64(PNG_1PX).slice(8)}`), expected: validation },
  {
    name: 'base64url alphabet',
    send: () => attach(b64(PNG_1PX).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')),
    expected: validation,
  },
  { name: 'base64 with broken padding', send: () => attach(`${b64(PNG_1PX)}=`), expected: validation },
  { name: 'empty content', send: () => attach(''), expected: validation },
  { name: 'missing content', send: () => attach(null), expected: validation },
  { name: 'content over 512 KiB', send: () => attach(b64(Buffer.alloc(512 * 1024 + 1, 1))), expected: validation },
  { name: 'plain text', send: () => attach(b64(`${MARK} hello`)), expected: validation },
  {
    name: 'HTML claiming to be PNG',
    send: () => attach(b64('<html><script>alert(1)</script></html>'), { contentType: 'image/png' }),
    expected: validation,
  },
  {
    name: 'SVG (script-capable image)',
    send: () => attach(b64('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')),
    expected: validation,
  },
  { name: 'Windows executable', send: () => attach(b64(Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)]))), expected: validation },
  { name: 'ZIP archive', send: () => attach(b64(Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(100)]))), expected: validation },
  { name: 'PNG claiming to be JPEG', send: () => attach(b64(PNG_1PX), { contentType: 'image/jpeg' }), expected: validation },
  {
    name: 'PDF with a disguised claim',
    send: () => attach(b64(PDF_HEADER), { contentType: 'application/pdf; x=image/png' }),
    expected: validation,
  },
  {
    name: 'claimed type of 300 characters',
    send: () => attach(b64(PNG_1PX), { contentType: `image/${'p'.repeat(294)}` }),
    expected: validation,
  },
  {
    name: 'media for a path that does not exist',
    send: () => gql(ADD_MEDIA, { input: { id: missing, content: b64(PNG_1PX) } }),
    expected: { errorType: 'NotFound' },
  },
  // Paging.
  { name: 'page size 0', send: () => gql(LIST, { limit: 0 }), expected: validation },
  { name: 'page size 101', send: () => gql(LIST, { limit: 101 }), expected: validation },
  { name: 'garbage nextToken', send: () => gql(LIST, { nextToken: '%%%' }), expected: validation },
  {
    name: 'forged nextToken',
    send: () => gql(LIST, { nextToken: Buffer.from('{"after":"x"}').toString('base64url') }),
    expected: validation,
  },
  { name: 'nextToken of 600 characters', send: () => gql(LIST, { nextToken: 'A'.repeat(600) }), expected: validation },
  // The GraphQL layer: refused before any resolver runs.
  { name: 'unknown input field', send: () => create({ owner: 'me' }), expected: graphqlLayer },
  { name: 'unknown argument', send: () => gql(`query { learningPath(id: "${plain}", as: "admin") { id } }`), expected: graphqlLayer },
  { name: 'unknown selected field', send: () => gql(`query { learningPath(id: "${plain}") { id password } }`), expected: graphqlLayer },
  { name: 'page size of the wrong type', send: () => gql(LIST, { limit: 'ten' }), expected: graphqlLayer },
  { name: 'input that is a string', send: () => gql(CREATE, { input: MARK }), expected: graphqlLayer },
  { name: 'missing required variable', send: () => gql(CREATE), expected: graphqlLayer },
  { name: 'query with a syntax error', send: () => gql('query { learningPaths { nextToken } '), expected: { syntaxError: true } },
  // Authorization: who may change what.
  { name: 'create with the API key', send: () => gql(CREATE, { input: { name: `${MARK} key` } }, apiKey), expected: unauthorized },
  { name: 'update with the API key', send: () => gql(UPDATE, { input: { id: plain, name: 'x' } }, apiKey), expected: unauthorized },
  { name: 'delete with the API key', send: () => gql(DELETE, { id: plain }, apiKey), expected: unauthorized },
  { name: 'myLearningPaths with the API key', send: () => gql(MINE, {}, apiKey), expected: unauthorized },
  { name: "update of another user's path", send: () => gql(UPDATE, { input: { id: plain, name: 'x' } }, intruder), expected: unauthorized },
  {
    name: "update of another user's path at its current version",
    send: () => gql(UPDATE, { input: { id: plain, name: 'x', expectedVersion: 1 } }, intruder),
    expected: unauthorized,
  },
  { name: "delete of another user's path", send: () => gql(DELETE, { id: plain }, intruder), expected: unauthorized },
  {
    name: "media for another user's path",
    send: () => gql(ADD_MEDIA, { input: { id: withMedia, content: b64(PNG_1PX) } }, intruder),
    expected: unauthorized,
  },
  {
    name: "upload for another user's path",
    send: () => gql(UPLOAD, { input: { learningPathId: plain, contentType: 'image/png', contentLength: 10 } }, intruder),
    expected: unauthorized,
  },
  {
    name: "update by a user whose name only resembles the owner's",
    send: () => gql(UPDATE, { input: { id: plain, name: 'x' } }, { authorization: localIdToken({ user: `hostile-owner-${MARK}x` }) }),
    expected: unauthorized,
  },
  {
    name: 'forged myLearningPaths nextToken',
    send: () => gql(MINE, { nextToken: Buffer.from('{"after":"x","createdAt":"y"}').toString('base64url') }),
    expected: validation,
  },
  {
    name: 'token from an issuer that is not Cognito',
    send: () => gql(LIST, {}, { authorization: jwt({ iss: 'https://evil.example', sub: 'x' }) }),
    expected: { status: 401, errorType: 'UnauthorizedException' },
  },
  {
    name: 'authorization header that is not a token',
    send: () => gql(LIST, {}, { authorization: 'Bearer nonsense' }),
    expected: { status: 401, errorType: 'UnauthorizedException' },
  },
  // HTTP: body and authentication.
  { name: 'malformed JSON body', send: () => post('{"query": "query { learningPaths { nextToken } }"'), expected: { status: 400 } },
  { name: 'body that is not JSON', send: () => post('<xml/>'), expected: { status: 400 } },
  {
    name: 'body of 6 MB',
    send: () => create({ name: `${MARK}${'n'.repeat(6 * 1024 * 1024)}` }),
    expected: validation,
  },
  {
    name: 'no credentials',
    send: () => post(JSON.stringify({ query: LIST }), {}),
    expected: { status: 401, errorType: 'UnauthorizedException' },
  },
  {
    name: 'wrong API key',
    send: () => post(JSON.stringify({ query: LIST }), { 'x-api-key': 'da2-guess' }),
    expected: { status: 401, errorType: 'UnauthorizedException' },
  },
];

async function snapshot() {
  const items = [];
  for (const id of [withMedia, plain, missing]) {
    items.push((await table.send(new GetCommand({ TableName: stack.tableName, Key: { id }, ConsistentRead: true }))).Item ?? null);
  }
  const objects = [];
  for (const id of [withMedia, plain, missing]) {
    const listed = await bucket.send(new ListObjectsV2Command({ Bucket: stack.bucketName, Prefix: `media/${id}/` }));
    objects.push(...(listed.Contents ?? []).map(({ Key, ETag, Size }) => ({ Key, ETag, Size })));
  }
  const marked = await table.send(
    new ScanCommand({
      TableName: stack.tableName,
      FilterExpression: 'contains(#name, :mark) OR contains(description, :mark)',
      ExpressionAttributeNames: { '#name': 'name' },
      ExpressionAttributeValues: { ':mark': MARK },
      ConsistentRead: true,
    }),
  );
  return { items, objects, marked: marked.Items ?? [] };
}

let before: Awaited<ReturnType<typeof snapshot>>;

beforeAll(async () => {
  const made = await gql(
    'mutation { a: createLearningPath(input: { name: "Target" }) { id } b: createLearningPath(input: { name: "Plain" }) { id } }',
  );
  const data = JSON.parse(made.body).data as { a: { id: string }; b: { id: string } };
  withMedia = data.a.id;
  plain = data.b.id;
  expect((await gql(ADD_MEDIA, { input: { id: withMedia, content: b64(PNG_1PX) } })).errorTypes).toEqual([]);
  before = await snapshot();
});

describe.sequential('hostile input through the GraphQL endpoint', () => {
  it('has at least 40 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases)('refuses $name as documented and keeps serving', async ({ send, expected }) => {
    const outcome = await send();
    if ('graphqlLayer' in expected) {
      expect({ status: outcome.status, errorTypes: outcome.errorTypes }).toEqual({ status: 200, errorTypes: [] });
      expect(outcome.untyped).toBeGreaterThan(0);
    } else if ('syntaxError' in expected) {
      expect(outcome.status).toBe(200);
      expect(JSON.parse(outcome.body)).toMatchObject({ errorMessage: expect.stringContaining('Syntax Error') });
    } else if ('status' in expected) {
      expect(outcome.status).toBe(expected.status);
      if (expected.errorType) expect(outcome.errorTypes).toEqual([expected.errorType]);
    } else {
      expect({ status: outcome.status, errorTypes: outcome.errorTypes }).toEqual({ status: 200, errorTypes: [expected.errorType] });
    }
    const alive = await gql(LIST, { limit: 1 });
    expect({ status: alive.status, errors: alive.errorTypes.length + alive.untyped }).toEqual({ status: 200, errors: 0 });
  });

  it('left every path and object it could reach exactly as it found them', async () => {
    const after = await snapshot();
    expect(after).toEqual(before);
    expect(after.marked).toEqual([]);
    expect(after.objects).toHaveLength(1);
  });
});

const ORDERED =
  'query ($order: LearningPathOrder, $limit: Int, $nextToken: String) { learningPaths(order: $order, limit: $limit, nextToken: $nextToken) { nextToken } }';
const SEARCH =
  'query ($p: String!, $limit: Int, $nextToken: String) { searchLearningPaths(namePrefix: $p, limit: $limit, nextToken: $nextToken) { nextToken } }';
const token = (fields: unknown) => Buffer.from(JSON.stringify(fields)).toString('base64url');
const SOME_ID = '00000000-0000-4000-8000-000000000001';

/** A genuine token of the first page of a listing. */
async function issued(query: string, variables: Record<string, unknown>): Promise<string> {
  const page = JSON.parse((await gql(query, { ...variables, limit: 1 })).body) as { data: Record<string, { nextToken: string }> };
  const nextToken = Object.values(page.data)[0]?.nextToken;
  expect(nextToken).toEqual(expect.any(String));
  return nextToken as string;
}

const catalogueCases: { name: string; send: () => Promise<Outcome>; expected: { errorType: string } | { graphqlLayer: true } }[] = [
  { name: 'order that is not in the enum', send: () => gql(ORDERED, { order: 'RANDOM' }), expected: graphqlLayer },
  { name: 'order in lower case', send: () => gql(ORDERED, { order: 'name_asc' }), expected: graphqlLayer },
  { name: 'order given as a number', send: () => gql(ORDERED, { order: 1 }), expected: graphqlLayer },
  {
    name: 'order inlined as a string',
    send: () => gql('query { learningPaths(order: "NAME_ASC") { nextToken } }'),
    expected: graphqlLayer,
  },
  { name: 'listing page size 0', send: () => gql(ORDERED, { order: 'NAME_ASC', limit: 0 }), expected: validation },
  { name: 'listing page size 101', send: () => gql(ORDERED, { order: 'OLDEST_FIRST', limit: 101 }), expected: validation },
  { name: 'listing page size -1', send: () => gql(SEARCH, { p: 'a', limit: -1 }), expected: validation },
  { name: 'search page size beyond Int', send: () => gql(SEARCH, { p: 'a', limit: 2 ** 31 }), expected: graphqlLayer },
  {
    name: 'token of NAME_ASC used with NAME_DESC',
    send: async () => gql(ORDERED, { order: 'NAME_DESC', nextToken: await issued(ORDERED, { order: 'NAME_ASC' }) }),
    expected: validation,
  },
  {
    name: 'token of NEWEST_FIRST used with OLDEST_FIRST',
    send: async () => gql(ORDERED, { order: 'OLDEST_FIRST', nextToken: await issued(ORDERED, {}) }),
    expected: validation,
  },
  {
    name: 'token of a listing used with a search',
    send: async () => gql(SEARCH, { p: 'a', nextToken: await issued(ORDERED, { order: 'NAME_ASC' }) }),
    expected: validation,
  },
  {
    name: 'token of myLearningPaths used with learningPaths',
    send: async () => gql(ORDERED, { nextToken: await issued(MINE, {}) }),
    expected: validation,
  },
  {
    name: 'forged token with a script as position',
    send: () => gql(ORDERED, { nextToken: token({ o: 'NEWEST_FIRST', k: '<script>' }) }),
    expected: validation,
  },
  {
    name: 'forged token naming an order it is not used with',
    send: () => gql(ORDERED, { order: 'NAME_ASC', nextToken: token({ o: 'NEWEST_FIRST', k: `2026-01-01T00:00:00.000Z#${SOME_ID}` }) }),
    expected: validation,
  },
  {
    name: 'forged search token outside its prefix',
    send: () => gql(SEARCH, { p: 'zz', nextToken: token({ s: 'x', k: `aa\u0001${SOME_ID}` }) }),
    expected: validation,
  },
  { name: 'search token of 3000 characters', send: () => gql(SEARCH, { p: 'a', nextToken: 'A'.repeat(3000) }), expected: validation },
  { name: 'empty search prefix', send: () => gql(SEARCH, { p: '' }), expected: validation },
  { name: 'search prefix of only white space', send: () => gql(SEARCH, { p: ' \u00a0 ' }), expected: validation },
  { name: 'search prefix of 201 characters', send: () => gql(SEARCH, { p: 'p'.repeat(201) }), expected: validation },
  { name: 'search prefix with NUL', send: () => gql(SEARCH, { p: 'a\u0000' }), expected: validation },
  { name: 'search prefix with the key separator', send: () => gql(SEARCH, { p: 'a\u0001' }), expected: validation },
  { name: 'search prefix of combining marks only', send: () => gql(SEARCH, { p: '\u0301\u0301' }), expected: validation },
  { name: 'missing search prefix', send: () => gql(SEARCH, {}), expected: graphqlLayer },
  { name: 'search prefix as a list', send: () => gql(SEARCH, { p: ['a'] }), expected: graphqlLayer },
];

describe.sequential('hostile catalogue arguments through the GraphQL endpoint', () => {
  it.each(catalogueCases)('refuses $name as documented and keeps serving', async ({ send, expected }) => {
    const outcome = await send();
    if ('graphqlLayer' in expected) {
      expect({ status: outcome.status, errorTypes: outcome.errorTypes }).toEqual({ status: 200, errorTypes: [] });
      expect(outcome.untyped).toBeGreaterThan(0);
    } else {
      expect({ status: outcome.status, errorTypes: outcome.errorTypes }).toEqual({ status: 200, errorTypes: [expected.errorType] });
    }
    const alive = await gql(SEARCH, { p: 'a', limit: 1 });
    expect({ status: alive.status, errors: alive.errorTypes.length + alive.untyped }).toEqual({ status: 200, errors: 0 });
  });
});
