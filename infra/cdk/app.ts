import { App } from 'aws-cdk-lib';
import { ApiStack } from './api-stack.js';
import { parseDeploymentOptions, parseOidcProviderArn } from './context.js';
import { DeployRoleStack } from './deploy-role-stack.js';
import { parseCorsOrigins, parseStage, stageSettings } from './stage.js';

/**
 * The CDK app. Stacks are environment-agnostic, so synth needs no credentials and no lookups.
 * `-c stage=dev|prod` picks the stage; `-c corsOrigins=...` the media origins; the deploy-role stack
 * is added when `-c githubRepository=owner/name` names the repository allowed to deploy. Optional
 * settings (alarm topic, hosted sign-in, SES sender, existing OIDC provider) are read by context.ts.
 */
const app = new App();
const stage = parseStage(app.node.tryGetContext('stage'));
new ApiStack(app, `LearningPaths-${stage}`, {
  settings: stageSettings(stage),
  corsOrigins: parseCorsOrigins(app.node.tryGetContext('corsOrigins'), stage),
  options: parseDeploymentOptions((name) => app.node.tryGetContext(name)),
  description: `Learning paths GraphQL API (${stage})`,
});
const githubRepository: unknown = app.node.tryGetContext('githubRepository');
if (typeof githubRepository === 'string' && githubRepository !== '') {
  new DeployRoleStack(app, 'LearningPathsDeployRole', {
    repository: githubRepository,
    oidcProviderArn: parseOidcProviderArn(app.node.tryGetContext('githubOidcProviderArn')),
    description: 'GitHub OIDC deploy role',
  });
}
app.synth();
