import { CfnOutput, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { OidcProviderNative, OpenIdConnectPrincipal, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

export const GITHUB_OIDC_ISSUER = 'token.actions.githubusercontent.com';

/** The CDK bootstrap roles a deploy goes through; `cdk deploy` needs nothing else from its caller. */
export const BOOTSTRAP_ROLE_KINDS = ['deploy', 'file-publishing', 'image-publishing', 'lookup'] as const;

export interface DeployRoleStackProps extends StackProps {
  /** The one repository (`owner/name`) whose main branch may deploy. */
  readonly repository: string;
  /**
   * ARN of GitHub's OIDC provider when the account has one already (an account holds one per URL);
   * the stack creates it when omitted.
   */
  readonly oidcProviderArn?: string;
  /** Qualifier of the CDK bootstrap stack; the CDK default when omitted. */
  readonly bootstrapQualifier?: string;
}

/**
 * GitHub Actions' OIDC provider (or the account's existing one) and the role the deploy workflow assumes with it: trusted only for
 * pushes to one repository's main branch, and allowed only to assume the CDK bootstrap roles.
 */
export class DeployRoleStack extends Stack {
  readonly role: Role;

  constructor(scope: Construct, id: string, props: DeployRoleStackProps) {
    super(scope, id, props);
    if (!/^[\w.-]+\/[\w.-]+$/.test(props.repository)) {
      throw new Error(`githubRepository: "${props.repository}" is not of the form owner/name`);
    }
    const qualifier = props.bootstrapQualifier ?? 'hnb659fds';

    const provider =
      props.oidcProviderArn === undefined
        ? new OidcProviderNative(this, 'GitHubOidc', { url: `https://${GITHUB_OIDC_ISSUER}`, clientIds: ['sts.amazonaws.com'] })
        : OidcProviderNative.fromOidcProviderArn(this, 'GitHubOidc', props.oidcProviderArn);
    this.role = new Role(this, 'DeployRole', {
      description: `Deploys from ${props.repository} main through the CDK bootstrap roles`,
      assumedBy: new OpenIdConnectPrincipal(provider, {
        StringEquals: {
          [`${GITHUB_OIDC_ISSUER}:aud`]: 'sts.amazonaws.com',
          [`${GITHUB_OIDC_ISSUER}:sub`]: `repo:${props.repository}:ref:refs/heads/main`,
        },
      }),
    });
    this.role.addToPolicy(
      new PolicyStatement({
        actions: ['sts:AssumeRole'],
        resources: BOOTSTRAP_ROLE_KINDS.map(
          (kind) => `arn:${this.partition}:iam::${this.account}:role/cdk-${qualifier}-${kind}-role-${this.account}-*`,
        ),
      }),
    );
    for (const kind of BOOTSTRAP_ROLE_KINDS) {
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:role/cdk-${qualifier}-${kind}-role-<AWS::AccountId>-*]`,
        reason: 'The wildcard stands for the region suffix of the CDK bootstrap role, so the deploy may target any bootstrapped region.',
      });
    }

    new CfnOutput(this, 'DeployRoleArn', { value: this.role.roleArn, description: 'Set as the AWS_DEPLOY_ROLE_ARN repository variable' });
  }
}
