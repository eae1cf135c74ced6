/**
 * `npm run -s token -- --user alice [--group admins]... [--expires-in SECONDS]`: prints a
 * Cognito-shaped ID token that the local stack accepts, for the Authorization header. Local
 * development only: the local AppSync does not verify signatures, so anyone can mint any user's token.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_TOKEN_LIFETIME_SECONDS, LocalTokenError, localIdToken, MAX_TOKEN_LIFETIME_SECONDS } from './tokens.js';

const USAGE = `Usage: npm run -s token -- --user NAME [--group GROUP]... [--expires-in SECONDS]

Prints a Cognito-shaped ID token for the local stack (npm start): send it as the Authorization header.
The same NAME always gets the same sub, so a user's paths stay theirs across restarts.

  --user NAME          the user name (cognito:username); required
  --group GROUP        a Cognito group, e.g. admins (may change any path); repeat for more
  --expires-in SECONDS lifetime, 1 to ${MAX_TOKEN_LIFETIME_SECONDS}; default ${DEFAULT_TOKEN_LIFETIME_SECONDS} (one hour)
  --help               this text

Local development only: the local API decodes tokens without verifying them; AWS refuses them.`;

/** One line on stderr and exit code 2, as for any command-line mistake. */
function fail(message: string): never {
  console.error(`token: ${message} (npm run -s token -- --help)`);
  process.exit(2);
}

let values: { user?: string; group?: string[]; 'expires-in'?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      user: { type: 'string' },
      group: { type: 'string', multiple: true },
      'expires-in': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (error) {
  // Node's messages go on with advice about positional arguments; the first sentence says it.
  fail((error as Error).message.split(/\.\s|\n/)[0] ?? 'invalid arguments');
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (values.user === undefined) fail('--user NAME is required');
const lifetime = values['expires-in'];
if (lifetime !== undefined && !/^\d+$/.test(lifetime)) fail(`expires-in: must be a whole number of seconds, got "${lifetime}"`);
try {
  console.log(
    localIdToken({
      user: values.user,
      groups: values.group ?? [],
      expiresInSeconds: lifetime === undefined ? undefined : Number(lifetime),
    }),
  );
} catch (error) {
  if (!(error instanceof LocalTokenError)) throw error;
  fail(error.message);
}
