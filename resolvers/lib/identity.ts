import type { AppSyncIdentity } from 'aws-lambda';

/** Group whose members may change every learning path. */
export const ADMINS_GROUP = 'admins';

/**
 * Who is calling, from AppSync's identity: a Cognito user, an IAM principal (a back-end job of the
 * account), or nobody (API-key requests carry no identity).
 */
export type Actor =
  | { readonly kind: 'user'; readonly sub: string; readonly groups: readonly string[] }
  /** `userArn` is the principal (principalArn): a role's ARN, not one session's. */
  | { readonly kind: 'iam'; readonly userArn: string; readonly accountId: string }
  | { readonly kind: 'anonymous' };

export const ANONYMOUS: Actor = { kind: 'anonymous' };

/**
 * The one place an AppSync identity becomes an Actor. AppSync gives Cognito users `groups`; the local
 * simulator only passes the token's claims, so `cognito:groups` is read from those as well.
 */
export function actorFromIdentity(identity: AppSyncIdentity | null | undefined): Actor {
  if (identity == null) return ANONYMOUS;
  if ('sub' in identity && typeof identity.sub === 'string' && identity.sub !== '') {
    const claims = (identity.claims ?? {}) as Record<string, unknown>;
    const groups = ('groups' in identity ? identity.groups : undefined) ?? claims['cognito:groups'];
    return { kind: 'user', sub: identity.sub, groups: Array.isArray(groups) ? groups.filter((group) => typeof group === 'string') : [] };
  }
  if ('userArn' in identity && typeof identity.userArn === 'string' && identity.userArn !== '') {
    return { kind: 'iam', userArn: principalArn(identity.userArn), accountId: identity.accountId };
  }
  return ANONYMOUS;
}

/**
 * The IAM principal behind a caller's ARN. A role's session (`arn:aws:sts::<acct>:assumed-role/<role>/<session>`)
 * stands for its role, `arn:aws:iam::<acct>:role/<role>`: the session name changes from run to run of
 * the same job, and the owner and clientToken ids must not. Session ARNs carry no role path, so a
 * role's own ARN loses its path too. Users, federated users and the root stay as they are.
 */
export function principalArn(arn: string): string {
  const session = /^arn:(aws[a-z-]*):sts::(\d+):assumed-role\/([\w+=,.@-]+)\/[\w+=,.@-]+$/.exec(arn);
  const role = session ?? /^arn:(aws[a-z-]*):iam::(\d+):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/.exec(arn);
  if (!role) return arn;
  const [, partition, account, name] = role;
  return `arn:${partition}:iam::${account}:role/${name}`;
}
