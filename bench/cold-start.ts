/**
 * Cold start per function on the Node.js running the benchmark (the Lambda runtime's major, see
 * .node-version): each function's package as `cdk synth` writes it to cdk.out, loaded the way the
 * Lambda runtime loads a handler, against a bare `node -e 0`, in rotating rounds, in a clean
 * environment holding only the function's variables, as in Lambda (this machine's shells set
 * NODE_EXTRA_CA_CERTS, which some Node.js versions read at start). Loading is the whole cold-start cost
 * the code controls; no invocation is made. Reference bundles and the levers are built in the same run.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { type BuildOptions, build } from 'esbuild';
import { esbuildOptions, functionBundling, HANDLER_FILE, LAZY_BUILTINS } from '../infra/bundling.js';
import { ApiStack } from '../infra/cdk/api-stack.js';
import { stageSettings } from '../infra/cdk/stage.js';
import { compileCacheEnvironment, loaderArgs, placeholderLambdaEnvironment, writeCompileCache } from '../infra/compile-cache.js';
import { REPOSITORY_ROOT } from '../infra/definitions.js';
import { handlerName, type ResolverDeclaration, resolverDeclarations } from '../resolvers/declarations.js';
import { median } from './stats.js';

/** Targets of the load time above a bare node, in ms: functions that call only DynamoDB, and those that call S3. */
export const COLD_START_TARGET_MS = { dynamoDb: 30, s3: 50 } as const;

/** Functions that call S3 (and load its client); the others only sign URLs, which takes no call. */
const S3_CALLERS = new Set(['Mutation.deleteLearningPath', 'Mutation.addLearningPathMedia']);

export function usesS3(declaration: ResolverDeclaration): boolean {
  return S3_CALLERS.has(handlerName(declaration));
}

/**
 * Synthesizes the API stack with its real bundling into `outdir` (a cdk.out) and returns, by handler
 * name, the directory of each function's code asset: exactly what `cdk deploy` uploads.
 */
export function synthesizeBundles(outdir: string): Map<string, string> {
  const app = new App({ outdir });
  const stack = new ApiStack(app, 'LearningPaths-bench', { settings: stageSettings('dev'), corsOrigins: [] });
  const assembly = app.synth();
  const template = JSON.parse(readFileSync(join(assembly.directory, stack.templateFile), 'utf8')) as {
    Resources: Record<string, { Type: string; Properties: { Description?: string; Code?: { S3Key?: string } } }>;
  };
  const assets = new Map<string, string>();
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const name = resource.Properties.Description?.replace('AppSync resolver ', '') ?? '';
    const key = resource.Properties.Code?.S3Key?.replace(/\.zip$/, '') ?? '';
    assets.set(name, join(assembly.directory, `asset.${key}`));
  }
  return assets;
}

/** The handler module Lambda loads from a function package (`index.handler`). */
export function handlerFile(packageDir: string): string {
  const file = [HANDLER_FILE, 'index.mjs'].map((name) => join(packageDir, name)).find(existsSync);
  if (!file) throw new Error(`No handler module in ${packageDir}`);
  return file;
}

/** Builds `entry` (a file, or module source given as `stdin`) into package directory `dir` with the stack's options, changed by `overrides`. */
async function buildPackage(entry: string | BuildOptions['stdin'], dir: string, overrides: Partial<BuildOptions> = {}): Promise<string> {
  const esm = (overrides.format ?? functionBundling.format) === 'esm';
  const outfile = join(dir, esm ? 'index.mjs' : HANDLER_FILE);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const options = esbuildOptions(typeof entry === 'string' ? join(REPOSITORY_ROOT, entry) : '', outfile);
  await build({
    ...options,
    ...(typeof entry === 'string'
      ? {}
      : { entryPoints: undefined, stdin: { contents: '', resolveDir: REPOSITORY_ROOT, loader: 'ts', ...entry } }),
    ...(esm && { banner: { js: ESM_REQUIRE_BANNER } }),
    absWorkingDir: REPOSITORY_ROOT,
    logLevel: 'silent',
    ...overrides,
  });
  return outfile;
}

/** What ES module output needs for bundled CommonJS code that calls `require`. */
const ESM_REQUIRE_BANNER = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/** A copy of a package with a compile cache written by this Node.js: the "with cache" side of a comparison. */
function withCompileCache(packageDir: string, copyDir: string): Candidate {
  rmSync(copyDir, { recursive: true, force: true });
  cpSync(packageDir, copyDir, { recursive: true });
  const file = handlerFile(copyDir);
  writeCompileCache(copyDir, file);
  return { file, compileCache: true };
}

