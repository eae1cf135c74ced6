import { inject } from 'vitest';
import { localIamHeaders } from '../../infra/local/iam-signing.js';
import { LOCAL_ISSUER, localIdToken, localSub } from '../../infra/local/tokens.js';

/**
 * How a test request authenticates: as a local Cognito user (ID token from the local generator),
 * with the API key, as an IAM principal (SigV4-signed), or with no credentials at all.
 */
export type Auth =
  | { readonly user: string; readonly groups?: readonly string[] }
  | { readonly apiKey: string }
  | { readonly iam: true }
  | { readonly none: true };

/** The user every request is made as unless a test says otherwise. */
export const DEFAULT_USER = 'tester';
export const asUser = (user: string, ...groups: string[]): Auth => ({ user, groups });
export const asAdmin = (user = 'admin'): Auth => ({ user, groups: ['admins'] });
export const withApiKey = (): Auth => ({ apiKey: inject('localStack').apiKey });
export const asIam: Auth = { iam: true };
export const anonymous: Auth = { none: true };

/** The headers a request carries for the given auth (IAM signs the exact request). */
export async function authHeaders(auth: Auth, url: string, body: string): Promise<Record<string, string>> {
  if ('user' in auth) return { authorization: localIdToken({ user: auth.user, groups: auth.groups ?? [] }) };
  if ('apiKey' in auth) return { 'x-api-key': auth.apiKey };
  if ('none' in auth) return {};
  return localIamHeaders(url, body);
}

/** The AppSync identity of a local Cognito user, as the request template hands it to handlers on AWS. */
export function userIdentity(user: string = DEFAULT_USER, groups: readonly string[] = []) {
  const sub = localSub(user);
  return {
    sub,
    issuer: LOCAL_ISSUER,
    username: user,
    claims: { sub, 'cognito:username': user, ...(groups.length > 0 && { 'cognito:groups': [...groups] }) },
    sourceIp: ['127.0.0.1'],
    defaultAuthStrategy: 'ALLOW',
    groups: groups.length > 0 ? [...groups] : null,
  };
}
