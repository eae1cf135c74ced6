import { S3MediaStore, S3MediaUploadSigner, S3MediaUrlSigner } from '../learning-paths/s3-media-store.js';
import { config } from '../lib/config.js';
import { s3Client } from '../lib/s3.js';

/** The media objects of this deployment; imported only by handlers that touch S3. */
export const media = new S3MediaStore(s3Client, config.bucketName);
export const urls = new S3MediaUrlSigner(s3Client, config.bucketName, config.mediaUrlTtlSeconds);
export const uploads = new S3MediaUploadSigner(s3Client, config.bucketName);