/** A bundle to load: its handler module, and whether Node.js is pointed at the package's compile cache. */
interface Candidate {
  file: string;
  compileCache?: boolean;
}

/** Prints the process's CPU time (user + system, ms) as its last act. */
const PRINT_CPU = ';{ const { user, system } = process.cpuUsage(); process.stdout.write(String((user + system) / 1000)); }';

/** Wall time of one `node` process (ms, seen from here) and the CPU time it reports for itself (ms). */
function timed(args: string[], env: Record<string, string>): { wall: number; cpu: number } {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${result.stderr.toString()}`);
  return { wall, cpu: Number(result.stdout.toString()) };
}

/** Loading figures of one candidate: medians over the rounds of one run. */
export interface Load {
  bareMs: number;
  /** Fastest bare start. */
  bestBareMs: number;
  importMs: number;
  /** Median over rounds of (load − bare node) in the same round. */
  aboveMs: number;
  /** Fastest load − fastest bare start: other work on the machine only ever adds time, so this approaches the idle figure. */
  bestAboveMs: number;
  /** Median over rounds of load / bare node in the same round. */
  ratio: number;
  /** The same difference in CPU time, which the processes report for themselves. */
  aboveCpuMs: number;
}

/**
 * Times each candidate against a bare `node -e 0` over `rounds` rounds, after one warm-up of each.
 * Each round runs bare node once and every candidate once, in an order that rotates from round to
 * round, so drift in machine load falls on all alike. CPU time moves far less than wall time with
 * other work on the machine.
 */
function measureLoads(candidates: readonly Candidate[], rounds: number): Load[] {
  const env = placeholderLambdaEnvironment();
  const runs = [
    { args: ['-e', `0${PRINT_CPU}`], env },
    ...candidates.map((candidate) => {
      const [flag, evalFlag, script] = loaderArgs(candidate.file) as [string, string, string];
      return {
        args: [flag, evalFlag, `${script}${PRINT_CPU}`],
        env: candidate.compileCache ? { ...env, ...compileCacheEnvironment(dirname(candidate.file)) } : env,
      };
    }),
  ];
  for (const run of runs) timed(run.args, run.env);
  const times = runs.map(() => [] as { wall: number; cpu: number }[]);
  for (let round = 0; round < rounds; round++) {
    for (let step = 0; step < runs.length; step++) {
      const index = (round + step) % runs.length;
      const run = runs[index] as (typeof runs)[number];
      times[index]?.push(timed(run.args, run.env));
    }
  }
  const bare = times[0] as { wall: number; cpu: number }[];
  const bareAt = (round: number) => bare[round] as { wall: number; cpu: number };
  return candidates.map((_, index) => {
    const loads = times[index + 1] as { wall: number; cpu: number }[];
    return {
      bareMs: median(bare.map((t) => t.wall)),
      bestBareMs: Math.min(...bare.map((t) => t.wall)),
      importMs: median(loads.map((t) => t.wall)),
      aboveMs: median(loads.map((t, round) => t.wall - bareAt(round).wall)),
      bestAboveMs: Math.min(...loads.map((t) => t.wall)) - Math.min(...bare.map((t) => t.wall)),
      ratio: median(loads.map((t, round) => t.wall / bareAt(round).wall)),
      aboveCpuMs: median(loads.map((t, round) => t.cpu - bareAt(round).cpu)),
    };
  });
}

/** One row of the cold-start table: a function of the stack or a reference bundle. */
export interface ColdStart extends Load {
  name: string;
  /** Whether the function calls S3 (target: 50 ms above bare node) or only DynamoDB (30 ms); undefined for references. */
  usesS3?: boolean;
  bundleBytes: number;
  /** The same package with a compile cache made by this Node.js. */
  withCache: Load;
}

/** One lever: the shipped build of a function against the same build with one thing changed. */
export interface Lever {
  function: string;
  variant: string;
  bundleBytes: number;
  load: Load;
}

/**
 * Reference bundles, built in the same run: a naive bundle (esbuild's defaults for an ES module on
 * Node.js, the SDK bundled with its default credential chain) and the floor without an SDK client.
 */
const REFERENCES = [
  {
    name: 'Reference: naive bundle, document client GetItem (esbuild defaults, ESM)',
    entry: 'bench/floor/dynamodb-client.ts',
    naive: true,
  },
  { name: 'Reference: floor, GetItem signed with SigV4 over fetch (no SDK client)', entry: 'bench/floor/sigv4-fetch.ts', naive: false },
] as const;

/** esbuild's defaults for an ES module bundle on Node.js, with the banner such a bundle needs to run at all. */
function naiveOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [join(REPOSITORY_ROOT, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: functionBundling.target,
    minify: true,
    banner: { js: ESM_REQUIRE_BANNER },
    absWorkingDir: REPOSITORY_ROOT,
    logLevel: 'silent',
  };
}

/** Functions whose builds are varied one lever at a time: one DynamoDB-only, one that calls S3. */
export const LEVER_FUNCTIONS = ['Query.learningPath', 'Mutation.addLearningPathMedia'] as const;

/** The levers, each one change to the shipped build; the last one reverts all of them together. */
function leverVariants(entry: string): { variant: string; source: string | BuildOptions['stdin']; overrides: Partial<BuildOptions> }[] {
  const noLazyBuiltins = {
    alias: Object.fromEntries(Object.entries(esbuildOptions('', '').alias ?? {}).filter(([name]) => !(name in LAZY_BUILTINS))),
  };
  // The handler with file-type imported at start, as media-kinds.ts did before it imported it on first use.
  const eagerFileType = { contents: `import 'file-type';\nexport { handler } from './${entry}';\n` };
  return [
    { variant: 'as an ES module (format esm)', source: entry, overrides: { format: 'esm' } },
    { variant: 'node:zlib loaded at start', source: entry, overrides: noLazyBuiltins },
    { variant: 'file-type loaded at start', source: eagerFileType, overrides: {} },
    { variant: 'all three (the Node 22 build)', source: eagerFileType, overrides: { format: 'esm', ...noLazyBuiltins } },
  ];
}

/**
 * Synthesizes the stack into `dir/cdk.out`, builds the references and the lever variants under `dir`,
 * and measures them all; the directory must lie outside the repository, whose package.json would make
 * a CommonJS `index.js` an ES module.
 */
export async function measureColdStarts(dir: string, rounds: number): Promise<{ rows: ColdStart[]; levers: Lever[] }> {
  rmSync(dir, { recursive: true, force: true });
  const packages = synthesizeBundles(join(dir, 'cdk.out'));
  const rows: { name: string; usesS3?: boolean; plain: Candidate; cached: Candidate }[] = [];
  for (const declaration of resolverDeclarations) {
    const name = handlerName(declaration);
    const packageDir = packages.get(name);
    if (!packageDir) throw new Error(`No package for ${name} in cdk.out`);
    rows.push({
      name,
      usesS3: usesS3(declaration),
      plain: { file: handlerFile(packageDir) },
      cached: withCompileCache(packageDir, join(dir, 'cached', name)),
    });
  }
  for (const reference of REFERENCES) {
    const packageDir = join(dir, 'references', reference.name.replace(/\W+/g, '-'));
    mkdirSync(packageDir, { recursive: true });
    let file: string;
    if (reference.naive) {
      file = join(packageDir, 'index.mjs');
      await build(naiveOptions(reference.entry, file));
    } else {
      file = await buildPackage(reference.entry, packageDir);
    }
    rows.push({ name: reference.name, plain: { file }, cached: withCompileCache(packageDir, `${packageDir}-cached`) });
  }
  const leverCandidates: { function: string; variant: string; candidate: Candidate }[] = [];
  for (const name of LEVER_FUNCTIONS) {
    const declaration = resolverDeclarations.find((d) => handlerName(d) === name);
    if (!declaration) throw new Error(`No resolver ${name}`);
    for (const [index, lever] of leverVariants(declaration.entry).entries()) {
      const file = await buildPackage(lever.source, join(dir, 'levers', name, String(index)), lever.overrides);
      leverCandidates.push({ function: name, variant: lever.variant, candidate: { file } });
    }
  }
  const candidates = [...rows.flatMap((row) => [row.plain, row.cached]), ...leverCandidates.map((l) => l.candidate)];
  const sizes = candidates.map((candidate) => statSync(candidate.file).size);
  const loads = measureLoads(candidates, rounds);
  rmSync(dir, { recursive: true, force: true });
  const at = (index: number) => loads[index] as Load;
  return {
    rows: rows.map((row, index) => ({
      name: row.name,
      ...(row.usesS3 !== undefined && { usesS3: row.usesS3 }),
      bundleBytes: sizes[2 * index] as number,
      ...at(2 * index),
      withCache: at(2 * index + 1),
    })),
    levers: leverCandidates.map((lever, index) => ({
      function: lever.function,
      variant: lever.variant,
      bundleBytes: sizes[2 * rows.length + index] as number,
      load: at(2 * rows.length + index),
    })),
  };
}
