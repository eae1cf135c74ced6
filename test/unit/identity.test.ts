import { describe, expect, it } from 'vitest';
import { assertMayChange, ownerFor, requiredOwner } from '../../resolvers/learning-paths/access.js';
import { pathIdForClientToken } from '../../resolvers/learning-paths/idempotency.js';
import type { LearningPathRecord } from '../../resolvers/learning-paths/model.js';
import { UnauthorizedError } from '../../resolvers/lib/errors.js';
import { type Actor, actorFromIdentity, principalArn } from '../../resolvers/lib/identity.js';
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
    expect(actorFromIdentity(iam as never)).toEqual({ kind: 'iam', userArn: 'arn:aws:iam::1:role/job', accountId: '1' });
    expect(actorFromIdentity(null)).toEqual({ kind: 'anonymous' });
    expect(actorFromIdentity(undefined)).toEqual({ kind: 'anonymous' });
    expect(actorFromIdentity({ sub: '' } as never)).toEqual({ kind: 'anonymous' });
  });
});

describe('principalArn', () => {
  it.each([
    [
      'a role session',
      'arn:aws:sts::123456789012:assumed-role/import-job/i-0abc123def4567890',
      'arn:aws:iam::123456789012:role/import-job',
    ],
    [
      'a Lambda function session',
      'arn:aws:sts::123456789012:assumed-role/importer-role-x1y2/importer-fn',
      'arn:aws:iam::123456789012:role/importer-role-x1y2',
    ],
    [
      'an IAM Identity Center session (role under a path, session named by email)',
      'arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/alice@example.com',
      'arn:aws:iam::123456789012:role/AWSReservedSSO_Admin_0123456789abcdef',
    ],
    [
      'a role ARN with a path',
      'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef',
      'arn:aws:iam::123456789012:role/AWSReservedSSO_Admin_0123456789abcdef',
    ],
    ['a role ARN without a path', 'arn:aws:iam::123456789012:role/import-job', 'arn:aws:iam::123456789012:role/import-job'],
    ['a session in another partition', 'arn:aws-cn:sts::123456789012:assumed-role/job/run-7', 'arn:aws-cn:iam::123456789012:role/job'],
    ['a GovCloud session', 'arn:aws-us-gov:sts::123456789012:assumed-role/job/run+1=a,b.c', 'arn:aws-us-gov:iam::123456789012:role/job'],
    ['a plain IAM user, kept', 'arn:aws:iam::123456789012:user/ops/ci-bot', 'arn:aws:iam::123456789012:user/ops/ci-bot'],
    ['a federated user, kept', 'arn:aws:sts::123456789012:federated-user/Bob', 'arn:aws:sts::123456789012:federated-user/Bob'],
    ['the account root, kept', 'arn:aws:iam::123456789012:root', 'arn:aws:iam::123456789012:root'],
  ])('%s', (_shape, arn, principal) => {
    expect(principalArn(arn)).toBe(principal);
  });

  it('gives two sessions of one job the same owner and the same clientToken id', () => {
    const session = (name: string): Actor =>
      actorFromIdentity({
        accountId: '123456789012',
        userArn: `arn:aws:sts::123456789012:assumed-role/import-job/${name}`,
        username: `AROAEXAMPLE:${name}`,
        sourceIp: [],
        cognitoIdentityPoolId: null,
        cognitoIdentityId: null,
        cognitoIdentityAuthType: null,
        cognitoIdentityAuthProvider: null,
      } as never);
    const [first, retry] = [session('run-1'), session('run-2')];
    expect(ownerFor(first)).toBe('arn:aws:iam::123456789012:role/import-job');
    expect(ownerFor(retry)).toBe(ownerFor(first));
    expect(pathIdForClientToken(ownerFor(retry), 'token-1')).toBe(pathIdForClientToken(ownerFor(first), 'token-1'));
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
