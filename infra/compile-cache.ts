/**
 * A V8 compile cache made at build time and shipped in a function's package (opt-in: `-c
 * compileCache=true`). Node.js reads it when NODE_COMPILE_CACHE names its directory; portable mode
 * keys entries by the module's path relative to that directory, so a cache made in the build's asset
 * folder is found under /var/task. Node.js files entries under a subdirectory named after its exact
 * version, architecture, V8 cache tag and the user id: a cache made by another Node.js, on another
 * architecture or by another user is not read, and the module compiles as it would without one.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { functionEnvironment } from './definitions.js';

/** The cache directory inside a function package. */
export const COMPILE_CACHE_DIR = '.compile-cache';

/** Where Lambda puts the function package. */
export const LAMBDA_TASK_ROOT = '/var/task';

/** The CDK context key that turns the shipped compile cache on. */
export const COMPILE_CACHE_CONTEXT = 'compileCache';

/** The variables that make Node.js read a package's cache, for a package at `root`. */
export function compileCacheEnvironment(root: string): Record<string, string> {
  return { NODE_COMPILE_CACHE: join(root, COMPILE_CACHE_DIR), NODE_COMPILE_CACHE_PORTABLE: '1' };
}

/** The environment of a function in Lambda, with placeholder names and credentials: enough to load its module. */
export function placeholderLambdaEnvironment(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    ...functionEnvironment({ tableName: 'learning-paths-placeholder', bucketName: 'learning-paths-media-placeholder' }),
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDPLACEHOLDER',
    AWS_SECRET_ACCESS_KEY: 'placeholder-secret',
    AWS_SESSION_TOKEN: 'placeholder-token',
    AWS_LAMBDA_FUNCTION_NAME: 'placeholder',
  };
}

/**
 * The code a Lambda Node.js runtime runs to load a handler module: `import()` for `.mjs`, `require`
 * for a CommonJS `.js` (from its ES module bootstrap), as the runtime interface client does.
 */
export function loaderScript(file: string): string {
  return file.endsWith('.mjs')
    ? `await import(${JSON.stringify(pathToFileURL(file).href)})`
    : `import { createRequire } from 'node:module'; createRequire(import.meta.url)(${JSON.stringify(file)})`;
}

/** Arguments of `node` that load `file` as the runtime does. */
export const loaderArgs = (file: string): string[] => ['--input-type=module', '-e', loaderScript(file)];

const shellQuote = (value: string): string => `'${value.replaceAll("'", `'\\''`)}'`;

/**
 * A shell command (NodejsFunction's afterBundling hook) that loads the handler module `file` of the
 * package at `root` once, so that Node.js writes the compile cache of what loading compiles into
 * `root/.compile-cache`.
 */
export function compileCacheCommand(root: string, file: string, node = process.execPath): string {
  const env = { ...placeholderLambdaEnvironment(), ...compileCacheEnvironment(root) };
  const assignments = Object.entries(env).map(([name, value]) => `${name}=${shellQuote(value)}`);
  return ['env', '-i', ...assignments, shellQuote(node), ...loaderArgs(file).map(shellQuote)].join(' ');
}

/** Runs {@link compileCacheCommand} here (the benchmark's "with cache" packages). */
export function writeCompileCache(root: string, file: string): void {
  const result = spawnSync('sh', ['-c', compileCacheCommand(root, file)], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (result.status !== 0) throw new Error(`Writing the compile cache of ${file} failed: ${result.stderr.toString()}`);
}
