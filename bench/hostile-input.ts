/**
 * `npm run bench:hostile`: how long the API takes to answer hostile requests, next to normal ones.
 * Starts an in-memory local stack, sends each request BENCH_HOSTILE_RUNS times (default 3) with a
 * small read by another client in flight, and times the validation functions alone on the largest
 * inputs (what a Lambda spends on AWS). Prints the tables and writes them to bench/HOSTILE-RESULTS.md.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { REPOSITORY_ROOT, REQUEST_LIMITS } from '../infra/definitions.js';
import { startLocalStack } from '../infra/local/stack.js';
import { localIdToken } from '../infra/local/tokens.js';
import { parseAddMediaInput, parseCreateInput, parseId } from '../resolvers/learning-paths/validation.js';
import { fixed, median } from './stats.js';

const RUNS = Number(process.env.BENCH_HOSTILE_RUNS ?? 3);
const log = (line: string) => process.stdout.write(`${line}\n`);
const sections: string[] = [];

function table(title: string, header: string[], rows: (string | number)[][], note: string): void {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, column) => Math.max(3, ...cells.map((row) => (row[column] ?? '').length)));
  const line = (row: string[]) => `| ${row.map((cell, column) => cell.padEnd(widths[column] ?? 3)).join(' | ')} |`;
  const text = [
    `### ${title}`,
    '',
    line(header),
    line(widths.map((width) => '-'.repeat(width))),
    ...cells.slice(1).map(line),
    '',
    note,
  ].join('\n');
  sections.push(text);
  log(`\n${text}`);
}

const started = Date.now();
const stack = await startLocalStack({ apiKey: 'da2-bench-hostile', inMemory: true });
const owner = { authorization: localIdToken({ user: 'bench-hostile' }) };
const apiKey = { 'x-api-key': stack.apiKey };
const aliases = (count: number, field: (index: number) => string) => Array.from({ length: count }, (_, index) => field(index)).join(' ');

async function send(body: Buffer | string, headers: Record<string, string>): Promise<{ status: number; ms: number; errorType: string }> {
  const start = performance.now();
  const response = await fetch(stack.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await response.text();
  const ms = performance.now() - start;
  let errorType = '';
  try {
    const errors = (JSON.parse(text) as { errors?: { errorType?: string; message?: string }[] }).errors ?? [];
    errorType = errors[0] ? (errors[0].errorType ?? 'GraphQL validation') : '';
  } catch {
    errorType = 'not JSON';
  }
  return { status: response.status, ms, errorType };
}

const gql = (query: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query, variables });
const READ = gql('query { learningPaths(limit: 1) { nextToken } }');
const created = JSON.parse(
  await (
    await fetch(stack.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...owner },
      body: gql('mutation { createLearningPath(input: { name: "Bench" }) { id } }'),
    })
  ).text(),
).data.createLearningPath.id as string;
const attach = (content: string) =>
  gql('mutation ($input: AddLearningPathMediaInput!) { addLearningPathMedia(input: $input) { id } }', { input: { id: created, content } });
const create = (name: string) =>
  gql('mutation ($input: CreateLearningPathInput!) { createLearningPath(input: $input) { id } }', { input: { name } });

const requests: { name: string; body: Buffer | string; headers: Record<string, string> }[] = [
  { name: 'normal read (learningPaths, limit 1)', body: READ, headers: apiKey },
  { name: 'normal create', body: create('Bench create'), headers: owner },
  { name: "content '=' × 160 000 + 'A'", body: attach(`${'='.repeat(160_000)}A`), headers: owner },
  { name: 'content just over 512 KiB', body: attach('A'.repeat(699_056)), headers: owner },
  { name: 'content of 4 500 000 characters', body: attach('A'.repeat(4_500_000)), headers: owner },
  { name: 'name of 6 MB', body: create('n'.repeat(6 * 1024 * 1024)), headers: owner },
  {
    name: '2 000 aliased creates',
    body: gql(`mutation { ${aliases(2000, (i) => `c${i}: createLearningPath(input: { name: "x${i}" }) { id }`)} }`),
    headers: owner,
  },
  {
    name: '1 500 aliased listings',
    body: gql(`query { ${aliases(1500, (i) => `l${i}: learningPaths(limit: 100) { nextToken }`)} }`),
    headers: apiKey,
  },
  {
    name: '40 000 unused variables',
    body: gql(`query (${aliases(40_000, (i) => `$v${i}: Int`)}) { learningPaths(limit: 1) { nextToken } }`),
    headers: apiKey,
  },
  {
    name: '20 000 aliased __schema',
    body: gql(`query { ${aliases(20_000, (i) => `s${i}: __schema { queryType { name } }`)} }`),
    headers: apiKey,
  },
  {
    name: '5 000 fields in one selection',
    body: gql(`query { learningPaths { items { ${aliases(5000, (i) => `n${i}: name`)} } } }`),
    headers: apiKey,
  },
  {
    name: 'gzip bomb (64 MB in 64 KB)',
    body: gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20)),
    headers: { ...apiKey, 'content-encoding': 'gzip' },
  },
];

const rows: (string | number)[][] = [];
let slowestHostile = { name: '', ms: 0 };
for (const request of requests) {
  const times: number[] = [];
  const reads: number[] = [];
  let outcome = { status: 0, errorType: '' };
  for (let run = 0; run < RUNS; run++) {
    // A small read by another client, sent while the request is handled.
    const hostile = send(request.body, request.headers);
    const read = send(READ, apiKey);
    const [answer, other] = await Promise.all([hostile, read]);
    times.push(answer.ms);
    reads.push(other.ms);
    outcome = answer;
  }
  const worst = Math.max(...times);
  if (!request.name.startsWith('normal') && worst > slowestHostile.ms) slowestHostile = { name: request.name, ms: worst };
  rows.push([
    request.name,
    fixed(Buffer.byteLength(request.body) / 1024, 0),
    `${outcome.status} ${outcome.errorType}`.trim(),
    fixed(median(times), 1),
    fixed(worst, 1),
    fixed(Math.max(...reads), 1),
  ]);
}
table(
  'Request handling through the local API',
  ['Request', 'Size (KiB)', 'Answer', 'Median (ms)', 'Max (ms)', 'Concurrent small read, max (ms)'],
  rows,
  `${RUNS} runs each; limits from infra/definitions.ts (request ${REQUEST_LIMITS.requestBytes} bytes, ${REQUEST_LIMITS.resolverCount} resolvers, depth ${REQUEST_LIMITS.queryDepth}, ${REQUEST_LIMITS.documentTokens} tokens, ${REQUEST_LIMITS.documentFields} fields, ${REQUEST_LIMITS.validationErrors} validation errors). Largest hostile request-handling time: ${fixed(slowestHostile.ms, 1)} ms (${slowestHostile.name}).`,
);

const validationRows: (string | number)[][] = [];
const id = randomUUID();
const inputs: [string, (value: string) => unknown, string][] = [
  ["content '=' × 160 000 + 'A'", (content) => parseAddMediaInput({ id, content }), `${'='.repeat(160_000)}A`],
  ['content of 4 500 000 characters', (content) => parseAddMediaInput({ id, content }), 'A'.repeat(4_500_000)],
  ['content of 20 000 000 characters', (content) => parseAddMediaInput({ id, content }), 'A'.repeat(20_000_000)],
  ['valid content of 512 KiB', (content) => parseAddMediaInput({ id, content }), Buffer.alloc(512 * 1024, 7).toString('base64')],
  ['name of 6 000 000 characters', (name) => parseCreateInput({ name }), 'x'.repeat(6_000_000)],
  ['name of 200 emoji', (name) => parseCreateInput({ name }), '😀'.repeat(200)],
  ['id of 1 000 000 characters', (value) => parseId(value), 'a'.repeat(1_000_000)],
];
for (const [name, parse, value] of inputs) {
  const times: number[] = [];
  let answer = 'accepted';
  for (let run = 0; run < 5; run++) {
    const start = performance.now();
    try {
      parse(value);
    } catch (error) {
      answer = (error as Error).name;
    }
    times.push(performance.now() - start);
  }
  validationRows.push([name, answer, fixed(median(times), 2), fixed(Math.max(...times), 2)]);
}
table(
  'Validation alone (what a Lambda spends before refusing)',
  ['Input', 'Answer', 'Median (ms)', 'Max (ms)'],
  validationRows,
  'Five runs each, in this process; the strings are built outside the timing.',
);

await stack.stop();
const header = `# Hostile-input benchmark\n\nMeasured by \`npm run bench:hostile\` on ${new Date().toISOString().slice(0, 10)}: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}. Whole run ${fixed((Date.now() - started) / 1000, 0)} s.\nOther work on the machine shows up as noise.\n`;
writeFileSync(join(REPOSITORY_ROOT, 'bench', 'HOSTILE-RESULTS.md'), `${header}\n${sections.join('\n\n')}\n`);
log('\nWrote bench/HOSTILE-RESULTS.md');
