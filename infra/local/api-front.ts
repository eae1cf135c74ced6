import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { gunzipSync, inflateSync } from 'node:zlib';
import { formatError, type GraphQLError } from 'graphql';
import { checkQuery, type DocumentPolicy } from './request-limits.js';

/** Who may call the local API from where, and what a request may cost. */
export interface FrontPolicy extends DocumentPolicy {
  /** Browser origins allowed besides the API's own (the explorer's). */
  readonly allowedOrigins: readonly string[];
  /** Host names a request may be addressed to, or 'any' when the API listens beyond loopback on purpose. */
  readonly allowedHosts: readonly string[] | 'any';
  /** The simulator's own authentication check: returns the mode or throws `UnauthorizedException: ...`. */
  readonly authorize: (headers: IncomingHttpHeaders) => unknown;
}

/** A refusal as JSON in AppSync's error shape: never an HTML page, a stack trace or a server path. */
export function refuse(response: ServerResponse, status: number, errorType: string, message: string): void {
  const body = JSON.stringify({ errors: [{ errorType, message }] });
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/** Host names the API answers to: loopback names, or any when it was asked to listen on another address. */
export function allowedHosts(listenHost: string): readonly string[] | 'any' {
  return LOOPBACK_HOSTS.includes(listenHost) || listenHost === '::1' ? LOOPBACK_HOSTS : 'any';
}

const hostName = (host: string | undefined) => (host ?? '').replace(/:\d+$/, '').toLowerCase();

/**
 * Refuses a request addressed to a foreign host name (DNS rebinding) or sent by a page of a foreign
 * origin, and answers CORS for the allowed ones; true when the request may go on. The API's own
 * origin (the explorer at `/`) is always allowed.
 */
export function admit(request: IncomingMessage, response: ServerResponse | undefined, policy: FrontPolicy, secure: boolean): boolean {
  const host = request.headers.host;
  if (policy.allowedHosts !== 'any' && !policy.allowedHosts.includes(hostName(host))) {
    if (response) refuse(response, 403, 'Forbidden', 'This API answers only requests addressed to localhost.');
    return false;
  }
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  const own = `${secure ? 'https' : 'http'}://${host}`;
  if (origin !== own && !policy.allowedOrigins.includes(origin)) {
    if (response) refuse(response, 403, 'Forbidden', `Origin ${origin} is not allowed; allowed: ${policy.allowedOrigins.join(', ')}`);
    return false;
  }
  response?.setHeader('access-control-allow-origin', origin);
  response?.setHeader('vary', 'Origin');
  return true;
}

const PREFLIGHT_HEADERS =
  'content-type, x-api-key, authorization, x-amz-date, x-amz-security-token, x-amz-user-agent, x-amz-content-sha256';

/** Answers a CORS preflight of an admitted origin. */
export function answerPreflight(response: ServerResponse): void {
  response.writeHead(204, {
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-allow-headers': PREFLIGHT_HEADERS,
    'access-control-max-age': '600',
    'content-length': '0',
  });
  response.end();
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
  ) {
    super(message);
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Reads a body of at most `maxBytes`, draining (not keeping) the rest of a longer one so the client reads the refusal. */
function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    request.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length <= maxBytes) chunks.push(chunk);
      else if (length > 16 * maxBytes) request.destroy();
    });
    request.on('error', reject);
    request.on('close', () => reject(new Refusal(413, 'PayloadTooLarge', `The request body exceeds ${maxBytes} bytes.`)));
    request.on('end', () =>
      length > maxBytes
        ? reject(new Refusal(413, 'PayloadTooLarge', `The request body exceeds ${maxBytes} bytes.`))
        : resolve(Buffer.concat(chunks)),
    );
  });
}

