/**
 * How long a local process (`npm start`, `npm run web`) lives: until SIGINT, SIGTERM or SIGHUP
 * reaches it, or until a process of its launch chain (npm, its `sh -c`, tsx, and the program that
 * ran npm) or a child it started (DynamoDB Local's Java) goes away. npm does not pass SIGTERM on to
 * tsx's child, and nothing tells a process that its grandparent died, hence the watch.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const WATCH_INTERVAL_MS = 500;
/** Commands that are only the launcher's plumbing; the first ancestor not like these is the launcher. */
const PLUMBING = /(^|\/)(npm|npx|tsx|vite)(\.js|\.cjs|\.mjs)?(\s|$)|npm-cli\.js|(^|\/)(ba|da)?sh -c |\/tsx\/dist\//;

interface ProcessInfo {
  ppid: number;
  args: string;
}

function processInfo(pid: number): ProcessInfo | undefined {
  try {
    if (existsSync('/proc/self/stat')) {
      // The command name in /proc/PID/stat may contain spaces: the fields after its closing ")" are fixed.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      return { ppid, args };
    }
    const line = execFileSync('ps', ['-o', 'ppid=,args=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    const match = /^(\d+)\s+(.*)$/.exec(line);
    return match ? { ppid: Number(match[1]), args: match[2] as string } : undefined;
  } catch {
    return undefined;
  }
}

/** This process's ancestors up to and including the launcher (never init, which cannot go away). */
export function launchChain(pid = process.pid): number[] {
  const chain: number[] = [];
  let current = processInfo(pid)?.ppid;
  while (current !== undefined && current > 1 && chain.length < 16) {
    chain.push(current);
    const info = processInfo(current);
    if (!info || !PLUMBING.test(info.args)) break;
    current = info.ppid;
  }
  return chain;
}

/**
 * The services this process started and still has (Linux; elsewhere none are watched). esbuild's
 * helper process comes and goes with tsx and vite, so it is no service.
 */
function services(): number[] {
  if (!existsSync('/proc/self/stat')) return [];
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      const info = processInfo(pid);
      return info?.ppid === process.pid && !/esbuild/.test(info.args);
    });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Calls `stop` once, then exits, when a signal arrives or the launch chain or a service it started
 * breaks. Call it once everything has started, so that the services are known.
 */
export function stopTogether(stop: () => Promise<void>, log: (message: string) => void = console.error): void {
  let stopping = false;
  const shutdown = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    clearInterval(watch);
    if (code !== 0) log(`Stopping: ${reason}.`);
    // A stop that hangs must not keep the process alive.
    setTimeout(() => process.exit(code), 10_000).unref();
    await stop().catch((error: Error) => log(`While stopping: ${error.message}`));
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(signal, 0));
  const chain = launchChain();
  const started = services();
  const watch = setInterval(() => {
    const parentGone = chain.find((pid) => !alive(pid));
    if (parentGone !== undefined) return void shutdown(`process ${parentGone}, which started this one, has exited`, 0);
    const childGone = started.find((pid) => !alive(pid));
    if (childGone !== undefined) void shutdown(`process ${childGone}, which this one started, has exited`, 1);
  }, WATCH_INTERVAL_MS);
  watch.unref();
}
