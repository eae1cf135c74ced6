/**
 * How every resolver function is bundled, in one place: the CDK stack passes these options to
 * NodejsFunction, and anything that must reproduce the deployed bundle (a benchmark, say) passes the
 * same options to esbuild directly.
 */
import type { BuildOptions } from 'esbuild';

/** Node.js major of the Lambda runtime; the esbuild target follows it. */
export const NODE_MAJOR = 22;

/** Modules left out of the bundle: the AWS SDK v3 that the Lambda runtime provides (NodejsFunction's default, stated). */
export const EXTERNAL_MODULES: readonly string[] = ['@aws-sdk/*'];

/** ESM output cannot call `require`; some CommonJS dependencies do, so the bundle gets one. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/** Prefer a package's ESM build over its CommonJS one. */
export const MAIN_FIELDS: readonly string[] = ['module', 'main'];

/** The bundling options, in the shape NodejsFunction's `bundling` takes (format is given as a string to keep aws-cdk-lib out of this module). */
export const functionBundling = {
  format: 'esm',
  target: `node${NODE_MAJOR}`,
  minify: true,
  sourceMap: true,
  mainFields: MAIN_FIELDS,
  banner: ESM_REQUIRE_BANNER,
  externalModules: EXTERNAL_MODULES,
} as const;

/** The same bundle built with esbuild's API: `esbuild.build(esbuildOptions(entry, outfile))`. */
export function esbuildOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: functionBundling.format,
    target: functionBundling.target,
    minify: functionBundling.minify,
    sourcemap: functionBundling.sourceMap,
    mainFields: [...functionBundling.mainFields],
    banner: { js: functionBundling.banner },
    external: [...functionBundling.externalModules],
  };
}
