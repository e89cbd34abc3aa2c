import { defineConfig } from 'vitest/config';

// `npm run test:redis`: the shared mock (--store redis://…) with the real engine. Needs redis-server on the
// PATH (test/redis/harness.ts fails with what to install); `npm test` does not run it.
export default defineConfig({
  test: {
    include: ['test/redis/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test-results/vitest-redis.json' }]] : ['default'],
  },
});
