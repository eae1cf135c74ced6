import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, describe, expect, it } from 'vitest';
import { DeployRoleStack } from '../../infra/cdk/deploy-role-stack.js';
import { apiStack, FULL_OPTIONS, SKIP_BUNDLING } from './stacks.js';

const outdirs: string[] = [];
const outdir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'nag-'));
  outdirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

/** Every acknowledgement recorded in a construct tree (metadata keys are `<source>::<rule id>`). */
function acknowledgements(root: IConstruct): { id: string; reason: string }[] {
  return root.node
    .findAll()
    .flatMap((construct) => construct.node.metadata)
    .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
    .map(([key, reason]) => ({ id: key.replace(/^[^:]+::/, ''), reason }));
}

/** Synthesis with the rule pack takes seconds, more on a busy machine. */
const SYNTH_TIMEOUT = { timeout: 120_000 };

describe('cdk-nag AwsSolutions checks', () => {
  it.each(['dev', 'prod'] as const)('find no unacknowledged error in the %s API stack', SYNTH_TIMEOUT, (stage) => {
    const stack = apiStack(stage, { nag: true, outdir: outdir() });
    expect(() => (stack.node.root as App).synth()).not.toThrow();
  });

  it(
    'find no unacknowledged error in a prod API stack with every optional setting (alarm topic, hosted sign-in, SES)',
    SYNTH_TIMEOUT,
    () => {
      const stack = apiStack('prod', { nag: true, outdir: outdir(), deployment: FULL_OPTIONS });
      expect(() => (stack.node.root as App).synth()).not.toThrow();
    },
  );

  it.each([
    ['creating the OIDC provider', undefined],
    ['with an existing OIDC provider', 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com'],
  ])('find no unacknowledged error in the deploy-role stack %s', SYNTH_TIMEOUT, (_case, oidcProviderArn) => {
    const app = new App({ outdir: outdir() });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    new DeployRoleStack(app, 'DeployRole', { repository: 'example-org/learning-paths', ...(oidcProviderArn && { oidcProviderArn }) });
    expect(() => app.synth()).not.toThrow();
  });

  it('do run: a bucket that allows plain HTTP fails them', SYNTH_TIMEOUT, () => {
    const stack = apiStack('prod', { nag: true, outdir: outdir() });
    new Bucket(stack, 'Careless', { enforceSSL: false });
    expect(() => (stack.node.root as App).synth()).toThrow(/AwsSolutions-S10/);
  });

  it('are acknowledged only with a stated reason', SYNTH_TIMEOUT, () => {
    const app = new App({ context: SKIP_BUNDLING });
    const prod = apiStack('prod');
    const found = [...acknowledgements(prod), ...acknowledgements(new DeployRoleStack(app, 'DeployRole', { repository: 'o/r' }))];
    expect(found.length).toBeGreaterThan(0);
    for (const { id, reason } of found) {
      expect(id).toMatch(/^AwsSolutions-/);
      expect(reason.length, id).toBeGreaterThan(40);
    }
  });
});
