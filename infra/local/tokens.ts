/**
 * Cognito-shaped ID tokens for the local stack. The AppSync simulator decodes a token without
 * verifying its signature, so these are signed with a fixed development key that proves nothing:
 * they are for local development only, and no deployed API accepts them.
 */
import { createHmac } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';

/** The user pool the local tokens claim to come from; the simulator only checks the issuer's prefix. */
export const LOCAL_USER_POOL_ID = 'us-east-1_localdev';
export const LOCAL_ISSUER = `https://cognito-idp.us-east-1.amazonaws.com/${LOCAL_USER_POOL_ID}`;
export const LOCAL_CLIENT_ID = 'local-development-client';

/** Namespace of local users' subs: the same user name always gets the same sub. */
const LOCAL_SUB_NAMESPACE = '0b6f7a3e-52c1-4f0e-9d4b-6a7c8e9f1d2a';
const DEVELOPMENT_ONLY_KEY = 'local-development-only; not a secret';

export interface LocalTokenOptions {
  /** The user name (`cognito:username`); the sub derives from it. */
  user: string;
  groups?: readonly string[];
  /** Lifetime in seconds; Cognito's default for ID tokens is one hour. */
  expiresInSeconds?: number;
  /** Seconds since the epoch that the token is issued at; now when omitted. */
  issuedAt?: number;
}

/** The stable `sub` of a local user name. */
export function localSub(user: string): string {
  return uuidv5(user, LOCAL_SUB_NAMESPACE);
}

/** A Cognito-shaped ID token (JWT) for a local user, accepted by the local stack only. */
export function localIdToken(options: LocalTokenOptions): string {
  const iat = options.issuedAt ?? Math.floor(Date.now() / 1000);
  const claims = {
    sub: localSub(options.user),
    ...(options.groups && options.groups.length > 0 && { 'cognito:groups': [...options.groups] }),
    email_verified: true,
    iss: LOCAL_ISSUER,
    'cognito:username': options.user,
    aud: LOCAL_CLIENT_ID,
    token_use: 'id',
    auth_time: iat,
    exp: iat + (options.expiresInSeconds ?? 3600),
    iat,
    email: `${options.user}@example.com`,
  };
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT', kid: 'local-development' })}.${encode(claims)}`;
  return `${unsigned}.${createHmac('sha256', DEVELOPMENT_ONLY_KEY).update(unsigned).digest('base64url')}`;
}
