import { describe, expect, it } from 'vitest';
import { assertMayChange, ownerFor, requiredOwner } from '../../resolvers/learning-paths/access.js';
import type { LearningPathRecord } from '../../resolvers/learning-paths/model.js';
import { UnauthorizedError } from '../../resolvers/lib/errors.js';
import { actorFromIdentity } from '../../resolvers/lib/identity.js';
import { actors } from '../support/fakes.js';

describe('actorFromIdentity', () => {
  it('reads a Cognito user with the groups AppSync gives', () => {
    expect(
      actorFromIdentity({
        sub: 's-1',
        issuer: 'i',
        username: 'u',
        claims: {},
        sourceIp: [],
        defaultAuthStrategy: 'ALLOW',
        groups: ['admins'],
      }),
    ).toEqual({
      kind: 'user',
      sub: 's-1',
      groups: ['admins'],
    });
  });

  it("reads the groups from the token's claims when the identity has none (the local simulator)", () => {
    const identity = {
      sub: 's-2',
      issuer: 'i',
      username: 'u',
      claims: { 'cognito:groups': ['admins', 7] },
      sourceIp: [],
      defaultAuthStrategy: 'ALLOW',
      groups: null,
    };
    expect(actorFromIdentity(identity as never)).toEqual({ kind: 'user', sub: 's-2', groups: ['admins'] });
  });

  it('reads an IAM principal, and no identity (API key) as anonymous', () => {
    const iam = {
      accountId: '1',
      userArn: 'arn:aws:sts::1:assumed-role/job/x',
      username: 'x',
      sourceIp: [],
      cognitoIdentityPoolId: null,
      cognitoIdentityId: null,
      cognitoIdentityAuthType: null,
      cognitoIdentityAuthProvider: null,
    };
    expect(actorFromIdentity(iam as never)).toEqual({ kind: 'iam', userArn: 'arn:aws:sts::1:assumed-role/job/x', accountId: '1' });
    expect(actorFromIdentity(null)).toEqual({ kind: 'anonymous' });
    expect(actorFromIdentity(undefined)).toEqual({ kind: 'anonymous' });
    expect(actorFromIdentity({ sub: '' } as never)).toEqual({ kind: 'anonymous' });
  });
});

describe('access rules', () => {
  const path = { id: 'p', owner: actors.alice.sub } as LearningPathRecord;

  it('makes the caller the owner: a user by sub, an IAM caller by ARN; nobody else may create', () => {
    expect(ownerFor(actors.alice)).toBe(actors.alice.sub);
    expect(ownerFor(actors.backend)).toBe(actors.backend.userArn);
    expect(() => ownerFor(actors.anonymous)).toThrow(UnauthorizedError);
  });

  it('requires the owner of non-admin users only', () => {
    expect(requiredOwner(actors.bob)).toBe(actors.bob.sub);
    expect(requiredOwner(actors.admin)).toBeUndefined();
    expect(requiredOwner(actors.backend)).toBeUndefined();
    expect(() => requiredOwner(actors.anonymous)).toThrow(UnauthorizedError);
  });

  it('lets the owner, an admin and IAM change a path, and refuses another user', () => {
    for (const actor of [actors.alice, actors.admin, actors.backend]) expect(() => assertMayChange(actor, path)).not.toThrow();
    expect(() => assertMayChange(actors.bob, path)).toThrow(
      new UnauthorizedError('Only the owner of learning path p or an administrator may change it.'),
    );
  });
});