function decode(body: Buffer, encoding: string, maxBytes: number): Buffer {
  const tooLarge = new Refusal(413, 'PayloadTooLarge', `The request body exceeds ${maxBytes} bytes once decompressed.`);
  const inflate = encoding === 'gzip' || encoding === 'x-gzip' ? gunzipSync : encoding === 'deflate' ? inflateSync : undefined;
  if (encoding === '' || encoding === 'identity') return body;
  if (!inflate)
    throw new Refusal(415, 'UnsupportedMediaType', `Content-Encoding ${encoding} is not supported; send gzip, deflate or none.`);
  try {
    return inflate(body, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge;
    throw new Refusal(400, 'MalformedHttpRequestException', `The body is not valid ${encoding} data.`);
  }
}

export interface GraphQLRequestBody {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

/** The JSON body of a GraphQL request: UTF-8 JSON of an object with a string `query`, within the size limit. */
export async function readGraphQLBody(request: IncomingMessage, maxBytes: number): Promise<GraphQLRequestBody> {
  const [mediaType = '', ...parameters] = (request.headers['content-type'] ?? '').split(';').map((part) => part.trim().toLowerCase());
  if (mediaType !== 'application/json') throw new Refusal(415, 'UnsupportedMediaType', 'Send the request as application/json.');
  const charset = parameters
    .find((parameter) => parameter.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/"/g, '');
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new Refusal(415, 'UnsupportedMediaType', `Charset ${charset} is not supported; send UTF-8.`);
  }
  const body = decode(await readBody(request, maxBytes), (request.headers['content-encoding'] ?? '').trim().toLowerCase(), maxBytes);
  let parsed: unknown;
  try {
    parsed = JSON.parse(UTF8.decode(body));
  } catch {
    throw new Refusal(400, 'MalformedHttpRequestException', 'The body is not valid UTF-8 JSON.');
  }
  const candidate = parsed as Partial<GraphQLRequestBody> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    Array.isArray(candidate) ||
    typeof candidate.query !== 'string' ||
    !(candidate.variables == null || (typeof candidate.variables === 'object' && !Array.isArray(candidate.variables))) ||
    !(candidate.operationName == null || typeof candidate.operationName === 'string')
  ) {
    throw new Refusal(
      400,
      'MalformedHttpRequestException',
      'The body must be a JSON object with a string "query", and optional "variables" object and "operationName".',
    );
  }
  return candidate as GraphQLRequestBody;
}

/** The authentication check, answering every failure (a token without a string `iss` too) as AppSync does. */
export function authenticate(headers: IncomingHttpHeaders, policy: FrontPolicy): void {
  try {
    policy.authorize(headers);
  } catch (error) {
    const message = (error as Error).message;
    throw new Refusal(
      401,
      'UnauthorizedException',
      message.startsWith('UnauthorizedException') ? message : 'UnauthorizedException: Invalid JWT token',
    );
  }
}

/**
 * The guard in front of `POST /graphql`: size, encoding and JSON checked, caller authenticated,
 * document within the limits; then the parsed body goes on to the simulator (express's JSON parser
 * skips a request whose body is already parsed). Every refusal is JSON, and nothing runs before it.
 */
export async function guardGraphQLRequest(
  request: IncomingMessage,
  response: ServerResponse,
  policy: FrontPolicy,
  next: () => void,
): Promise<void> {
  try {
    const body = await readGraphQLBody(request, policy.limits.requestBytes);
    authenticate(request.headers, policy);
    const { errors } = checkQuery(body.query, body.operationName, policy);
    if (errors.length > 0) {
      sendJson(response, 200, { data: null, errors: errors.map((error: GraphQLError) => formatError(error)) });
      return;
    }
    Object.assign(request, { body, _body: true });
    next();
  } catch (error) {
    if (response.headersSent) return;
    if (error instanceof Refusal) refuse(response, error.status, error.errorType, error.message);
    else {
      console.error('The local API guard failed on a request:', error);
      refuse(response, 500, 'InternalFailure', 'The local API could not read the request.');
    }
  }
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

export { Refusal };
