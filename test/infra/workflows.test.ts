import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from '../../infra/definitions.js';

const run = promisify(execFile);
const VALIDATOR = join(REPOSITORY_ROOT, 'node_modules', '.bin', 'action-validator');
const WORKFLOWS = join(REPOSITORY_ROOT, '.github', 'workflows');
const workflowFiles = readdirSync(WORKFLOWS).filter((file) => /\.ya?ml$/.test(file));

/** Runs action-validator (the GitHub Actions JSON schemas) on a file: its exit code and output. */
async function validate(file: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(VALIDATOR, [file], { cwd: REPOSITORY_ROOT });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, output: failure.stdout + failure.stderr };
  }
}

describe('GitHub workflows', () => {
  it('exist', () => {
    expect(workflowFiles.length).toBeGreaterThan(0);
  });

  it.each(workflowFiles)('%s passes action-validator', async (file) => {
    const result = await validate(join(WORKFLOWS, file));
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  it('action-validator rejects a malformed workflow', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'workflow-'));
    try {
      writeFileSync(join(dir, 'bad.yml'), 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    stepz: []\n');
      expect((await validate(join(dir, 'bad.yml'))).code).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('tests and synthesizes pull requests and pushes, and deploys main by OIDC one run at a time', () => {
    const ci = readFileSync(join(WORKFLOWS, 'ci.yml'), 'utf8');
    expect(ci).toMatch(/^ {2}pull_request:/m);
    expect(ci).toMatch(/^ {2}push:\n {4}branches: \[main\]/m);
    for (const step of ['npm ci', 'npm test', 'npm run synth']) expect(ci).toContain(`- run: ${step}\n`);
    const deploy = ci.slice(ci.indexOf('\n  deploy:'));
    expect(deploy).toContain("if: github.event_name == 'push' && github.ref == 'refs/heads/main'");
    expect(deploy).toContain('needs: test');
    expect(deploy).toMatch(/concurrency:\n\s+group: deploy-[^\n]+\n\s+cancel-in-progress: false/);
    expect(deploy).toMatch(/permissions:\n\s+contents: read\n\s+id-token: write/);
    expect(deploy).toContain('uses: aws-actions/configure-aws-credentials@');
    expect(deploy).toContain('role-to-assume:');
    expect(deploy).toContain('npm run deploy');
    // Alarms notify the topic the repository names (an empty variable means none).
    expect(deploy).toMatch(/-c alarmTopicArn="\$\{ALARM_TOPIC_ARN\}"/);
    expect(deploy).toMatch(/ALARM_TOPIC_ARN: \$\{\{ vars\.ALARM_TOPIC_ARN \}\}/);
  });

  it('run every job on the Node.js of the Lambda runtime (.node-version)', () => {
    const ci = readFileSync(join(WORKFLOWS, 'ci.yml'), 'utf8');
    const jobs = ci.slice(ci.indexOf('\njobs:\n')).match(/^ {2}\w[\w-]*:\n/gm) ?? [];
    expect(jobs.length).toBeGreaterThan(1);
    expect(ci.match(/uses: actions\/setup-node@v\d+\n\s+with:\n\s+node-version-file: \.node-version\n/g)).toHaveLength(jobs.length);
    expect(ci).not.toMatch(/node-version:/);
  });

  it('store no AWS access keys', () => {
    for (const file of workflowFiles) {
      const text = readFileSync(join(WORKFLOWS, file), 'utf8');
      expect(text).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/);
    }
  });
});
