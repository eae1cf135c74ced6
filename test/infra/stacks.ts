import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ApiStack } from '../../infra/cdk/api-stack.js';
import type { DeploymentOptions } from '../../infra/cdk/context.js';
import { type Stage, stageSettings } from '../../infra/cdk/stage.js';

/** Context that makes NodejsFunction skip bundling, for tests that do not look at the code. */
export const SKIP_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

export const TEST_CORS_ORIGINS = ['https://app.example.com'];

/** The API stack of a stage, built in its own app; bundling is skipped unless asked for. */
export function apiStack(
  stage: Stage,
  options: { bundle?: boolean; outdir?: string; nag?: boolean; deployment?: DeploymentOptions } = {},
): ApiStack {
  const app = new App({ context: options.bundle ? {} : SKIP_BUNDLING, ...(options.outdir && { outdir: options.outdir }) });
  if (options.nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return new ApiStack(app, `LearningPaths-${stage}`, {
    settings: stageSettings(stage),
    corsOrigins: TEST_CORS_ORIGINS,
    ...(options.deployment && { options: options.deployment }),
  });
}

const templates = new Map<Stage, Template>();

/** The synthesized template of a stage's API stack, without bundling; built once per test file. */
export function apiTemplate(stage: Stage): Template {
  let template = templates.get(stage);
  if (!template) {
    template = Template.fromStack(apiStack(stage));
    templates.set(stage, template);
  }
  return template;
}

/** Every optional deployment setting given, as a stage that uses them all would. */
export const FULL_OPTIONS: DeploymentOptions = {
  alarmTopicArn: 'arn:aws:sns:eu-west-1:123456789012:learning-paths-alarms',
  hostedSignIn: {
    domainPrefix: 'learning-paths-test',
    callbackUrls: ['https://app.example.com/signed-in'],
    logoutUrls: ['https://app.example.com/signed-out'],
  },
  sesSender: { fromEmail: 'no-reply@example.com', region: 'eu-west-1', verifiedDomain: 'example.com' },
};
