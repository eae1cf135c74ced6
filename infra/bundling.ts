/**
 * How every resolver function is bundled, in one place: the CDK stack passes these options to
 * NodejsFunction, and anything that must reproduce the deployed bundle (a benchmark, say) passes the
 * same options to esbuild directly.
 */
import type { BuildOptions } from 'esbuild';

/** Node.js major of the Lambda runtime; the esbuild target follows it. */
export const NODE_MAJOR = 24;

/**
 * Modules left out of the bundle: none. Bundling the AWS SDK (tree-shaken, minified, one file) starts
 * faster than resolving the runtime's copy from node_modules, and pins the SDK to the lockfile.
 */
export const EXTERNAL_MODULES: readonly string[] = [];

/**
 * Module replacements, relative to the repository root. In Lambda the role's credentials are in
 * environment variables, so the SDK's default credential-provider chain (files, SSO, IMDS, STS, and
 * the clients they need) is replaced by the environment-variable provider.
 */
export const ALIASES: Readonly<Record<string, string>> = {
  '@aws-sdk/credential-provider-node': './resolvers/lib/env-credentials.ts',
};

/**
 * Node.js built-ins that bundled code imports at start but calls only later, if ever: node:zlib, for
 * the SDK's CRC32 checksums, which the DynamoDB client never computes and the S3 client only when a
 * request requires one. Each is replaced by a module that loads the built-in on first call.
 */
export const LAZY_BUILTINS: Readonly<Record<string, string>> = {
  'node:zlib': './infra/lazy-builtins/zlib.ts',
  zlib: './infra/lazy-builtins/zlib.ts',
};

/** Prefer a package's ESM build over its CommonJS one: it tree-shakes. */
export const MAIN_FIELDS: readonly string[] = ['module', 'main'];

/**
 * The bundling options, in the shape NodejsFunction's `bundling` takes (format is given as a string to
 * keep aws-cdk-lib out of this module). CommonJS output: on Node.js 24 the same bundle loads faster as
 * CommonJS than as an ES module (bench/RESULTS.md), and the Lambda runtime `require`s a CommonJS
 * `index.js`. The source map ships beside the bundle, but functions do not run with
 * `NODE_OPTIONS=--enable-source-maps`: loading the map at start-up measured a fifth of the import time.
 * Set that variable on a function while debugging it.
 */
export const functionBundling = {
  format: 'cjs' as 'cjs' | 'esm',
  target: `node${NODE_MAJOR}`,
  minify: true,
  sourceMap: true,
  mainFields: MAIN_FIELDS,
  externalModules: EXTERNAL_MODULES,
  /** NodejsFunction passes these to esbuild as `--alias:name=path`. */
  esbuildArgs: { '--alias': Object.entries({ ...ALIASES, ...LAZY_BUILTINS }).map(([name, path]) => `${name}=${path}`) },
} as const;

/** The file name of the handler module in a function package (`index.handler`). */
export const HANDLER_FILE = 'index.js';

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
    external: [...functionBundling.externalModules],
    alias: { ...ALIASES, ...LAZY_BUILTINS },
  };
}
