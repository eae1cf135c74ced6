import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { type BrowserContext, chromium } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { localS3Client } from '../../infra/local/clients.js';
import { localIdToken } from '../../infra/local/tokens.js';
import { png } from '../support/media-samples.js';

const stack = inject('localStack');
const port = inject('webExamplePort');
let server: ViteDevServer;
let browser: BrowserContext;
let profile: string;

/** Debian's chromium, as .ci/run installs it (or CHROMIUM_PATH); Playwright's own browser download is not used. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

beforeAll(async () => {
  // The page reads these at build time (import.meta.env): it talks to this run's local stack.
  process.env.VITE_GRAPHQL_URL = stack.graphqlUrl;
  process.env.VITE_API_KEY = stack.apiKey;
  process.env.VITE_ID_TOKEN = localIdToken({ user: 'web-example' });
  // The port whose origins the local bucket's CORS rule allows (test/support/global-setup.ts).
  server = await createServer({
    configFile: 'examples/web/vite.config.ts',
    server: { port, strictPort: true, host: 'localhost' },
    logLevel: 'silent',
  });
  await server.listen();
  profile = mkdtempSync(join(tmpdir(), 'learning-paths-chromium-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function objectKeysUnder(prefix: string): Promise<string[]> {
  const s3 = localS3Client(stack.s3Endpoint);
  try {
    const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: stack.bucketName, Prefix: prefix }));
    return Contents.map((object) => object.Key as string);
  } finally {
    s3.destroy();
  }
}

describe('the example web page in Chromium', () => {
  it('creates a path, uploads a picture straight to S3, shows it, and deletes the path', async () => {
    const page = await browser.newPage();
    const failedRequests: string[] = [];
    page.on('requestfailed', (request) => failedRequests.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText}`));
    await page.goto(`http://localhost:${port}/`);
    await page.locator('body[data-ready="true"]').waitFor();

    const name = `Browser path ${Date.now()}`;
    await page.getByPlaceholder('Name of a new learning path').fill(name);
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    const item = page.locator('li', { hasText: name });
    await item.waitFor();
    const id = await item.getAttribute('data-path-id');

    await item.getByLabel(`Picture for ${name}`).setInputFiles({ name: 'picture.png', mimeType: 'image/png', buffer: png(24, 16) });
    const image = page.locator('li', { hasText: name }).getByRole('img');
    await image.waitFor();
    await expect
      .poll(() =>
        image.evaluate((element) => {
          // Runs in the page; the root tsconfig has no DOM library, hence the structural type.
          const img = element as unknown as { complete: boolean; naturalWidth: number };
          return img.complete ? img.naturalWidth : 0;
        }),
      )
      .toBe(24);
    expect(await page.locator('#status').textContent()).toBe('Attached picture.png.');
    expect(await image.getAttribute('src')).toContain(`${stack.s3Endpoint}/${stack.bucketName}/media/${id}/`);
    expect(await objectKeysUnder(`media/${id}/`)).toHaveLength(1);

    await page.locator('li', { hasText: name }).getByRole('button', { name: 'Delete' }).click();
    await page.locator('li', { hasText: name }).waitFor({ state: 'detached' });
    expect(await page.locator('#status').textContent()).toBe(`Deleted ${name}.`);
    expect(await objectKeysUnder(`media/${id}/`)).toEqual([]);
    expect(await objectKeysUnder(`uploads/${id}/`)).toEqual([]);
    expect(failedRequests).toEqual([]);
  });
});
