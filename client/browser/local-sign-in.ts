/**
 * Sign-in against the local stack (`npm start`): it mints the same Cognito-shaped ID token as
 * `npm run -s token -- --user NAME [--group GROUP]`, so a user signed in here is the CLI's user,
 * `sub` included. Local development only: a deployed API takes tokens from its Cognito user pool
 * (for example through Amplify Auth) and refuses these.
 */

/** A signed-in local user: the token to send as `Authorization`, and who it says the caller is. */
export interface LocalSession {
  token: string;
  user: string;
  sub: string;
  groups: string[];
  /** When the token expires, in milliseconds since the epoch. */
  expiresAt: number;
}

/** The path, on the API's origin, where the local stack mints tokens. */
export const LOCAL_TOKEN_PATH = '/local/token';

/** Signs in as `user` (optionally in `groups`) on the local stack whose GraphQL URL is given. */
export async function signInLocally(graphqlUrl: string, user: string, groups: readonly string[] = []): Promise<LocalSession> {
  const response = await fetch(new URL(LOCAL_TOKEN_PATH, graphqlUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user, groups }),
  });
  const body = (await response.json()) as LocalSession | { error: string };
  if ('error' in body) throw new Error(body.error);
  return body;
}

/** True while the session's token has more than a minute left. */
export const isFresh = (session: LocalSession) => session.expiresAt - Date.now() > 60_000;
