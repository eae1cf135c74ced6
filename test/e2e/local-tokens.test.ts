import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const stack = inject('localStack');

/** `npm run -s token -- ARGS`, without npm's own start-up. */
const tokenCli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(root, 'infra', 'local', 'token-cli.ts'), ...args], { cwd: root, encoding: 'utf8' });

const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString('utf8'));

describe('local tokens', () => {
  it('the CLI explains its options with --help, lifetime included', () => {
    const help = tokenCli('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--expires-in SECONDS lifetime, 1 to 86400; default 3600 (one hour)');
  });

  it.each([
    [[], 'token: --user NAME is required (npm run -s token -- --help)'],
    [['--user'], "token: Option '--user <value>' argument missing (npm run -s token -- --help)"],
    [['--user', 'alice', '--bogus'], "token: Unknown option '--bogus' (npm run -s token -- --help)"],
    [
      ['--user', 'alice', '--expires-in', '0'],
      'token: expires-in: must be a whole number of seconds from 1 to 86400 (npm run -s token -- --help)',
    ],
    [['--user', 'a b'], 'token: user: must be 1 to 128 characters without spaces (npm run -s token -- --help)'],
  ])('the CLI refuses %j in one line on stderr, exit code 2', (args, message) => {
    const result = tokenCli(...args);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(
      result.stderr
        .trim()
        .split('\n')
        .filter((line) => line.startsWith('token:')),
    ).toEqual([message]);
  });

  it('the CLI token lives as long as asked', () => {
    const token = claims(tokenCli('--user', 'alice', '--expires-in', '120').stdout.trim());
    expect(token.exp - token.iat).toBe(120);
  });

  it("the stack's token route mints the CLI's token: same claims, same sub", async () => {
    const response = await fetch(new URL('/local/token', stack.graphqlUrl), {
      method: 'POST',
      body: JSON.stringify({ user: 'alice', groups: ['admins'] }),
    });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const session = (await response.json()) as { token: string; sub: string; expiresAt: number };
    const fromCli = claims(tokenCli('--user', 'alice', '--group', 'admins').stdout.trim());
    const { iat, exp, auth_time, ...same } = claims(session.token);
    const { iat: _iat, exp: _exp, auth_time: _auth, ...cliSame } = fromCli;
    expect(same).toEqual(cliSame);
    expect(session.sub).toBe(fromCli.sub);
    expect(exp - iat).toBe(3600);
    expect(session.expiresAt).toBe(exp * 1000);
    expect(auth_time).toBe(iat);
  });

  it("the stack's token route refuses a bad user name with HTTP 400 and the rule", async () => {
    const response = await fetch(new URL('/local/token', stack.graphqlUrl), { method: 'POST', body: JSON.stringify({ user: '' }) });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'user: must be 1 to 128 characters without spaces' });
  });
});
