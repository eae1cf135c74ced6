import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { LOOPBACK_ADDRESS } from './ports.js';

/** Credentials the verifier accepts, by access key id. */
export type SecretsByAccessKey = Readonly<Record<string, string>>;

/** S3's longest presigned URL lifetime: seven days. */
const MAX_PRESIGNED_SECONDS = 7 * 24 * 3600;
/** S3 refuses a header-signed request whose time is further than this from its clock. */
const MAX_SKEW_MS = 15 * 60 * 1000;

class S3Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** RFC 3986 escaping, as SigV4 canonicalises query names and values. */
const encode = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Query parameters as sent: `+` is a plus sign in S3 query strings, not a space. */
function queryParameters(search: string): [string, string][] {
  if (search === '') return [];
  return search.split('&').map((pair) => {
    const equals = pair.indexOf('=');
    const decode = (value: string) => {
      try {
        return decodeURIComponent(value);
      } catch {
        throw new S3Refusal(400, 'InvalidArgument', 'The query string is not valid percent-encoding.');
      }
    };
    return equals < 0 ? [decode(pair), ''] : [decode(pair.slice(0, equals)), decode(pair.slice(equals + 1))];
  });
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const hmac = (key: Buffer | string, value: string) => createHmac('sha256', key).update(value).digest();

interface Signature {
  accessKeyId: string;
  /** `yyyymmdd/region/service/aws4_request`. */
  scope: string;
  amzDate: string;
  signedHeaders: string[];
  signature: string;
  payloadHash: string;
  /** Query parameters that are part of the canonical request. */
  query: [string, string][];
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

function amzDateMs(value: string): number {
  const parts = AMZ_DATE.exec(value);
  if (!parts) throw new S3Refusal(403, 'AccessDenied', 'X-Amz-Date must be in the form yyyyMMddTHHmmssZ.');
  const [, y, mo, d, h, mi, s] = parts.map(Number) as number[];
  return Date.UTC(y as number, (mo as number) - 1, d, h, mi, s);
}

/** The signature a request carries in its query (presigned URL) or its Authorization header; undefined when anonymous. */
function signatureOf(request: IncomingMessage, query: [string, string][], now: number): Signature | undefined {
  const get = (name: string) => query.find(([key]) => key === name)?.[1];
  const algorithm = get('X-Amz-Algorithm');
  if (algorithm !== undefined) {
    if (algorithm !== 'AWS4-HMAC-SHA256')
      throw new S3Refusal(400, 'AuthorizationQueryParametersError', 'X-Amz-Algorithm must be AWS4-HMAC-SHA256.');
    const credential = get('X-Amz-Credential') ?? '';
    const amzDate = get('X-Amz-Date') ?? '';
    const expires = Number(get('X-Amz-Expires'));
    const signedHeaders = (get('X-Amz-SignedHeaders') ?? '').split(';');
    const signature = get('X-Amz-Signature') ?? '';
    if (!Number.isInteger(expires) || expires < 1 || expires > MAX_PRESIGNED_SECONDS) {
      throw new S3Refusal(
        400,
        'AuthorizationQueryParametersError',
        `X-Amz-Expires must be between 1 and ${MAX_PRESIGNED_SECONDS} seconds.`,
      );
    }
    if (now > amzDateMs(amzDate) + expires * 1000) throw new S3Refusal(403, 'AccessDenied', 'Request has expired');
    const [accessKeyId = '', ...scope] = credential.split('/');
    return {
      accessKeyId,
      scope: scope.join('/'),
      amzDate,
      signedHeaders,
      signature,
      payloadHash: 'UNSIGNED-PAYLOAD',
      query: query.filter(([key]) => key !== 'X-Amz-Signature'),
    };
  }
  const authorization = request.headers.authorization;
  if (authorization === undefined) return undefined;
  const parsed = /^AWS4-HMAC-SHA256 Credential=([^,]+), ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]+)$/.exec(authorization.trim());
  if (!parsed) throw new S3Refusal(400, 'AuthorizationHeaderMalformed', 'The Authorization header is not an AWS4-HMAC-SHA256 signature.');
  const amzDate = String(request.headers['x-amz-date'] ?? '');
  if (Math.abs(now - amzDateMs(amzDate)) > MAX_SKEW_MS) {
    throw new S3Refusal(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.');
  }
  const [accessKeyId = '', ...scope] = (parsed[1] ?? '').split('/');
  return {
    accessKeyId,
    scope: scope.join('/'),
    amzDate,
    signedHeaders: (parsed[2] ?? '').split(';'),
    signature: parsed[3] ?? '',
    payloadHash: String(request.headers['x-amz-content-sha256'] ?? 'UNSIGNED-PAYLOAD'),
    query,
  };
}

/**
 * Checks a request's SigV4 signature as S3 does: the access key is known, the scope names S3, the
 * presigned URL has not expired, and the signature covers the method, path, query and every signed
 * header with the values this request carries (so a PUT with another type or length than the URL
 * was signed for fails). Anonymous requests are refused: the bucket is private.
 */
export function verifySignature(request: IncomingMessage, secrets: SecretsByAccessKey, now = Date.now()): void {
  const rawUrl = request.url ?? '/';
  const queryStart = rawUrl.indexOf('?');
  const path = queryStart < 0 ? rawUrl : rawUrl.slice(0, queryStart);
  const query = queryParameters(queryStart < 0 ? '' : rawUrl.slice(queryStart + 1));
  const signature = signatureOf(request, query, now);
  if (!signature) throw new S3Refusal(403, 'AccessDenied', 'Access Denied');
  const secret = secrets[signature.accessKeyId];
  if (secret === undefined)
    throw new S3Refusal(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
  const [day = '', region = '', service = '', terminator = ''] = signature.scope.split('/');
  if (service !== 's3' || terminator !== 'aws4_request' || !signature.amzDate.startsWith(day)) {
    throw new S3Refusal(403, 'SignatureDoesNotMatch', 'The credential scope does not match the request.');
  }
  if (!signature.signedHeaders.includes('host')) throw new S3Refusal(403, 'AccessDenied', 'The host header must be signed.');
  const headerValue = (name: string) => {
    const value = request.headers[name];
    return (Array.isArray(value) ? value.join(',') : (value ?? '')).trim().replace(/\s+/g, ' ');
  };
  const canonicalQuery = signature.query
    .map(([key, value]) => [encode(key), encode(value)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  const canonicalRequest = [
    request.method ?? 'GET',
    path,
    canonicalQuery,
    signature.signedHeaders.map((name) => `${name}:${headerValue(name)}\n`).join(''),
    signature.signedHeaders.join(';'),
    signature.payloadHash,
  ].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', signature.amzDate, signature.scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), service), terminator);
  const expected = hmac(key, stringToSign);
  const given = Buffer.from(signature.signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new S3Refusal(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
  }
}

function sendS3Error(response: ServerResponse, refusal: S3Refusal): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${refusal.code}</Code><Message>${refusal.message}</Message></Error>`;
  response.writeHead(refusal.status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

/** One operation at a time per object key: a conditional copy and an upload to its source cannot interleave. */
class KeyLocks {
  private readonly tails = new Map<string, Promise<void>>();

  async acquire(keys: readonly string[]): Promise<() => void> {
    const releases: (() => void)[] = [];
    for (const key of [...new Set(keys)].sort()) {
      const previous = this.tails.get(key) ?? Promise.resolve();
      let release = () => {};
      const current = new Promise<void>((resolve) => {
        release = resolve;
      });
      const tail = previous.then(() => current);
      this.tails.set(key, tail);
      await previous;
      releases.push(() => {
        release();
        if (this.tails.get(key) === tail) this.tails.delete(key);
      });
    }
    return () => {
      for (const release of releases) release();
    };
  }
}

/** `bucket/key` of a path-style request path. */
const objectOf = (path: string) => {
  try {
    return decodeURIComponent(path.replace(/^\//, ''));
  } catch {
    return path;
  }
};

const unquote = (etag: string) => etag.trim().replace(/^W\//, '').replace(/^"|"$/g, '');

export interface S3VerifierOptions {
  port: number;
  /** Where s3rver listens (loopback). */
  backendPort: number;
  secrets: SecretsByAccessKey;
}

/**
 * A front for s3rver that enforces what S3 enforces and s3rver does not: SigV4 signatures (header and
 * presigned), presigned expiry, signed headers, and the copy conditions `x-amz-copy-source-if-match`
 * and `-if-none-match`, checked and applied without another write to the source in between.
 * CORS preflights pass through unsigned, as on S3. Listens on loopback only.
 */
export async function startS3Verifier(options: S3VerifierOptions): Promise<Server> {
  const locks = new KeyLocks();
  const forward = (request: IncomingMessage, response: ServerResponse, onDone: () => void) => {
    const upstream = httpRequest(
      { host: LOOPBACK_ADDRESS, port: options.backendPort, method: request.method, path: request.url, headers: request.headers },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
        answer.on('end', onDone);
        answer.on('error', onDone);
      },
    );
    upstream.on('error', () => {
      onDone();
      if (!response.headersSent) sendS3Error(response, new S3Refusal(503, 'ServiceUnavailable', 'The local S3 store did not answer.'));
      else response.destroy();
    });
    request.pipe(upstream);
  };
  const headEtag = (object: string) =>
    new Promise<string | undefined>((resolve) => {
      const head = httpRequest(
        { host: LOOPBACK_ADDRESS, port: options.backendPort, method: 'HEAD', path: `/${object.split('/').map(encode).join('/')}` },
        (answer) => {
          answer.resume();
          resolve(answer.statusCode === 200 ? String(answer.headers.etag ?? '') : undefined);
        },
      );
      head.on('error', () => resolve(undefined));
      head.end();
    });

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    if (request.method === 'OPTIONS') return forward(request, response, () => {});
    verifySignature(request, options.secrets);
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const target = objectOf(path);
    const copySource = request.headers['x-amz-copy-source'];
    const source = typeof copySource === 'string' ? objectOf(copySource.split('?')[0] ?? '') : undefined;
    const writes = request.method === 'PUT' || request.method === 'DELETE' || request.method === 'POST';
    const release = writes ? await locks.acquire(source ? [target, source] : [target]) : () => {};
    try {
      if (source !== undefined) {
        const ifMatch = request.headers['x-amz-copy-source-if-match'];
        const ifNoneMatch = request.headers['x-amz-copy-source-if-none-match'];
        if (typeof ifMatch === 'string' || typeof ifNoneMatch === 'string') {
          const etag = await headEtag(source);
          if (etag === undefined) throw new S3Refusal(404, 'NoSuchKey', 'The specified key does not exist.');
          if (typeof ifMatch === 'string' && unquote(ifMatch) !== unquote(etag)) {
            throw new S3Refusal(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
          }
          if (typeof ifNoneMatch === 'string' && unquote(ifNoneMatch) === unquote(etag)) {
            throw new S3Refusal(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
          }
        }
      }
    } catch (error) {
      release();
      throw error;
    }
    forward(request, response, release);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      request.resume();
      if (response.headersSent) return response.destroy();
      sendS3Error(response, error instanceof S3Refusal ? error : new S3Refusal(500, 'InternalError', 'We encountered an internal error.'));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, LOOPBACK_ADDRESS, () => resolve());
  });
  return server;
}
