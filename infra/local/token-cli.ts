/**
 * `npm run token -- --user alice [--group admins]...`: prints a Cognito-shaped ID token that the
 * local stack accepts, for the Authorization header. Local development only: the local AppSync does
 * not verify signatures, so anyone can mint any user's token.
 */
import { parseArgs } from 'node:util';
import { localIdToken } from './tokens.js';

const { values } = parseArgs({
  options: { user: { type: 'string' }, group: { type: 'string', multiple: true }, 'expires-in': { type: 'string' } },
});
if (!values.user) {
  console.error('usage: npm run token -- --user NAME [--group GROUP]... [--expires-in SECONDS]');
  process.exit(1);
}
const expiresInSeconds = values['expires-in'] === undefined ? undefined : Number(values['expires-in']);
if (expiresInSeconds !== undefined && !(Number.isInteger(expiresInSeconds) && expiresInSeconds > 0)) {
  console.error('--expires-in must be a positive whole number of seconds');
  process.exit(1);
}
console.log(localIdToken({ user: values.user, groups: values.group ?? [], expiresInSeconds }));
