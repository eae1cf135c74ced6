/**
 * Cold start per function: each handler bundled exactly as the AWS stack bundles it (infra/bundling.ts),
 * then the wall time of `node` importing that bundle against a bare `node -e 0`, in alternating pairs,
 * with the function's environment set. Importing is the whole cold-start cost the code controls; no
 * invocation is made.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BuildOptions, build } from 'esbuild';
import { esbuildOptions } from '../infra/bundling.js';
import { functionEnvironment, REPOSITORY_ROOT } from '../infra/definitions.js';
import { handlerName, type ResolverDeclaration, resolverDeclarations } from '../resolvers/declarations.js';
import { median } from './stats.js';

export interface ColdStart {
  name: string;
  /** Whether the function calls or signs for S3 (target 1.6) or only DynamoDB (target 1.35). */
  usesS3: boolean;
  /** A reference bundle, not a function of the stack. */
  reference?: boolean;
  bundleBytes: number;
  bareMs: number;
  importMs: number;
  ratio: number;
  ratios: number[];
}

/** The environment a function has in Lambda (names are placeholders; only their presence matters). */
export function lambdaEnvironment(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    ...functionEnvironment({ tableName: 'learning-paths-bench', bucketName: 'learning-paths-media-bench' }),

    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDBENCH',
    AWS_SECRET_ACCESS_KEY: 'bench-secret',
    AWS_SESSION_TOKEN: 'bench-token',
    AWS_LAMBDA_FUNCTION_NAME: 'bench',
  };
}

/** Builds one entry's bundle under `dir/name` (inside the repository, so that external modules resolve as they would). */
export async function bundle(entry: string, name: string, dir: string, overrides: Partial<BuildOptions> = {}): Promise<string> {
  const outfile = join(dir, name, 'index.mjs');
  mkdirSync(join(dir, name), { recursive: true });
  await build({
    ...esbuildOptions(join(REPOSITORY_ROOT, entry), outfile),
    absWorkingDir: REPOSITORY_ROOT,
    logLevel: 'silent',
    ...overrides,
  });
  return outfile;
}

function wallMs(args: string[], env: Record<string, string>): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${result.stderr.toString()}`);
  return elapsed;
}

/** Median over `pairs` alternating pairs of (import bundle) / (bare node), after one warm-up of each. */
export function measureImport(file: string, pairs: number, env = lambdaEnvironment()) {
  const importArgs = ['--input-type=module', '-e', `await import(${JSON.stringify(pathToFileURL(file).href)})`];
  const bareArgs = ['-e', '0'];
  wallMs(bareArgs, env);
  wallMs(importArgs, env);
  const bare: number[] = [];
  const imported: number[] = [];
  const ratios: number[] = [];
  for (let index = 0; index < pairs; index++) {
    // Alternate which one runs first, so drift in machine load falls on both alike.
    let bareMs: number;
    let i: number;
    if (index % 2 === 0) {
      bareMs = wallMs(bareArgs, env);
      i = wallMs(importArgs, env);
    } else {
      i = wallMs(importArgs, env);
      bareMs = wallMs(bareArgs, env);
    }
    bare.push(bareMs);
    imported.push(i);
    ratios.push(i / bareMs);
  }
  return { bareMs: median(bare), importMs: median(imported), ratio: median(ratios), ratios };
}

/** Functions that call S3 (and load its client); the others only sign URLs, which takes no call. */
const S3_CALLERS = new Set(['Mutation.deleteLearningPath', 'Mutation.addLearningPathMedia']);

export function usesS3(declaration: ResolverDeclaration): boolean {
  return S3_CALLERS.has(handlerName(declaration));
}

/** Reference bundles, built the same way, that show how much of a cold start no handler code can avoid. */
export const FLOORS = [
  { name: 'Reference: handler without dependencies', entry: 'bench/floor/bare-handler.ts' },
  { name: 'Reference: DynamoDB document client alone', entry: 'bench/floor/dynamodb-client.ts' },
] as const;

export async function measureColdStarts(dir: string, pairs: number): Promise<ColdStart[]> {
  const results: ColdStart[] = [];
  for (const declaration of resolverDeclarations) {
    const file = await bundle(declaration.entry, handlerName(declaration), dir);
    const measured = measureImport(file, pairs);
    results.push({ name: handlerName(declaration), usesS3: usesS3(declaration), bundleBytes: statSync(file).size, ...measured });
  }
  for (const floor of FLOORS) {
    const file = await bundle(floor.entry, floor.name.replace(/\W+/g, '-'), dir);
    results.push({ name: floor.name, usesS3: false, reference: true, bundleBytes: statSync(file).size, ...measureImport(file, pairs) });
  }
  return results;
}
