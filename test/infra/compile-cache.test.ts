import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { HANDLER_FILE } from '../../infra/bundling.js';
import { functionPackaging } from '../../infra/cdk/resolver-function.js';
import {
  COMPILE_CACHE_DIR,
  compileCacheCommand,
  compileCacheEnvironment,
  placeholderLambdaEnvironment,
} from '../../infra/compile-cache.js';

const work = mkdtempSync(join(tmpdir(), 'compile-cache-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A package with a small CommonJS handler, its compile cache written as the afterBundling hook writes it. */
function cachedPackage(name: string): string {
  const root = join(work, name);
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, HANDLER_FILE), 'const table = process.env.TABLE_NAME;\nexports.handler = async () => ({ table });\n');
  execFileSync('sh', ['-c', compileCacheCommand(root, join(root, HANDLER_FILE))]);
  return root;
}

/** Loads a package's handler with the cache variables set, and returns Node's compile-cache log. */
function load(root: string): { status: number | null; log: string } {
  const script = `process.stdout.write(typeof require(${JSON.stringify(join(root, HANDLER_FILE))}).handler)`;
  const result = spawnSync(process.execPath, ['-e', script], {
    env: { ...placeholderLambdaEnvironment(), ...compileCacheEnvironment(root), NODE_DEBUG_NATIVE: 'COMPILE_CACHE' },
    encoding: 'utf8',
  });
  expect(result.stdout).toBe('function');
  return { status: result.status, log: result.stderr };
}

describe('build-time compile cache', () => {
  it('is written into the package, under a directory named after this Node.js and architecture', () => {
    const root = cachedPackage('written');
    const [versionDir] = readdirSync(join(root, COMPILE_CACHE_DIR));
    expect(versionDir).toMatch(new RegExp(`^v${process.versions.node}-${process.arch}-`));
    expect(readdirSync(join(root, COMPILE_CACHE_DIR, versionDir as string)).length).toBeGreaterThan(0);
  });

  it('is read where the package is moved to (portable), as from /var/task', () => {
    const moved = join(work, 'moved');
    cpSync(cachedPackage('original'), moved, { recursive: true });
    const { status, log } = load(moved);
    expect(status).toBe(0);
    expect(log).toMatch(/V8 code cache for CommonJS .*index\.js was accepted/);
  });

  it('is ignored, and the handler loads as without it, when made by another Node.js version', () => {
    const root = cachedPackage('mismatch');
    const cacheDir = join(root, COMPILE_CACHE_DIR);
    const [versionDir] = readdirSync(cacheDir);
    renameSync(join(cacheDir, versionDir as string), join(cacheDir, (versionDir as string).replace(/^v[\d.]+/, 'v24.0.0')));
    const { status, log } = load(root);
    expect(status).toBe(0);
    expect(log).not.toMatch(/was accepted/);
  });
});

describe('functionPackaging', () => {
  it('ships no cache and sets no variable by default', () => {
    const packaging = functionPackaging(new App());
    expect(packaging.environment).toEqual({});
    expect(packaging.bundling.commandHooks).toBeUndefined();
  });

  it('with -c compileCache=true, writes the cache after bundling and points Node.js at /var/task/.compile-cache', () => {
    const packaging = functionPackaging(new App({ context: { compileCache: 'true' } }));
    expect(packaging.environment).toEqual({ NODE_COMPILE_CACHE: '/var/task/.compile-cache', NODE_COMPILE_CACHE_PORTABLE: '1' });
    const commands = packaging.bundling.commandHooks?.afterBundling('/in', '/asset') ?? [];
    expect(commands).toEqual([compileCacheCommand('/asset', '/asset/index.js')]);
  });
});
