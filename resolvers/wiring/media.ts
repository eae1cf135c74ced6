import { S3MediaStore } from '../learning-paths/s3-media-store.js';
import { config } from '../lib/config.js';
import { s3Client } from '../lib/s3.js';

/** The media objects of this deployment; imported only by handlers that call S3. */
export const media = new S3MediaStore(s3Client, config.bucketName);
