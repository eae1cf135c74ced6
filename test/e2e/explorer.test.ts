import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CreateLearningPathDocument } from '../../client/generated/operations.js';
import { asUser } from '../support/auth.js';
import { launchChromium } from '../support/chromium.js';
import { graphql } from '../support/graphql.js';

const stack = inject('localStack');
const explorerUrl = new URL('/', stack.graphqlUrl).href;
const root = join(import.meta.dirname, '..', '..');
const run = randomUUID().slice(0, 8);
let browser: BrowserContext;
let closeBrowser: () => Promise<void>;

beforeAll(async () => {
  ({ browser, close: closeBrowser } = await launchChromium());
});
afterAll(() => closeBrowser?.());

async function openExplorer(): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(explorerUrl);
  // The explorer remembers the last auth mode; each test starts from the defaults.
  await page.evaluate('localStorage.clear()');
  await page.reload();
  await page.getByRole('button', { name: /Execute query/ }).waitFor({ timeout: 20_000 });
  // GraphiQL fetches the schema (introspection) first.
  await page.waitForLoadState('networkidle');
  return page;
}

/** Runs `query` as the explorer's user would (typed in, then the run button) and returns the answer shown. */
async function runInExplorer(page: Page, query: string, until: (answer: string) => boolean = () => true) {
  // Page-side code as strings: the root tsconfig has no DOM library. CodeMirror 5 hangs its API on the element.
  await page.evaluate(`document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue(${JSON.stringify(query)})`);
  await page.evaluate(`document.querySelector('.result-window .CodeMirror').CodeMirror.setValue('')`);
  await page.getByRole('button', { name: /Execute query/ }).click();
  const answer = () => page.evaluate(`document.querySelector('.result-window .CodeMirror').CodeMirror.getValue()`) as Promise<string>;
  await expect.poll(async () => (await answer()) !== '' && until(await answer()), { timeout: 15_000 }).toBe(true);
  return JSON.parse(await answer());
}

async function signIn(page: Page, user: string, admin = false) {
  await page.getByLabel('Auth mode').selectOption('user');
  await page.getByLabel('User name').fill(user);
  if (admin) await page.getByLabel('admins').check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText(`Signed in as ${user}`).waitFor();
}

/** The claims of the token `npm run -s token` prints for these arguments. */
function cliTokenClaims(...args: string[]): Record<string, unknown> {
  const token = execFileSync(process.execPath, ['--import', 'tsx', join(root, 'infra', 'local', 'token-cli.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
  }).trim();
  return JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString('utf8'));
}

describe('the local API explorer', () => {
  it('reads with the API key without any setup, and has no "Clear data" button', async () => {
    const page = await openExplorer();
    expect(await page.getByLabel('Auth mode').inputValue()).toBe('apiKey');
    expect(await page.getByText(stack.apiKey).isVisible()).toBe(true);
    await graphql(CreateLearningPathDocument, { input: { name: `Explorer read ${run}` } });
    const answer = await runInExplorer(page, 'query { learningPaths(limit: 100) { items { name } } }');
    expect(answer.errors).toBeUndefined();
    expect(answer.data.learningPaths.items.length).toBeGreaterThan(0);
    expect(await page.getByText('Clear data').count()).toBe(0);
    await page.close();
  });

  it('signs in as a local user with the same sub as npm run token, and writes as that user', async () => {
    const user = `explorer-alice-${run}`;
    const claims = cliTokenClaims('--user', user);
    const page = await openExplorer();
    await signIn(page, user);
    expect(await page.locator('output.session').textContent()).toBe(`Signed in as ${user}, sub ${claims.sub}`);

    const answer = await runInExplorer(
      page,
      `mutation { createLearningPath(input: { name: "From the explorer ${run}" }) { owner version } }`,
    );
    expect(answer).toEqual({ data: { createLearningPath: { owner: claims.sub, version: 1 } } });
    const mine = await runInExplorer(page, 'query { myLearningPaths { items { name } } }');
    expect(mine.data.myLearningPaths.items).toEqual([{ name: `From the explorer ${run}` }]);
    await page.close();
  });

  it("changes another user's path only when signed in as a member of admins", async () => {
    const created = await graphql(CreateLearningPathDocument, { input: { name: `Bob's ${run}` } }, { auth: asUser(`explorer-bob-${run}`) });
    const id = created.data?.createLearningPath.id;
    const rename = `mutation { updateLearningPath(input: { id: "${id}", name: "Renamed by an admin" }) { name version } }`;
    const page = await openExplorer();

    await signIn(page, `explorer-mallory-${run}`);
    const refused = await runInExplorer(page, rename);
    expect(refused.errors.map((error: { errorType: string }) => error.errorType)).toContain('Unauthorized');

    await signIn(page, `explorer-root-${run}`, true);
    expect(cliTokenClaims('--user', `explorer-root-${run}`, '--group', 'admins')['cognito:groups']).toEqual(['admins']);
    expect(await page.locator('output.session').textContent()).toMatch(/^Signed in as explorer-root-\w+ \(admins\), sub /);
    const renamed = await runInExplorer(page, rename);
    expect(renamed).toEqual({ data: { updateLearningPath: { name: 'Renamed by an admin', version: 2 } } });
    await page.close();
  });

  it('calls as the back-end IAM role, and without credentials gets the 401 of the API', async () => {
    const page = await openExplorer();
    await page.getByLabel('Auth mode').selectOption('iam');
    const created = await runInExplorer(page, `mutation { createLearningPath(input: { name: "By IAM ${run}" }) { owner } }`);
    expect(created.data.createLearningPath.owner).toMatch(/^arn:aws:iam::\d+:role\//);

    await page.getByLabel('Auth mode').selectOption('none');
    const refused = await runInExplorer(page, 'query { learningPaths { nextToken } }');
    expect(JSON.stringify(refused)).toContain('UnauthorizedException');
    await page.close();
  });

  it('shows subscription events as they arrive', async () => {
    const page = await openExplorer();
    const name = `Subscribed ${run}`;
    const answer = runInExplorer(page, 'subscription { onCreateLearningPath { name } }', (text) => text.includes(name));
    // The subscription is running once the run button turns into a stop button.
    await page.getByRole('button', { name: /Stop/ }).waitFor();
    // The socket may still be starting the subscription: create until an event shows.
    let shown = false;
    void answer.finally(() => {
      shown = true;
    });
    for (let attempt = 0; attempt < 20 && !shown; attempt += 1) {
      await graphql(CreateLearningPathDocument, { input: { name } });
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(await answer).toEqual({ data: { onCreateLearningPath: { name } } });
    await page.close();
  });
});
