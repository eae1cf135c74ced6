import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ApiStack } from '../../infra/cdk/api-stack.js';
import { type Stage, stageSettings } from '../../infra/cdk/stage.js';

/** Context that makes NodejsFunction skip bundling, for tests that do not look at the code. */
export const SKIP_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

export const TEST_CORS_ORIGINS = ['https://app.example.com'];

/** The API stack of a stage, built in its own app; bundling is skipped unless asked for. */
export function apiStack(stage: Stage, options: { bundle?: boolean; outdir?: string; nag?: boolean } = {}): ApiStack {
  const app = new App({ context: options.bundle ? {} : SKIP_BUNDLING, ...(options.outdir && { outdir: options.outdir }) });
  if (options.nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return new ApiStack(app, `LearningPaths-${stage}`, { settings: stageSettings(stage), corsOrigins: TEST_CORS_ORIGINS });
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
