import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { readmeExamples, runExamples } from '../../scripts/docs-check.js';

const stack = inject('localStack');
const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

describe("the README's tour (npm run docs:check)", () => {
  it('prints what the README shows, command by command', async () => {
    const outcomes = await runExamples(readmeExamples(readme), stack);
    expect(outcomes.filter((outcome) => outcome.expected !== undefined).length).toBeGreaterThanOrEqual(5);
    expect(outcomes.filter((outcome) => !outcome.matches).map((outcome) => ({ command: outcome.command, actual: outcome.actual }))).toEqual(
      [],
    );
  });

  it('notices an output the README shows that no longer matches', async () => {
    const stale = readme.replace('"version":2}}}', '"version":7}}}');
    expect(stale).not.toBe(readme);
    const outcomes = await runExamples(readmeExamples(stale), stack);
    expect(outcomes.filter((outcome) => !outcome.matches).map((outcome) => outcome.actual)).toEqual([
      expect.stringContaining('"version":2'),
    ]);
  });
});
