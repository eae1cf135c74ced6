import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { gzipSync } from 'node:zlib';
import { CopyObjectCommand, DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { REPOSITORY_ROOT, REQUEST_LIMITS } from '../../infra/definitions.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION, localDocumentClient, localS3Client } from '../../infra/local/clients.js';
import { localIdToken } from '../../infra/local/tokens.js';
import { SigV4MediaSigner } from '../../resolvers/learning-paths/sigv4-media-signer.js';
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

/** Sends exactly these bytes and headers (Host and Content-Encoding included), as fetch will not. */
function raw(body: Buffer | string, headers: Record<string, string>, path = '/graphql', method = 'POST'): Promise<Outcome> {
  const url = new URL(stack.graphqlUrl);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      // A connection of its own: a kept-alive one may be closed by the server just as it is reused.
      {
        host: url.hostname,
        port: url.port,
        path,
        method,
        agent: false,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let errors: { errorType?: string }[] = [];
          try {
            errors = (JSON.parse(text) as { errors?: { errorType?: string }[] }).errors ?? [];
          } catch {
            // not JSON: checked by the caller
          }
          resolve({
            status: response.statusCode ?? 0,
            errorTypes: errors.flatMap((error) => (error.errorType ? [error.errorType] : [])),
            untyped: errors.filter((error) => !error.errorType).length,
            body: text,
          });
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

const listBody = JSON.stringify({ query: 'query { learningPaths(limit: 1) { nextToken } }' });
const aliases = (count: number, field: (index: number) => string) => Array.from({ length: count }, (_, index) => field(index)).join(' ');

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

type Expected =
  | { errorType: string }
  | { graphqlLayer: true; message?: string }
  | { status: number; errorType?: string; message?: string }
  | { syntaxError: true };

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
    expected: { status: 413, errorType: 'PayloadTooLarge' },
  },
  // Found by trying the API as an attacker would (issue 11): each failed before.
  {
    name: 'content of padding, 160 001 characters (once quadratic: 28 s)',
    send: () => attach(`${'='.repeat(160_000)}A`),
    expected: validation,
  },
  {
    name: 'content of 4 500 000 base64 characters (once a stack overflow)',
    send: () => attach('A'.repeat(4_500_000)),
    expected: { status: 413, errorType: 'PayloadTooLarge' },
  },
  {
    name: 'content just over 512 KiB within the request limit',
    send: () => attach('A'.repeat(699_056)),
    expected: validation,
  },
  { name: 'name with a lone surrogate', send: () => create({ name: `${MARK} Intro \ud800` }), expected: validation },
  { name: 'description with a lone surrogate', send: () => create({ description: `${MARK} \udc00` }), expected: validation },
  {
    name: 'name of only invisible characters',
    send: () => create({ name: '\u200b\u200d\u200c\u3164', description: MARK }),
    expected: validation,
  },
  { name: 'name with a bidi override', send: () => create({ name: `${MARK}abc\u202Egpj.exe` }), expected: validation },
  { name: 'name with a line separator', send: () => create({ name: `${MARK}\u2028second line` }), expected: validation },
  { name: 'update to a name with a paragraph separator', send: () => update({ name: 'a\u2029b' }), expected: validation },
  {
    name: "update of another user's path by its upper-case id",
    send: () => gql(UPDATE, { input: { id: plain.toUpperCase(), name: 'x' } }, intruder),
    expected: unauthorized,
  },
  {
    name: 'token without an issuer',
    send: () => gql(LIST, {}, { authorization: jwt({ sub: 'x' }) }),
    expected: { status: 401, errorType: 'UnauthorizedException', message: 'UnauthorizedException: Invalid JWT token' },
  },
  {
    name: 'token whose issuer is a number',
    send: () => gql(LIST, {}, { authorization: jwt({ iss: 42, sub: 'x' }) }),
    expected: { status: 401, errorType: 'UnauthorizedException', message: 'UnauthorizedException: Invalid JWT token' },
  },
  // Request limits, the same as AppSync's (REQUEST_LIMITS): refused before any resolver runs.
  {
    name: '2 000 aliased creates in one request',
    send: () => gql(`mutation { ${aliases(2000, (i) => `c${i}: createLearningPath(input: { name: "${MARK} ${i}" }) { id }`)} }`),
    expected: {
      graphqlLayer: true,
      message: `The document has more than ${REQUEST_LIMITS.documentTokens} tokens, the limit of this API.`,
    },
  },
  {
    name: '21 aliased creates, one over the limit',
    send: () => gql(`mutation { ${aliases(21, (i) => `c${i}: createLearningPath(input: { name: "${MARK} ${i}" }) { id }`)} }`),
    expected: {
      graphqlLayer: true,
      message: `The request runs 21 resolvers; the limit is ${REQUEST_LIMITS.resolverCount} (aliases count).`,
    },
  },
  {
    name: '1 500 aliased listings',
    send: () => gql(`query { ${aliases(1500, (i) => `l${i}: learningPaths(limit: 100) { nextToken }`)} }`, {}, apiKey),
    expected: { graphqlLayer: true },
  },
  {
    name: 'aliased creates hidden in fragments',
    send: () =>
      gql(
        `mutation { ...a ...b } ${['a', 'b']
          .map(
            (f) =>
              `fragment ${f} on Mutation { ${aliases(15, (i) => `${f}${i}: createLearningPath(input: { name: "${MARK} ${f}${i}" }) { id }`)} }`,
          )
          .join(' ')}`,
      ),
    expected: {
      graphqlLayer: true,
      message: `The request runs 30 resolvers; the limit is ${REQUEST_LIMITS.resolverCount} (aliases count).`,
    },
  },
  {
    name: '40 000 unused variable declarations',
    send: () => gql(`query (${aliases(40_000, (i) => `$v${i}: Int`)}) { learningPaths(limit: 1) { nextToken } }`),
    expected: { graphqlLayer: true },
  },
  {
    name: '20 000 aliased __schema',
    send: () => gql(`query { ${aliases(20_000, (i) => `s${i}: __schema { queryType { name } }`)} }`, {}, apiKey),
    expected: { graphqlLayer: true },
  },
  {
    name: 'document of 1 500 fields',
    send: () => gql(`query { learningPaths { items { ${aliases(1500, (i) => `n${i}: name`)} } } }`, {}, apiKey),
    expected: {
      graphqlLayer: true,
      message: `The document selects more than ${REQUEST_LIMITS.documentFields} fields, the limit of this API.`,
    },
  },
  // HTTP: only JSON answers, and only from the origins and host names of the local stage.
  {
    name: 'body in UTF-16',
    send: () => raw(Buffer.from(listBody, 'utf16le'), { 'content-type': 'application/json; charset=utf-16', 'x-api-key': stack.apiKey }),
    expected: { status: 415, errorType: 'UnsupportedMediaType' },
  },
  {
    name: 'body that claims gzip but is not',
    send: () => raw(listBody, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'x-api-key': stack.apiKey }),
    expected: { status: 400, errorType: 'MalformedHttpRequestException' },
  },
  {
    name: 'gzip bomb (64 MB of zeros in 64 KB)',
    send: () =>
      raw(gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20)), {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'x-api-key': stack.apiKey,
      }),
    expected: { status: 413, errorType: 'PayloadTooLarge' },
  },
  {
    name: 'body that is invalid UTF-8',
    send: () => raw(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { 'content-type': 'application/json', 'x-api-key': stack.apiKey }),
    expected: { status: 400, errorType: 'MalformedHttpRequestException' },
  },
  {
    name: 'JSON array body (batch)',
    send: () => raw(`[${listBody}]`, { 'content-type': 'application/json', 'x-api-key': stack.apiKey }),
    expected: { status: 400, errorType: 'MalformedHttpRequestException' },
  },
  {
    name: 'write from a page of a foreign origin',
    send: () => gql(CREATE, { input: { name: `${MARK} csrf` } }, { ...owner, origin: 'https://evil.example' }),
    expected: { status: 403, errorType: 'Forbidden' },
  },
  {
    name: 'text/plain write (a form a foreign page can send without preflight)',
    send: () =>
      raw(JSON.stringify({ query: CREATE, variables: { input: { name: `${MARK} form` } } }), { 'content-type': 'text/plain', ...owner }),
    expected: { status: 415, errorType: 'UnsupportedMediaType' },
  },
  {
    name: 'request addressed to a foreign host name (DNS rebinding)',
    send: () => raw(listBody, { 'content-type': 'application/json', 'x-api-key': stack.apiKey, host: 'evil.example' }),
    expected: { status: 403, errorType: 'Forbidden' },
  },
  {
    name: 'API key read by a page of a foreign origin',
    send: () => raw('', { origin: 'https://evil.example' }, '/api-config', 'GET'),
    expected: { status: 403, errorType: 'Forbidden' },
  },
  {
    name: 'POST to the GraphQL path spelt otherwise',
    send: () =>
      raw(
        `{"query":"mutation { ${aliases(21, (i) => `c${i}: createLearningPath(input: { name: \\"${MARK}\\" }) { id }`)} }"}`,
        {
          'content-type': 'application/json',
          ...owner,
        },
        '/GraphQL/',
      ),
    expected: { graphqlLayer: true },
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
    // Every answer is JSON, without a stack trace or a path of this machine.
    expect(() => JSON.parse(outcome.body)).not.toThrow();
    expect(outcome.body).not.toContain(REPOSITORY_ROOT);
    expect(outcome.body).not.toMatch(/\n\s+at /);
    if ('graphqlLayer' in expected) {
      expect({ status: outcome.status, errorTypes: outcome.errorTypes }).toEqual({ status: 200, errorTypes: [] });
      expect(outcome.untyped).toBeGreaterThan(0);
      if (expected.message) expect(JSON.parse(outcome.body).errors).toEqual([{ message: expected.message }]);
    } else if ('syntaxError' in expected) {
      expect(outcome.status).toBe(200);
      expect(JSON.parse(outcome.body)).toMatchObject({ errorMessage: expect.stringContaining('Syntax Error') });
    } else if ('status' in expected) {
      expect(outcome.status).toBe(expected.status);
      if (expected.errorType) expect(outcome.errorTypes).toEqual([expected.errorType]);
      if (expected.message) expect(JSON.parse(outcome.body).errors[0].message).toBe(expected.message);
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

/** A raw connection to the realtime endpoint with the API key, after `connection_ack`. */
async function realtimeConnection() {
  const host = new URL(stack.graphqlUrl).host;
  const auth = { host, 'x-api-key': stack.apiKey };
  const socket = new WebSocket(`${stack.realtimeUrl}?header=${b64(JSON.stringify(auth))}&payload=e30=`, 'graphql-ws');
  const messages: { type: string; id?: string; payload?: { errors?: { errorType?: string; message?: string }[]; data?: unknown } }[] = [];
  socket.on('message', (data) => messages.push(JSON.parse(String(data))));
  const closed = new Promise<number>((resolve) => socket.on('close', resolve));
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const next = async (match: (message: (typeof messages)[number]) => boolean) => {
    for (let waited = 0; waited < 10_000; waited += 20) {
      const found = messages.find(match);
      if (found) {
        messages.splice(messages.indexOf(found), 1);
        return found;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no matching message among ${JSON.stringify(messages)}`);
  };
  socket.send(JSON.stringify({ type: 'connection_init' }));
  await next((message) => message.type === 'connection_ack');
  const start = (id: string, data: unknown, authorization: unknown = auth) =>
    socket.send(
      JSON.stringify({
        id,
        type: 'start',
        payload: { data: typeof data === 'string' ? data : JSON.stringify(data), extensions: { authorization } },
      }),
    );
  return { socket, next, start, closed, auth };
}

describe.sequential('hostile frames on the realtime endpoint', () => {
  const onCreate = 'subscription { onCreateLearningPath { id name } }';
  const frames: {
    name: string;
    send: (connection: Awaited<ReturnType<typeof realtimeConnection>>, id: string) => void;
    errorType?: string;
  }[] = [
    { name: 'text that is not JSON', send: ({ socket }) => socket.send('not json {'), errorType: 'MalformedMessage' },
    { name: 'a JSON array', send: ({ socket }) => socket.send('[1,2]'), errorType: 'MalformedMessage' },
    { name: 'JSON null', send: ({ socket }) => socket.send('null'), errorType: 'MalformedMessage' },
    {
      name: 'a start whose document is a query',
      send: ({ start }, id) => start(id, { query: LIST, variables: {} }),
      errorType: 'UnsupportedOperation',
    },
    {
      name: 'a start whose document is a mutation',
      send: ({ start }, id) => start(id, { query: CREATE, variables: { input: { name: `${MARK} ws` } } }),
      errorType: 'UnsupportedOperation',
    },
    {
      name: 'a start with a wrong key in extensions.authorization',
      send: ({ start, auth }, id) => start(id, { query: onCreate }, { ...auth, 'x-api-key': 'da2-wrong' }),
      errorType: 'UnauthorizedException',
    },
    {
      name: 'a start with a token without an issuer',
      send: ({ start, auth }, id) => start(id, { query: onCreate }, { host: auth.host, Authorization: jwt({ sub: 'x' }) }),
      errorType: 'UnauthorizedException',
    },
    {
      name: 'a start with authorization that is a string',
      send: ({ start }, id) => start(id, { query: onCreate }, 'x-api-key'),
      errorType: 'UnauthorizedException',
    },
    {
      name: 'a start with a syntax error',
      send: ({ start }, id) => start(id, { query: 'subscription { onCreateLearningPath { id ' }),
      errorType: 'GraphQLSyntaxError',
    },
    { name: 'a start whose data is not JSON', send: ({ start }, id) => start(id, '{"query":') },
    { name: 'a start whose query is not a string', send: ({ start }, id) => start(id, { query: 42 }), errorType: 'MalformedMessage' },
    {
      name: 'a start with an unknown field',
      send: ({ start }, id) => start(id, { query: 'subscription { onCreateLearningPath { id password } }' }),
    },
    {
      name: 'a start with 2 000 aliased __schema',
      send: ({ start }, id) => start(id, { query: `query { ${aliases(2000, (i) => `s${i}: __schema { queryType { name } }`)} }` }),
    },
    {
      name: 'a start without an id',
      send: ({ socket }) => socket.send(JSON.stringify({ type: 'start', payload: {} })),
      errorType: undefined,
    },
  ];

  it.each(frames)('answers $name with an error message and keeps serving', async ({ send, errorType }) => {
    const witness = await realtimeConnection();
    const witnessId = randomUUID();
    // Events of one path only (updates of this file's own path), so that no other test's subscriber sees them.
    witness.start(witnessId, { query: 'subscription ($id: ID) { onUpdateLearningPath(id: $id) { id name } }', variables: { id: plain } });
    await witness.next((message) => message.id === witnessId && message.type === 'start_ack');

    const attacker = await realtimeConnection();
    const id = randomUUID();
    send(attacker, id);
    const answer = await attacker.next((message) => message.type === 'error');
    if (errorType) expect(answer.payload?.errors?.[0]?.errorType).toBe(errorType);
    else expect(answer.payload?.errors?.length).toBeGreaterThan(0);

    // The process is alive: HTTP answers, and the other connection's subscription still gets events.
    const alive = await gql(LIST, { limit: 1 });
    expect({ status: alive.status, errors: alive.errorTypes.length + alive.untyped }).toEqual({ status: 200, errors: 0 });
    const name = `Realtime witness ${id}`;
    expect((await update({ name })).errorTypes).toEqual([]);
    const event = await witness.next(
      (message) => message.id === witnessId && message.type === 'data' && JSON.stringify(message.payload).includes(name),
    );
    expect(event.payload?.data).toEqual({ onUpdateLearningPath: { id: plain, name } });
    attacker.socket.close();
    witness.socket.close();
  });

  it('closes a connection that sends a frame over the request size limit (1009), and keeps serving', async () => {
    const attacker = await realtimeConnection();
    attacker.socket.send('x'.repeat(REQUEST_LIMITS.requestBytes + 1));
    expect(await attacker.closed).toBe(1009);
    const alive = await gql(LIST, { limit: 1 });
    expect(alive.status).toBe(200);
  });
});

describe('the local S3 enforces what S3 enforces for presigned requests', () => {
  /** Objects these tests store; removed afterwards, as no path references them. */
  const stored: string[] = [];
  afterAll(async () => {
    for (const Key of stored) await bucket.send(new DeleteObjectCommand({ Bucket: stack.bucketName, Key }));
  });

  const UPLOAD_TICKET = 'mutation ($input: CreateMediaUploadInput!) { createMediaUpload(input: $input) { uploadKey uploadUrl headers } }';
  const ticket = async (contentLength = PNG_1PX.length) => {
    const answer = await gql(UPLOAD_TICKET, { input: { learningPathId: plain, contentType: 'image/png', contentLength } });
    return JSON.parse(answer.body).data.createMediaUpload as { uploadKey: string; uploadUrl: string; headers: string };
  };
  const put = (url: string, headers: Record<string, string>, body: Buffer = PNG_1PX) => fetch(url, { method: 'PUT', headers, body });
  const codeOf = async (response: Response) => /<Code>([^<]+)<\/Code>/.exec(await response.text())?.[1];

  it('accepts the PUT exactly as signed', async () => {
    const { uploadUrl, headers, uploadKey } = await ticket();
    stored.push(uploadKey);
    expect((await put(uploadUrl, JSON.parse(headers))).status).toBe(200);
  });

  it.each([
    ['another content type', (url: string) => put(url, { 'content-type': 'text/html' })],
    ['another length', (url: string) => put(url, { 'content-type': 'image/png' }, Buffer.concat([PNG_1PX, Buffer.alloc(10)]))],
    ['a changed expiry', (url: string) => put(url.replace(/X-Amz-Expires=\d+/, 'X-Amz-Expires=604800'), { 'content-type': 'image/png' })],
    [
      'another key',
      (url: string) => put(url.replace(/uploads\/([^/]+)\/[0-9a-f-]+/, `uploads/$1/${randomUUID()}`), { 'content-type': 'image/png' }),
    ],
    [
      'a forged signature',
      (url: string) => put(url.replace(/X-Amz-Signature=[0-9a-f]+/, `X-Amz-Signature=${'0'.repeat(64)}`), { 'content-type': 'image/png' }),
    ],
    ['no signature at all', (url: string) => put(url.split('?')[0] as string, { 'content-type': 'image/png' })],
  ])('refuses a PUT with %s (403), storing nothing', async (_, send) => {
    const { uploadUrl, uploadKey } = await ticket();
    const response = await send(uploadUrl);
    expect(response.status).toBe(403);
    expect(await codeOf(response)).toMatch(/^(SignatureDoesNotMatch|AccessDenied)$/);
    const listed = await bucket.send(new ListObjectsV2Command({ Bucket: stack.bucketName, Prefix: uploadKey }));
    expect(listed.Contents ?? []).toEqual([]);
  });

  it('refuses a validly signed presigned URL once it has expired', async () => {
    const options = {
      bucket: stack.bucketName,
      region: LOCAL_REGION,
      credentials: async () => LOCAL_CREDENTIALS,
      expiresInSeconds: 60,
      endpoint: stack.s3Endpoint,
      forcePathStyle: true,
    };
    const signedAnHourAgo = new SigV4MediaSigner({ ...options, signingDate: () => new Date(Date.now() - 3_600_000) });
    const url = await signedAnHourAgo.uploadUrlFor(`uploads/${plain}/${randomUUID()}`, 'image/png', PNG_1PX.length, 900);
    const response = await put(url, { 'content-type': 'image/png' });
    expect({ status: response.status, code: await codeOf(response) }).toEqual({ status: 403, code: 'AccessDenied' });
    const fresh = new SigV4MediaSigner(options);
    const key = `uploads/${plain}/${randomUUID()}`;
    stored.push(key);
    const freshUrl = await fresh.uploadUrlFor(key, 'image/png', PNG_1PX.length, 900);
    expect((await put(freshUrl, { 'content-type': 'image/png' })).status).toBe(200);
  });

  it('refuses a copy whose source no longer has the ETag the copy is conditioned on (412), copying nothing', async () => {
    const source = `uploads/${plain}/${randomUUID()}`;
    const target = `uploads/${plain}/${randomUUID()}`;
    stored.push(source, target);
    const first = await bucket.send(
      new PutObjectCommand({ Bucket: stack.bucketName, Key: source, Body: PNG_1PX, ContentType: 'image/png' }),
    );
    await bucket.send(
      new PutObjectCommand({ Bucket: stack.bucketName, Key: source, Body: '<html><script>alert(1)</script>', ContentType: 'image/png' }),
    );
    const copy = bucket.send(
      new CopyObjectCommand({
        Bucket: stack.bucketName,
        Key: target,
        CopySource: `${stack.bucketName}/${source}`,
        CopySourceIfMatch: first.ETag,
      }),
    );
    await expect(copy).rejects.toMatchObject({ name: 'PreconditionFailed', $metadata: { httpStatusCode: 412 } });
    const listed = await bucket.send(new ListObjectsV2Command({ Bucket: stack.bucketName, Prefix: target }));
    expect(listed.Contents ?? []).toEqual([]);
  });
});

describe('the local stack listens on loopback only', () => {
  /** An address of this machine that other machines on its network can reach. */
  const lanAddress = Object.values(networkInterfaces())
    .flat()
    .find((address) => address && !address.internal && address.family === 'IPv4')?.address;

  const connects = (host: string, port: number) =>
    new Promise<boolean>((resolve) => {
      const socket = connect({ host, port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });

  it.each([
    ['the API', stack.graphqlUrl],
    ['DynamoDB Local', stack.dynamoDbEndpoint],
    ['the S3 front', stack.s3Endpoint],
  ])('refuses connections to %s from the network, and accepts them on loopback', async (_, endpoint) => {
    expect(lanAddress).toBeDefined();
    const port = Number(new URL(endpoint).port);
    expect(await connects('127.0.0.1', port)).toBe(true);
    expect(await connects(lanAddress as string, port)).toBe(false);
  });
});
