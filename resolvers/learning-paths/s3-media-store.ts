import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { MediaStore, MediaUrlSigner } from './store.js';

/** Media objects in the S3 bucket. */
export class S3MediaStore implements MediaStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async put(key: string, body: Uint8Array, contentType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType, ContentLength: body.byteLength }),
    );
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async deleteUnder(prefix: string): Promise<void> {
    let ContinuationToken: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken }));
      // A path has one object, rarely a leftover or two: single deletes, no batch checksum needed.
      for (const { Key } of page.Contents ?? []) if (Key !== undefined) await this.delete(Key);
      ContinuationToken = page.NextContinuationToken;
    } while (ContinuationToken !== undefined);
  }
}

/** Presigned GET URLs, signed in process with the function's credentials: no request to S3. */
export class S3MediaUrlSigner implements MediaUrlSigner {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly expiresInSeconds: number,
  ) {}

  urlFor(key: string): Promise<string> {
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key: key }), { expiresIn: this.expiresInSeconds });
  }
}
