import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/ports.js';
import { localIdToken } from '../../infra/local/tokens.js';

const root = join(import.meta.dirname, '..', '..');
const main = join(root, 'infra', 'local', 'main.ts');
const tsx = ['--import', 'tsx', main];
const dataDir = mkdtempSync(join(tmpdir(), 'learning-paths-start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Runs `npm start`'s entry point as a separate process, the way a developer does. */
async function start(port: number): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [...tsx, '--data-dir', dataDir], {
    cwd: root,
    env: { ...process.env, PORT: String(port), API_KEY: 'da2-process-test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes('Ctrl-C stops everything')) resolve(clearInterval(timer));
      if (child.exitCode !== null) reject(new Error(`exited early: ${output}`));
    }, 100);
  });
  return { child, output: () => output };
}

const javaProcessesOn = (port: number) =>
  execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes('DynamoDBLocal.jar') && line.includes(`-port ${port}`));

const gql = (port: number, query: string) =>
  fetch(`http://localhost:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: localIdToken({ user: 'process-test' }) },
    body: JSON.stringify({ query }),
  }).then((response) => response.json() as Promise<{ data: Record<string, { id: string; name: string } | null> }>);

describe('npm start as a process', () => {
  it('prints its URLs and key, keeps data across restarts, and leaves no Java process after SIGTERM', async () => {
    const port = await freePort();
    const first = await start(port);
    expect(first.output()).toContain(`GraphQL:   http://localhost:${port}/graphql`);
    expect(first.output()).toContain('API key:   da2-process-test');
    expect(first.output()).toContain('npm run -s token -- --user alice');
    expect(first.output()).toContain(`Explorer:  http://localhost:${port}/`);
    const dynamoPort = Number(
      /-port (\d+)/.exec(execFileSync('ps', ['-o', 'args', '--ppid', String(first.child.pid)], { encoding: 'utf8' }))?.[1],
    );
    expect(javaProcessesOn(dynamoPort)).toHaveLength(1);

    const created = await gql(port, 'mutation { createLearningPath(input: { name: "Persisted" }) { id } }');
    const id = created.data.createLearningPath?.id;
    first.child.kill('SIGTERM');
    const code = await new Promise((resolve) => first.child.once('exit', resolve));
    expect(code).toBe(0);
    expect(javaProcessesOn(dynamoPort)).toEqual([]);

    const second = await start(port);
    const read = await gql(port, `query { learningPath(id: "${id}") { id name } }`);
    expect(read.data.learningPath).toEqual({ id, name: 'Persisted' });
    second.child.kill('SIGINT');
    await new Promise((resolve) => second.child.once('exit', resolve));
  }, 120_000);

  it('says in one line that Java is missing, with the install command, and exits non-zero', () => {
    const result = spawnSync(process.execPath, [...tsx, '--in-memory'], {
      cwd: root,
      env: { ...process.env, PORT: '1', PATH: join(root, 'node_modules', '.bin') },
      encoding: 'utf8',
    });
    expect(result.status).not.toBe(0);
    const lines = result.stderr.split('\n').filter((line) => line.includes('Java'));
    expect(lines).toEqual([expect.stringContaining('apt-get install -y openjdk-17-jre-headless')]);
  });
});
