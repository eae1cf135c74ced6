/** The media kinds a learning path may carry, as detected from the bytes. */
export const ALLOWED_MEDIA_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'video/mp4',
  'audio/mpeg',
] as const;

export type MediaType = (typeof ALLOWED_MEDIA_TYPES)[number];

/** How many leading bytes of a file are read to detect its kind: the sample size file-type documents. */
export const MEDIA_SNIFF_BYTES = 4100;

/** An animated PNG is a PNG: file-type reports it separately. */
const ALIASES: Readonly<Record<string, MediaType>> = { 'image/apng': 'image/png' };

export function isAllowedMediaType(value: string): value is MediaType {
  return (ALLOWED_MEDIA_TYPES as readonly string[]).includes(value);
}

/**
 * The MIME type the bytes are, by their signature; undefined when unknown. file-type (and what it
 * loads: streams, fs/promises, debug) is imported on first use, so functions that never inspect
 * media do not load it at start.
 */
export async function detectMediaType(bytes: Uint8Array): Promise<string | undefined> {
  const { fileTypeFromBuffer } = await import('file-type');
  const detected = await fileTypeFromBuffer(bytes);
  if (detected === undefined) return undefined;
  return ALIASES[detected.mime] ?? detected.mime;
}
