import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { MediaUploadSigner, MediaUrlSigner } from './store.js';

export interface SigV4MediaSignerOptions {
  bucket: string;
  region: string;
  credentials: AwsCredentialIdentityProvider;
  /** Lifetime of GET URLs; an upload URL's lifetime is given with each. */
  expiresInSeconds: number;
  /** A custom S3 endpoint such as the local s3rver (AWS_ENDPOINT_URL_S3); AWS's regional one when omitted. */
  endpoint?: string;
  /** Path-style addressing (`endpoint/bucket/key`), which s3rver needs; virtual-hosted (`bucket.endpoint/key`) otherwise. */
  forcePathStyle: boolean;
  /** The signing time; now when omitted. */
  signingDate?: () => Date;
}

/**
 * Presigned media URLs made with the SDK's own SigV4 signer and SHA-256, without loading the S3
 * client: the same URLs `getSignedUrl(s3Client, new GetObjectCommand(...))` and `new
 * PutObjectCommand(...)` make, at a fraction of the start-up cost. No request to S3.
 */
export class SigV4MediaSigner implements MediaUrlSigner, MediaUploadSigner {
  private readonly signer: SignatureV4;
  private readonly base: URL;

  constructor(private readonly options: SigV4MediaSignerOptions) {
    // S3 signs paths as given: no double escaping (uriEscapePath false), and an unsigned payload.
    this.signer = new SignatureV4({
      service: 's3',
      region: options.region,
      credentials: options.credentials,
      sha256: Sha256,
      uriEscapePath: false,
      applyChecksum: false,
    });
    const endpoint = new URL(options.endpoint ?? `https://s3.${options.region}.amazonaws.com`);
    if (!options.forcePathStyle) endpoint.hostname = `${options.bucket}.${endpoint.hostname}`;
    this.base = endpoint;
  }

  urlFor(key: string): Promise<string> {
    return this.presign('GET', key, {}, this.options.expiresInSeconds);
  }

  /** Signs Content-Type and Content-Length, so S3 on AWS refuses a body of another type or size. */
  uploadUrlFor(key: string, contentType: string, contentLength: number, expiresInSeconds: number): Promise<string> {
    return this.presign('PUT', key, { 'content-type': contentType, 'content-length': String(contentLength) }, expiresInSeconds);
  }

  private async presign(method: 'GET' | 'PUT', key: string, headers: Record<string, string>, expiresIn: number): Promise<string> {
    const { base, options } = this;
    const basePath = base.pathname.replace(/\/$/, '');
    const bucketPath = options.forcePathStyle ? `/${encodeURIComponent(options.bucket)}` : '';
    const keyPath = key.split('/').map(encodeS3PathSegment).join('/');
    const host = base.port === '' ? base.hostname : `${base.hostname}:${base.port}`;
    const signed = await this.signer.presign(
      {
        method,
        protocol: base.protocol,
        hostname: base.hostname,
        port: base.port === '' ? undefined : Number(base.port),
        path: `${basePath}${bucketPath}/${keyPath}`,
        query: { 'x-id': method === 'GET' ? 'GetObject' : 'PutObject' },
        headers: { ...headers, host, 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' },
      },
      { expiresIn, signingDate: options.signingDate?.(), signableHeaders: new Set(Object.keys(headers)) },
    );
    const query = Object.entries(signed.query ?? {})
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, value]) => `${encodeS3PathSegment(name)}=${encodeS3PathSegment(String(value))}`)
      .join('&');
    return `${base.protocol}//${host}${signed.path}?${query}`;
  }
}

/** RFC 3986 escaping as the SDK applies it to S3 keys and query values. */
function encodeS3PathSegment(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
