import { crc32, deflateSync } from 'node:zlib';

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A real PNG of one colour that browsers render, optionally padded after its end to `totalBytes`
 * (decoders ignore bytes after IEND), to make large files that are still genuine PNGs.
 */
export function png(options: { width?: number; height?: number; totalBytes?: number } = {}): Buffer {
  const { width = 2, height = 2 } = options;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, 0x4a)]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  const image = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  return options.totalBytes === undefined ? image : Buffer.concat([image, Buffer.alloc(options.totalBytes - image.length)]);
}

/** Bytes that start like an MP4 file (an `ftyp` box of brand isom), padded to `totalBytes`. */
export function mp4(totalBytes: number): Buffer {
  const ftyp = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom\0\0\x02\0isomiso2', 'latin1')]);
  return Buffer.concat([ftyp, Buffer.alloc(totalBytes - ftyp.length)]);
}
