import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/ports.js';

const root = join(import.meta.dirname, '..', '..');

/** pid → parent pid of every process on the machine. */
function processTable(): Map<number, number> {
  const table = new Map<number, number>();
  for (const line of execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' }).trim().split('\n')) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    if (pid !== undefined && ppid !== undefined) table.set(pid, ppid);
  }
  return table;
}

/** `pid` and every process below it. */
function tree(pid: number): number[] {
  const table = processTable();
  const found = [pid];
  for (let index = 0; index < found.length; index += 1) {
    for (const [child, parent] of table) if (parent === found[index]) found.push(child);
  }
  return found.filter((candidate) => table.has(candidate));
}

const commandOf = (pid: number) => {
  try {
    return execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
};

/** The given processes that still run; a zombie (state Z, exited, waiting to be reaped) holds nothing and counts as gone. */
const stillRunning = (pids: number[]) => {
  const states = execFileSync('ps', ['-eo', 'pid=,stat='], { encoding: 'utf8' }).trim().split('\n');
  const running = new Set(
    states
      .map((line) => line.trim().split(/\s+/))
      .filter(([, stat]) => !stat?.startsWith('Z'))
      .map(([pid]) => Number(pid)),
  );
  return pids.filter((pid) => running.has(pid));
};

/**
 * Runs `command` (an npm script) under a plain `sh` that stays its parent, the way a terminal or an
 * IDE runs it, and waits for the line that says it is ready.
 */
async function launch(script: string, env: Record<string, string>, ready: string) {
  const parent = spawn('sh', ['-c', `npm run ${script}; exit 0`], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  parent.stdout?.on('data', (chunk) => (output += chunk));
  parent.stderr?.on('data', (chunk) => (output += chunk));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes(ready)) resolve(clearInterval(timer));
      if (parent.exitCode !== null) reject(new Error(`exited early: ${output}`));
    }, 100);
  });
  const npm = tree(parent.pid as number).find((pid) => commandOf(pid).startsWith('npm run')) as number;
  expect(npm).toBeDefined();
  return { parent, npm, processes: tree(parent.pid as number).filter((pid) => pid !== parent.pid), output: () => output };
}

async function allGone(pids: number[], timeoutMs = 30_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  while (stillRunning(pids).length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
  return stillRunning(pids);
}

const answers = (url: string) =>
  fetch(url, { method: 'POST', signal: AbortSignal.timeout(2000) }).then(
    () => true,
    () => false,
  );

const findJava = (pids: number[]) => pids.find((pid) => commandOf(pid).includes('DynamoDBLocal.jar')) as number;

describe('npm start and npm run web stop everything they started', () => {
  it('npm start: SIGTERM to the npm process stops the API and DynamoDB Local', async () => {
    const port = await freePort();
    const started = await launch('-s start -- --in-memory', { PORT: String(port) }, 'Ctrl-C stops everything');
    expect(findJava(started.processes)).toBeDefined();
    expect(await answers(`http://localhost:${port}/graphql`)).toBe(true);
    process.kill(started.npm, 'SIGTERM');
    expect(await allGone(started.processes)).toEqual([]);
    expect(await answers(`http://localhost:${port}/graphql`)).toBe(false);
  }, 120_000);

  it('npm start: when the program that ran npm dies, everything it started stops', async () => {
    const port = await freePort();
    const started = await launch('-s start -- --in-memory', { PORT: String(port) }, 'Ctrl-C stops everything');
    (started.parent as ChildProcess).kill('SIGKILL');
    expect(await allGone(started.processes)).toEqual([]);
    expect(await answers(`http://localhost:${port}/graphql`)).toBe(false);
  }, 120_000);

  it('npm start: when DynamoDB Local dies, the rest stops too instead of answering with errors', async () => {
    const port = await freePort();
    const started = await launch('-s start -- --in-memory', { PORT: String(port) }, 'Ctrl-C stops everything');
    process.kill(findJava(started.processes), 'SIGTERM');
    expect(await allGone(started.processes)).toEqual([]);
    expect(started.output()).toMatch(/Stopping: process \d+, which this one started, has exited\./);
  }, 120_000);

  it('npm run web: SIGINT to the npm process, or the death of its parent, stops the page server', async () => {
    for (const stop of ['SIGINT to npm', 'parent killed'] as const) {
      const port = await freePort();
      const started = await launch('-s web', { WEB_PORT: String(port) }, 'Ctrl-C stops it');
      expect(await answers(`http://localhost:${port}/`)).toBe(true);
      if (stop === 'SIGINT to npm') process.kill(started.npm, 'SIGINT');
      else started.parent.kill('SIGKILL');
      expect(await allGone(started.processes)).toEqual([]);
      expect(await answers(`http://localhost:${port}/`)).toBe(false);
    }
  }, 120_000);
});
