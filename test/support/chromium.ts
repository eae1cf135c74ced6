import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

export const CHROMIUM_INSTALL_HINT = 'sudo apt-get install -y chromium';

/** Debian's chromium, as .ci/run installs it, or CHROMIUM_PATH; Playwright's own browser download is not used. */
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

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

/** Said in one line, without a stack trace: what is missing and the command that installs it. */
export class ChromiumMissingError extends Error {
  constructor() {
    super(
      `Chromium is required for the browser tests and was not found at ${executablePath}; install it with: ${CHROMIUM_INSTALL_HINT} (or set CHROMIUM_PATH)`,
    );
    this.name = 'ChromiumMissingError';
    this.stack = `${this.name}: ${this.message}`;
  }
}

/** A headless Chromium with a throw-away profile; `close` removes the profile too. */
export async function launchChromium(): Promise<{ browser: BrowserContext; close: () => Promise<void> }> {
  if (!existsSync(executablePath)) throw new ChromiumMissingError();
  const profile = mkdtempSync(join(tmpdir(), 'learning-paths-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, { executablePath, headless: true, args: CHROMIUM_ARGS });
  return {
    browser,
    close: async () => {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
