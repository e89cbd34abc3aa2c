import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The README example imports the package by name, as a user's test does; here it is the source.
  resolve: { alias: { 'atlas-export-mock': fileURLToPath(new URL('./src/index.ts', import.meta.url)) } },
  test: {
    include: ['test/**/*.test.ts'],
    // test/browser needs Chromium: `npm run test:browser` (vitest.browser.config.ts); test/clients the
    // official Atlas CLI and OpenTofu: `npm run test:clients` (vitest.clients.config.ts); test/storage the
    // storage emulators: `npm run test:storage` (vitest.storage.config.ts); test/redis a redis-server:
    // `npm run test:redis` (vitest.redis.config.ts).
    exclude: ['test/interop/**', 'test/browser/**', 'test/clients/**', 'test/storage/**', 'test/redis/**', 'node_modules/**'],
    // Finds the Atlas evidence once per run: without it, fails under CI=true, else prints what is skipped.
    globalSetup: ['test/setup/evidence.ts'],
    // One fixed fast-check seed for every property (test/setup/fast-check.ts says why).
    setupFiles: ['test/setup/fast-check.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // CI reads the JSON report (scripts/ci-summary.mjs); the Node 22/24 runs name their own (VITEST_JSON).
    reporters: process.env.CI ? ['default', ['json', { outputFile: process.env.VITEST_JSON ?? 'test-results/vitest.json' }]] : ['default'],
  },
});
