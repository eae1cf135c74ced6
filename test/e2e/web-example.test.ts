import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { BrowserContext, Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CreateLearningPathDocument, LearningPathDocument, UpdateLearningPathDocument } from '../../client/generated/operations.js';
import { localS3Client } from '../../infra/local/clients.js';
import { localSub } from '../../infra/local/tokens.js';
import { asUser } from '../support/auth.js';
import { launchChromium } from '../support/chromium.js';
import { graphql } from '../support/graphql.js';
import { png } from '../support/media-samples.js';

const stack = inject('localStack');
const port = inject('webExamplePort');
let server: ViteDevServer;
let browser: BrowserContext;
let closeBrowser: () => Promise<void>;

beforeAll(async () => {
  // The page reads these at build time (import.meta.env): it talks to this run's local stack.
  process.env.VITE_GRAPHQL_URL = stack.graphqlUrl;
  process.env.VITE_API_KEY = stack.apiKey;
  // The port whose origins the local bucket's CORS rule allows (test/support/global-setup.ts).
  server = await createServer({
    configFile: 'examples/web/vite.config.ts',
    server: { port, strictPort: true, host: 'localhost' },
    logLevel: 'silent',
  });
  await server.listen();
  ({ browser, close: closeBrowser } = await launchChromium());
});

afterAll(async () => {
  await closeBrowser?.();
  await server?.close();
});

/** A new tab with the page loaded and its live updates connected. */
async function openPage(): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`http://localhost:${port}/`);
  await page.locator('body[data-ready="true"]').waitFor();
  await page.locator('#live[data-state="live"]').waitFor();
  return page;
}

async function signIn(page: Page, user: string, admin = false): Promise<void> {
  await page.getByLabel('User', { exact: true }).fill(user);
  if (admin) await page.getByLabel('Administrator').check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText(`Signed in as ${user}`).waitFor();
  await page.locator('#live[data-state="live"]').waitFor();
}

// Page-side code is written as strings: the root tsconfig has no DOM library.
const LOADED = "!document.querySelector('#more').disabled";

const card = (page: Page, name: string) => page.locator('li.path', { has: page.getByRole('heading', { name, exact: true }) });
/**
 * The page's own status line. Polled: a live event can show a change on the page before the
 * answer to the page's own request arrives and the status says so.
 */
const status = (page: Page) => page.locator('#status');

async function objectKeysUnder(prefix: string): Promise<string[]> {
  const s3 = localS3Client(stack.s3Endpoint);
  try {
    const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: stack.bucketName, Prefix: prefix }));
    return Contents.map((object) => object.Key as string);
  } finally {
    s3.destroy();
  }
}

async function createPathAs(user: string, name: string) {
  const created = await graphql(CreateLearningPathDocument, { input: { name } }, { auth: asUser(user) });
  return created.data?.createLearningPath as NonNullable<NonNullable<typeof created.data>['createLearningPath']>;
}

