import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { parseOidcProviderArn } from '../../infra/cdk/context.js';
import { DeployRoleStack } from '../../infra/cdk/deploy-role-stack.js';

const template = Template.fromStack(new DeployRoleStack(new App(), 'DeployRole', { repository: 'example-org/learning-paths' }));

describe('deploy-role stack', () => {
  it("creates GitHub's OIDC provider for STS", () => {
    template.hasResourceProperties('AWS::IAM::OIDCProvider', {
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
  });

  it("trusts only the repository's main branch", () => {
    const roles = Object.values(template.findResources('AWS::IAM::Role'));
    expect(roles).toHaveLength(1);
    expect(roles[0]?.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRoleWithWebIdentity',
        Effect: 'Allow',
        Principal: { Federated: { Ref: Object.keys(template.findResources('AWS::IAM::OIDCProvider'))[0] } },
        Condition: {
          StringEquals: {
            'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
            'token.actions.githubusercontent.com:sub': 'repo:example-org/learning-paths:ref:refs/heads/main',
          },
        },
      },
    ]);
    expect(roles[0]?.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('may only assume the CDK bootstrap roles', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement,
    );
    expect(statements).toHaveLength(1);
    expect(statements[0].Action).toBe('sts:AssumeRole');
    const resources = (statements[0].Resource as { 'Fn::Join': [string, unknown[]] }[]).map((resource) =>
      resource['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join(''),
    );
    expect(resources).toEqual(
      ['deploy', 'file-publishing', 'image-publishing', 'lookup'].map(
        (kind) => `arn:{"Ref":"AWS::Partition"}:iam::{"Ref":"AWS::AccountId"}:role/cdk-hnb659fds-${kind}-role-{"Ref":"AWS::AccountId"}-*`,
      ),
    );
  });

  it("uses the account's GitHub OIDC provider when its ARN is given, instead of creating a second one", () => {
    const arn = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
    const existing = Template.fromStack(
      new DeployRoleStack(new App(), 'DeployRole', { repository: 'example-org/learning-paths', oidcProviderArn: arn }),
    );
    expect(existing.findResources('AWS::IAM::OIDCProvider')).toEqual({});
    expect(existing.findResources('Custom::AWSCDKOpenIdConnectProvider')).toEqual({});
    const [role] = Object.values(existing.findResources('AWS::IAM::Role'));
    expect(role?.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({ Action: 'sts:AssumeRoleWithWebIdentity', Principal: { Federated: arn } }),
    ]);
  });

  it("accepts only the ARN of GitHub's provider as that setting", () => {
    expect(parseOidcProviderArn(undefined)).toBeUndefined();
    expect(parseOidcProviderArn('arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com')).toBe(
      'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
    );
    expect(() => parseOidcProviderArn('arn:aws:iam::123456789012:oidc-provider/accounts.google.com')).toThrow(/GitHub's OIDC provider/);
  });

  it('refuses a repository that is not owner/name', () => {
    expect(() => new DeployRoleStack(new App(), 'DeployRole', { repository: 'example-org/*' })).toThrow(/owner\/name/);
  });
});
