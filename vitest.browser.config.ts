// `npm run test:browser`: the browser suite (Playwright driving Debian's Chromium, headless). Apart from
// `npm test` because it needs Chromium installed (scripts/ci/browser.sh installs it when missing).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { 'atlas-export-mock': fileURLToPath(new URL('./src/index.ts', import.meta.url)) } },
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test-results/vitest-browser.json' }]] : ['default'],
  },
});
