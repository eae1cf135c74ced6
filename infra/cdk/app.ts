import { App } from 'aws-cdk-lib';
import { ApiStack } from './api-stack.js';
import { DeployRoleStack } from './deploy-role-stack.js';
import { parseCorsOrigins, parseStage, stageSettings } from './stage.js';

/**
 * The CDK app. Stacks are environment-agnostic, so synth needs no credentials and no lookups.
 * `-c stage=dev|prod` picks the stage; `-c corsOrigins=...` the media origins; the deploy-role stack
 * is added when `-c githubRepository=owner/name` names the repository allowed to deploy.
 */
const app = new App();
const stage = parseStage(app.node.tryGetContext('stage'));
new ApiStack(app, `LearningPaths-${stage}`, {
  settings: stageSettings(stage),
  corsOrigins: parseCorsOrigins(app.node.tryGetContext('corsOrigins'), stage),
  description: `Learning paths GraphQL API (${stage})`,
});
const githubRepository: unknown = app.node.tryGetContext('githubRepository');
if (typeof githubRepository === 'string' && githubRepository !== '') {
  new DeployRoleStack(app, 'LearningPathsDeployRole', { repository: githubRepository, description: 'GitHub OIDC deploy role' });
}
app.synth();
