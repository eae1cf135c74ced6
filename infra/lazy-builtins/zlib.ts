/**
 * node:zlib as bundled functions see it (infra/bundling.ts, LAZY_BUILTINS): the functions bundled
 * code uses, loading the built-in on first call instead of at start. Only what bundled code imports is
 * here; a bundle importing anything else fails to build, not at run time.
 */
import type * as Zlib from 'node:zlib';

const zlib = (): typeof Zlib => process.getBuiltinModule('node:zlib');

export const crc32: typeof Zlib.crc32 = (data, value) => zlib().crc32(data, value);
