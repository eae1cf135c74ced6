import { defineConfig } from 'vitest/config';

/** Settings of every test file; the projects below differ only in which files they run and when. */
const shared = {
  setupFiles: ['test/support/environment.ts'],
  testTimeout: 30_000,
  hookTimeout: 120_000,
};

export default defineConfig({
  test: {
    // One local stack for both projects: a global setup of the root runs once and provides to all.
    globalSetup: ['test/support/global-setup.ts'],
    // Two cores: more workers only contend for them.
    maxWorkers: 2,
    projects: [
      { test: { ...shared, name: 'suite', include: ['test/**/*.test.ts'], exclude: ['test/audit/**'], sequence: { groupOrder: 0 } } },
      // Checks what the whole suite left behind, so it starts only after every other file is done.
      { test: { ...shared, name: 'audit', include: ['test/audit/**/*.test.ts'], sequence: { groupOrder: 1 } } },
    ],
  },
});
