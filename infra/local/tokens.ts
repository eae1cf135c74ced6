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

/** Lifetime of a local token unless asked otherwise: one hour, Cognito's default for ID tokens. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;
/** The longest lifetime a local token may ask for: one day, Cognito's maximum for ID tokens. */
export const MAX_TOKEN_LIFETIME_SECONDS = 86_400;

/** Thrown for a user name, group or lifetime a local token cannot carry; the message says which rule. */
export class LocalTokenError extends Error {}

export interface LocalTokenOptions {
  /** The user name (`cognito:username`); the sub derives from it. */
  user: string;
  groups?: readonly string[];
  /** Lifetime in seconds, 1 to MAX_TOKEN_LIFETIME_SECONDS; DEFAULT_TOKEN_LIFETIME_SECONDS when omitted. */
  expiresInSeconds?: number;
  /** Seconds since the epoch that the token is issued at; now when omitted. */
  issuedAt?: number;
}

/** The stable `sub` of a local user name. */
export function localSub(user: string): string {
  return uuidv5(user, LOCAL_SUB_NAMESPACE);
}

/** Names as Cognito allows them for user names and groups: 1 to 128 printable characters without spaces. */
const NAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u;

/** Checks what a token would carry; throws LocalTokenError naming the rule that failed. */
export function checkLocalTokenOptions(options: LocalTokenOptions): void {
  if (!NAME.test(options.user)) throw new LocalTokenError('user: must be 1 to 128 characters without spaces');
  for (const group of options.groups ?? []) {
    if (!NAME.test(group)) throw new LocalTokenError('group: must be 1 to 128 characters without spaces');
  }
  const lifetime = options.expiresInSeconds;
  if (lifetime !== undefined && !(Number.isInteger(lifetime) && lifetime >= 1 && lifetime <= MAX_TOKEN_LIFETIME_SECONDS)) {
    throw new LocalTokenError(`expires-in: must be a whole number of seconds from 1 to ${MAX_TOKEN_LIFETIME_SECONDS}`);
  }
}

/** A Cognito-shaped ID token (JWT) for a local user, accepted by the local stack only. */
export function localIdToken(options: LocalTokenOptions): string {
  checkLocalTokenOptions(options);
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
    exp: iat + (options.expiresInSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS),
    iat,
    email: `${options.user}@example.com`,
  };
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT', kid: 'local-development' })}.${encode(claims)}`;
  return `${unsigned}.${createHmac('sha256', DEVELOPMENT_ONLY_KEY).update(unsigned).digest('base64url')}`;
}