describe('the example web page in Chromium', () => {
  it('signed out, explains why it cannot write and pages through every path with the API key', async () => {
    const names = Array.from({ length: 12 }, (_, index) => `Paged ${Date.now()} ${index}`);
    const ids = await Promise.all(names.map(async (name) => (await createPathAs('web-seed', name)).id));
    const page = await openPage();

    await expect.poll(() => page.getByText('You are not signed in').isVisible()).toBe(true);
    expect(await page.locator('#create').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: /^Edit / }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Load more' }).isVisible()).toBe(true);

    while (await page.getByRole('button', { name: 'Load more' }).isVisible()) {
      await page.getByRole('button', { name: 'Load more' }).click();
      await page.waitForFunction(LOADED);
    }
    const shown = await page
      .locator('li.path')
      .evaluateAll((items) => items.map((item) => (item as unknown as { dataset: { pathId: string } }).dataset.pathId));
    expect(shown).toEqual(expect.arrayContaining(ids));
    expect(new Set(shown).size).toBe(shown.length);
    expect(await page.locator('#list-end').textContent()).toMatch(/^All \d+ shown\.$/);
    await page.close();
  });

  it('signs in as a local user with the sub of npm run token, and creates, edits, uploads and deletes as that user', async () => {
    const page = await openPage();
    await signIn(page, 'web-alice');
    expect(await page.locator('#who').getAttribute('title')).toBe(`sub ${localSub('web-alice')}`);
    expect(await page.getByText('You are not signed in').isVisible()).toBe(false);

    const name = `Browser path ${Date.now()}`;
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('Description').fill('First description');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await card(page, name).waitFor();
    await expect.poll(() => status(page).textContent()).toBe(`Created “${name}”.`);
    const id = (await card(page, name).getAttribute('data-path-id')) as string;
    const stored = await graphql(LearningPathDocument, { id });
    expect(stored.data?.learningPath).toMatchObject({ name, description: 'First description', owner: localSub('web-alice'), version: 1 });

    await card(page, name)
      .getByRole('button', { name: `Edit ${name}` })
      .click();
    const renamed = `${name} (renamed)`;
    await page.getByLabel('Name', { exact: true }).last().fill(renamed);
    await page.getByLabel('Description', { exact: true }).last().fill('Second description');
    await page.getByRole('button', { name: 'Save' }).click();
    await card(page, renamed).waitFor();
    await expect.poll(() => status(page).textContent()).toBe(`Saved “${renamed}” (version 2).`);
    expect(await card(page, renamed).locator('.description').textContent()).toBe('Second description');
    expect((await graphql(LearningPathDocument, { id })).data?.learningPath).toMatchObject({ name: renamed, version: 2 });

    // A 3 MB picture, so that the browser reports upload progress on the way.
    await page.evaluate(`
      window.progressSeen = [];
      new MutationObserver(() => {
        const label = document.querySelector('.progress span')?.textContent;
        if (label && window.progressSeen.at(-1) !== label) window.progressSeen.push(label);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    `);
    await card(page, renamed)
      .getByLabel(`Attach a file to ${renamed}`)
      .setInputFiles({ name: 'picture.png', mimeType: 'image/png', buffer: png(24, 16, 3 * 1024 * 1024) });
    const image = card(page, renamed).getByRole('img', { name: `Picture of ${renamed}` });
    await image.waitFor();
    await expect.poll(() => image.evaluate((element) => (element as unknown as { naturalWidth: number }).naturalWidth)).toBe(24);
    await expect.poll(() => status(page).textContent()).toBe(`Attached picture.png to “${renamed}”.`);
    const progress = (await page.evaluate('window.progressSeen')) as string[];
    expect(progress[0]).toBe('Uploading picture.png… 0%');
    expect(progress.at(-1)).toBe('Uploading picture.png… 100%');
    expect(await image.getAttribute('src')).toContain(`${stack.s3Endpoint}/${stack.bucketName}/media/${id}/`);
    expect(await objectKeysUnder(`media/${id}/`)).toHaveLength(1);

    await card(page, renamed)
      .getByRole('button', { name: `Delete ${renamed}` })
      .click();
    await card(page, renamed)
      .getByRole('button', { name: `Yes, delete ${renamed}` })
      .click();
    await card(page, renamed).waitFor({ state: 'detached' });
    await expect.poll(() => status(page).textContent()).toBe(`Deleted “${renamed}”.`);
    expect((await graphql(LearningPathDocument, { id })).data?.learningPath).toBeNull();
    expect(await objectKeysUnder(`media/${id}/`)).toEqual([]);
    expect(await objectKeysUnder(`uploads/${id}/`)).toEqual([]);
    await page.close();
  });

  it('says clearly when a save conflicts with a change made elsewhere, and saves on purpose afterwards', async () => {
    const page = await openPage();
    await signIn(page, 'web-bob');
    const name = `Contested ${Date.now()}`;
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    const id = (await card(page, name).getAttribute('data-path-id')) as string;
    await card(page, name)
      .getByRole('button', { name: `Edit ${name}` })
      .click();

    // Meanwhile the same user changes it from elsewhere (another device, the explorer…).
    await graphql(
      UpdateLearningPathDocument,
      { input: { id, description: 'Changed elsewhere', expectedVersion: 1 } },
      { auth: asUser('web-bob') },
    );
    await page.getByLabel('Name', { exact: true }).last().fill(`${name} mine`);
    await page.getByRole('button', { name: 'Save' }).click();
    const alert = page.locator(`li[data-path-id="${id}"]`).getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe(
      'Not saved: someone else changed this path while you were editing. It is now at version 2 (you started from version 1) ' +
        `with the name “${name}” and the description “Changed elsewhere”. Save again to replace it with your text, or Cancel to keep theirs.`,
    );
    expect((await graphql(LearningPathDocument, { id })).data?.learningPath).toMatchObject({ name, version: 2 });

    await page.getByRole('button', { name: 'Save' }).click();
    await card(page, `${name} mine`).waitFor();
    expect((await graphql(LearningPathDocument, { id })).data?.learningPath).toMatchObject({ name: `${name} mine`, version: 3 });
    await page.close();
  });

  it("shows another tab's create, edit and delete without a reload", async () => {
    const watcher = await openPage();
    const editor = await openPage();
    await signIn(editor, 'web-carol');
    const name = `Live ${Date.now()}`;
    await editor.getByLabel('Name', { exact: true }).fill(name);
    await editor.getByRole('button', { name: 'Create', exact: true }).click();
    await card(watcher, name).waitFor();

    await card(editor, name)
      .getByRole('button', { name: `Edit ${name}` })
      .click();
    await editor.getByLabel('Name', { exact: true }).last().fill(`${name} v2`);
    await editor.getByRole('button', { name: 'Save' }).click();
    await card(watcher, `${name} v2`).waitFor();
    expect(await card(watcher, `${name} v2`).locator('.meta').textContent()).toMatch(/^Version 2 · by another user/);

    await card(editor, `${name} v2`)
      .getByRole('button', { name: `Delete ${name} v2` })
      .click();
    await card(editor, `${name} v2`)
      .getByRole('button', { name: `Yes, delete ${name} v2` })
      .click();
    await card(watcher, `${name} v2`).waitFor({ state: 'detached' });
    await watcher.close();
    await editor.close();
  });

  it('offers no changes of paths the user does not own, unless the user is an administrator', async () => {
    const name = `Owned by dave ${Date.now()}`;
    await createPathAs('web-dave', name);
    const stranger = await openPage();
    await signIn(stranger, 'web-erin');
    const admin = await openPage();
    await signIn(admin, 'web-root', true);
    for (const page of [stranger, admin]) {
      while (!(await card(page, name).isVisible()) && (await page.getByRole('button', { name: 'Load more' }).isVisible())) {
        await page.getByRole('button', { name: 'Load more' }).click();
        await page.waitForFunction(LOADED);
      }
    }
    expect(
      await card(stranger, name)
        .getByRole('button', { name: `Edit ${name}` })
        .count(),
    ).toBe(0);
    expect(
      await card(admin, name)
        .getByRole('button', { name: `Edit ${name}` })
        .count(),
    ).toBe(1);
    expect(await admin.locator('#who').textContent()).toBe('Signed in as web-root (administrator)');
    await stranger.close();
    await admin.close();
  });
});
