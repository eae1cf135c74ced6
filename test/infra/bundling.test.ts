import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { esbuildOptions, HANDLER_FILE } from '../../infra/bundling.js';
import { placeholderLambdaEnvironment } from '../../infra/compile-cache.js';
import { REPOSITORY_ROOT } from '../../infra/definitions.js';
import { handlerName, resolverDeclarations } from '../../resolvers/declarations.js';
import { apiStack } from './stacks.js';

const outdir = mkdtempSync(join(tmpdir(), 'cdk-bundling-'));
/** Asset directory of each function's code, by handler name. */
const bundles = new Map<string, string>();

beforeAll(() => {
  const stack = apiStack('dev', { bundle: true, outdir });
  (stack.node.root as App).synth();
  const functions = Template.fromStack(stack).findResources('AWS::Lambda::Function');
  for (const fn of Object.values(functions)) {
    const name = (fn.Properties.Description as string).replace('AppSync resolver ', '');
    const assetHash = (fn.Properties.Code.S3Key as string).replace(/\.zip$/, '');
    bundles.set(name, join(outdir, `asset.${assetHash}`));
  }
}, 300_000);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('function bundles (real esbuild bundling)', () => {
  it.each(resolverDeclarations.map(handlerName))('%s has a CommonJS bundle with its source map', (name) => {
    const dir = bundles.get(name);
    expect(dir).toBeDefined();
    const code = readFileSync(join(dir as string, HANDLER_FILE), 'utf8');
    expect(existsSync(join(dir as string, `${HANDLER_FILE}.map`))).toBe(true);
    expect(existsSync(join(dir as string, 'index.mjs'))).toBe(false);
    expect(code).toContain('module.exports=');
    expect(code).not.toMatch(/^import |\bimport\.meta\b/m);
    expect(code).toContain(`//# sourceMappingURL=${HANDLER_FILE}.map`);
  });

  it.each(resolverDeclarations.map(handlerName))('%s exports a handler when required as the Lambda runtime requires it', (name) => {
    const dir = bundles.get(name) as string;
    const { status, stdout, stderr } = spawnSync(
      process.execPath,
      ['-e', `process.stdout.write(typeof require(${JSON.stringify(join(dir, HANDLER_FILE))}).handler)`],
      { env: placeholderLambdaEnvironment(), encoding: 'utf8' },
    );
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toBe('function');
  });

  it('loads node:zlib and file-type only when first used', () => {
    const file = join(bundles.get('Query.learningPath') as string, HANDLER_FILE);
    const script = `require(${JSON.stringify(file)}); process.stdout.write(JSON.stringify(process.moduleLoadList))`;
    const loaded = JSON.parse(
      spawnSync(process.execPath, ['-e', script], { env: placeholderLambdaEnvironment(), encoding: 'utf8' }).stdout,
    ) as string[];
    expect(loaded).toContain('NativeModule https');
    expect(loaded).not.toContain('NativeModule zlib');
    expect(loaded).not.toContain('NativeModule stream/web');
  });

  it('bundles the AWS SDK instead of loading the runtime copy', () => {
    const code = readFileSync(join(bundles.get('Query.learningPath') as string, HANDLER_FILE), 'utf8');
    expect(code).not.toMatch(/require\("@aws-sdk\//);
    expect(code).toContain('DynamoDB_20120810');
  });

  it('takes credentials from the environment only, without the default provider chain', () => {
    const code = readFileSync(join(bundles.get('Mutation.addLearningPathMedia') as string, HANDLER_FILE), 'utf8');
    expect(code).toContain('AWS_SECRET_ACCESS_KEY');
    // The chain's other sources: web identity, container credentials, SSO, credential_process.
    for (const source of ['AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'sso_start_url', 'credential_process']) {
      expect(code).not.toContain(source);
    }
  });

  it.each(['Query.learningPath', 'Mutation.createMediaUpload'])('%s signs media URLs without the S3 client', (name) => {
    const code = readFileSync(join(bundles.get(name) as string, HANDLER_FILE), 'utf8');
    // The S3 client's service name and endpoint rules; the signer has neither.
    expect(code).not.toContain('AmazonS3');
    expect(code).not.toContain('s3-outposts');
    expect(code).toContain('X-Amz-Content-Sha256');
  });

  it('bundles the API key renewal job like the resolvers: CommonJS, the AppSync client inside, credentials from the environment only', () => {
    const dir = bundles.get('Renews the AppSync API key before it expires');
    expect(dir).toBeDefined();
    const code = readFileSync(join(dir as string, HANDLER_FILE), 'utf8');
    expect(code).toContain('module.exports=');
    expect(code).not.toMatch(/require\("@aws-sdk\//);
    expect(code).toContain('UpdateApiKey');
    expect(code).toContain('AWS_SECRET_ACCESS_KEY');
    expect(code).not.toContain('AWS_WEB_IDENTITY_TOKEN_FILE');
  });

  it('keeps the S3 client in functions that call S3', () => {
    expect(readFileSync(join(bundles.get('Mutation.deleteLearningPath') as string, HANDLER_FILE), 'utf8')).toContain('AmazonS3');
  });

  it('equals what esbuild builds directly from infra/bundling.ts', async () => {
    const declaration = resolverDeclarations[0];
    if (!declaration) throw new Error('no resolver declared');
    const direct = mkdtempSync(join(tmpdir(), 'esbuild-direct-'));
    try {
      await build({
        ...esbuildOptions(join(REPOSITORY_ROOT, declaration.entry), join(direct, HANDLER_FILE)),
        absWorkingDir: REPOSITORY_ROOT,
        logLevel: 'silent',
      });
      const viaCdk = readFileSync(join(bundles.get(handlerName(declaration)) as string, HANDLER_FILE), 'utf8');
      expect(readFileSync(join(direct, HANDLER_FILE), 'utf8')).toBe(viaCdk);
    } finally {
      rmSync(direct, { recursive: true, force: true });
    }
  });
});
