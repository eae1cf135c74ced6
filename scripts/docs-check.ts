/**
 * `npm run docs:check`: runs the README's tour (the shell blocks between the `docs-check` markers)
 * against a local stack and fails when an output differs from the one the README shows after it.
 * Ids, timestamps, tokens and signatures differ on every run and are compared as placeholders.
 *
 * Options: `--url URL --key KEY` check against a started stack (e.g. `npm start`); otherwise an
 * in-memory stack is started on free ports. `--readme FILE` checks another file.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { REPOSITORY_ROOT } from '../infra/definitions.js';

/** What the README's commands call; the check points them at the stack under test. */
const README_ORIGIN = 'http://localhost:20002';
const README_API_KEY = 'da2-local-development-key';

export interface Example {
  command: string;
  /** The output the README shows right after the command, if it shows one. */
  expected?: string;
}

export interface Outcome extends Example {
  actual: string;
  matches: boolean;
}

/** The tour's commands and the outputs shown after them, in order. */
export function readmeExamples(markdown: string): Example[] {
  const tour = /<!-- docs-check:start -->([\s\S]*?)<!-- docs-check:end -->/.exec(markdown)?.[1];
  if (tour === undefined) throw new Error('The README has no <!-- docs-check:start --> … <!-- docs-check:end --> section');
  const examples: Example[] = [];
  for (const block of tour.matchAll(/```(\w*)\n([\s\S]*?)```/g)) {
    const [, language, body = ''] = block;
    if (language === 'sh') examples.push({ command: body.trimEnd() });
    else if (examples.length > 0 && examples.at(-1)?.expected === undefined) (examples.at(-1) as Example).expected = body.trimEnd();
  }
  return examples;
}

/** Makes two runs comparable: their ids, times, tokens, signatures and the stack's address are equal placeholders. */
export function normalise(text: string, origin: string): string {
  return text
    .replaceAll(origin, README_ORIGIN)
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, '<uuid>')
    .replace(/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z\b/g, '<time>')
    .replace(/\beyJ[\w-]+\.[\w-]+\.[\w-]+/g, '<jwt>')
    .replace(/\?X-Amz-[^"\s]*/g, '?<signature>')
    .replace(/:\d+ms\b|\b\d+ ms\b/g, '<duration>')
    .trim();
}

/**
 * Runs the examples in one bash session, in order, and compares each output with the README's.
 * Asynchronously: the stack may run in this very process.
 */
export async function runExamples(examples: Example[], stack: { graphqlUrl: string; apiKey: string }): Promise<Outcome[]> {
  const origin = new URL(stack.graphqlUrl).origin;
  const marker = (index: number) => `@@docs-check example ${index}@@`;
  const script = examples
    .map(
      ({ command }, index) =>
        `echo '${marker(index)}'\n${command.replaceAll(README_ORIGIN, origin).replaceAll(README_API_KEY, stack.apiKey)}`,
    )
    .join('\n');
  const { stdout } = await promisify(execFile)('bash', ['-c', script], { cwd: REPOSITORY_ROOT, encoding: 'utf8', timeout: 120_000 }).catch(
    (error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }),
  );
  const outputs = stdout.split(/@@docs-check example \d+@@\n?/).slice(1);
  return examples.map((example, index) => {
    const actual = normalise(outputs[index] ?? '', origin);
    const matches = example.expected === undefined || actual === normalise(example.expected, origin);
    return { ...example, actual, matches };
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { url: { type: 'string' }, key: { type: 'string' }, readme: { type: 'string' } } });
  const examples = readmeExamples(readFileSync(values.readme ?? join(REPOSITORY_ROOT, 'README.md'), 'utf8'));
  let stack: { graphqlUrl: string; apiKey: string; stop?: () => Promise<void> };
  if (values.url) stack = { graphqlUrl: values.url, apiKey: values.key ?? README_API_KEY };
  else {
    const { startLocalStack } = await import('../infra/local/stack.js');
    stack = await startLocalStack({ apiKey: README_API_KEY, inMemory: true });
  }
  try {
    const outcomes = await runExamples(examples, stack);
    const failed = outcomes.filter((outcome) => !outcome.matches);
    for (const outcome of failed) {
      console.error(`The README shows:\n${outcome.expected}\nbut\n${outcome.command}\nnow prints:\n${outcome.actual}\n`);
    }
    const checked = outcomes.filter((outcome) => outcome.expected !== undefined).length;
    console.log(`README examples: ${checked - failed.length} of ${checked} outputs match (${outcomes.length} commands run)`);
    process.exitCode = failed.length === 0 ? 0 : 1;
  } finally {
    await stack.stop?.();
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) await main();
