import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { ValidationError } from '../lib/errors.js';
import type { MediaStore, ObjectStart } from './store.js';

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

  /**
   * One ranged GET: its Content-Range carries the total size, so no HeadObject is needed. Without
   * s3:ListBucket (not granted) S3 answers 403 rather than 404 for a missing key, so both mean absent.
   */
  async readStart(key: string, length: number): Promise<ObjectStart | undefined> {
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: `bytes=0-${length - 1}` }));
      const bytes = response.Body === undefined ? new Uint8Array() : await response.Body.transformToByteArray();
      return {
        bytes,
        size: totalSize(response.ContentRange) ?? response.ContentLength ?? bytes.byteLength,
        contentType: response.ContentType,
        etag: response.ETag,
      };
    } catch (error) {
      if (error instanceof NoSuchKey || (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 403)) return undefined;
      // A range starting at 0 is unsatisfiable only for an empty object.
      if (error instanceof S3ServiceException && error.name === 'InvalidRange') return { bytes: new Uint8Array(), size: 0 };
      throw error;
    }
  }

  /** The ETag condition makes S3 refuse to copy an upload that was overwritten after it was verified. */
  async copy(sourceKey: string, destinationKey: string, options: { etag?: string; contentType: string }): Promise<void> {
    try {
      await this.client.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: destinationKey,
          CopySource: `${this.bucket}/${sourceKey.split('/').map(encodeURIComponent).join('/')}`,
          CopySourceIfMatch: options.etag,
          MetadataDirective: 'REPLACE',
          ContentType: options.contentType,
        }),
      );
    } catch (error) {
      if (error instanceof S3ServiceException && error.name === 'PreconditionFailed') {
        throw new ValidationError('uploadKey: the upload changed while it was being attached');
      }
      throw error;
    }
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

/** The total size from a Content-Range header such as `bytes 0-4099/10485760`. */
function totalSize(contentRange: string | undefined): number | undefined {
  const total = contentRange?.match(/\/(\d+)$/)?.[1];
  return total === undefined ? undefined : Number(total);
}
