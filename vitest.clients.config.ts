// `npm run test:clients`: the official clients (Atlas CLI, OpenTofu + the MongoDB Atlas provider) against
// the built mock. Apart from `npm test` because it needs those programs (test/clients/harness/clients.ts
// says how to get them; without them every test fails, none is skipped) and takes minutes: the provider
// waits 3 min (real time, hard-coded) for a cluster before it takes a snapshot.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** The whole-workflow tofu run takes the longest (≥ 4 min of the provider's own delays): start it first. */
class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const slow = (f: TestSpecification) => (f.moduleId.includes('/tofu/workflow') ? 0 : 1);
    return [...sorted].sort((a, b) => slow(a) - slow(b));
  }
}

export default defineConfig({
  resolve: { alias: { 'atlas-export-mock': fileURLToPath(new URL('./src/index.ts', import.meta.url)) } },
  test: {
    include: ['test/clients/**/*.test.ts'],
    globalSetup: ['test/clients/global-setup.ts'],
    // The clients mostly wait (polls on real-time intervals): files side by side, a few tests at once in
    // each; every test starts its own mock and client processes, so not more than the CPUs can start.
    pool: 'forks',
    maxWorkers: 3,
    maxConcurrency: 2,
    fileParallelism: true,
    sequence: { sequencer: SlowestFirst },
    testTimeout: 120_000,
    hookTimeout: 60_000,
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test-results/vitest-clients.json' }]] : ['default'],
  },
});
