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
import type { MediaStore, ObjectStart, StoredObject } from './store.js';

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

  /**
   * The ETag condition makes S3 refuse to copy an upload that was overwritten after it was verified.
   * A source that is gone (a concurrent attach of the same upload consumed it) is NoSuchKey, or 403
   * without s3:ListBucket; both, like a failed condition, are the client's to resolve. The SDK may
   * repeat a copy whose answer was lost: it writes the same bytes to the same fresh key, or fails
   * the condition once the upload changed.
   */
  async copy(sourceKey: string, destinationKey: string, options: { etag?: string; contentType: string }): Promise<string | undefined> {
    try {
      const { CopyObjectResult } = await this.client.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: destinationKey,
          CopySource: `${this.bucket}/${sourceKey.split('/').map(encodeURIComponent).join('/')}`,
          CopySourceIfMatch: options.etag,
          MetadataDirective: 'REPLACE',
          ContentType: options.contentType,
        }),
      );
      return CopyObjectResult?.ETag;
    } catch (error) {
      // The caller treats this like a copy of other bytes: the changed upload is refused and removed.
      if (error instanceof S3ServiceException && error.name === 'PreconditionFailed') return undefined;
      if (error instanceof NoSuchKey || (error instanceof S3ServiceException && [403, 404].includes(error.$metadata.httpStatusCode ?? 0))) {
        throw new ValidationError('uploadKey: no such upload (already attached, or expired)');
      }
      throw error;
    }
  }

  async *listUnder(prefix: string): AsyncIterable<StoredObject[]> {
    let ContinuationToken: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken }));
      yield (page.Contents ?? []).flatMap(({ Key, LastModified }) =>
        Key === undefined || LastModified === undefined ? [] : [{ key: Key, lastModified: LastModified }],
      );
      ContinuationToken = page.NextContinuationToken;
    } while (ContinuationToken !== undefined);
  }
}

/** The total size from a Content-Range header such as `bytes 0-4099/10485760`. */
function totalSize(contentRange: string | undefined): number | undefined {
  const total = contentRange?.match(/\/(\d+)$/)?.[1];
  return total === undefined ? undefined : Number(total);
}
