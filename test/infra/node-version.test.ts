import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { functionBundling, NODE_MAJOR } from '../../infra/bundling.js';
import { REPOSITORY_ROOT } from '../../infra/definitions.js';
import { apiTemplate } from './stacks.js';

const run = promisify(execFile);
const pinned = readFileSync(join(REPOSITORY_ROOT, '.node-version'), 'utf8').trim();
const packageJson = JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
};

describe('one Node.js major from laptop to Lambda', () => {
  it('is the one .node-version names, and it is 24', () => {
    expect(pinned).toBe('24');
    expect(String(NODE_MAJOR)).toBe(pinned);
  });

  it('is the esbuild target, the Lambda runtime, the engines floor and the @types/node major', () => {
    expect(functionBundling.target).toBe(`node${pinned}`);
    const runtimes = Object.values(apiTemplate('prod').findResources('AWS::Lambda::Function')).map((fn) => fn.Properties.Runtime);
    expect(new Set(runtimes)).toEqual(new Set([`nodejs${pinned}.x`]));
    expect(packageJson.engines.node).toBe(`>=${pinned}`);
    expect(packageJson.devDependencies['@types/node']?.split('.')[0]).toBe(pinned);
  });

  it('runs these tests', () => {
    const hint = 'run the tests on it: export PATH="$(scripts/lambda-node.sh):$PATH"';
    expect(process.versions.node.split('.')[0], hint).toBe(pinned);
  });

  it('is what scripts/lambda-node.sh puts on PATH: here the node already running', async () => {
    const { stdout } = await run(join(REPOSITORY_ROOT, 'scripts', 'lambda-node.sh'), {
      env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` },
    });
    expect(stdout.trim()).toBe(dirname(process.execPath));
  });
});
