/**
 * The storage suite (`npm run test:storage`, run by `.ci/run` through `scripts/ci/storage.sh`, which
 * installs the emulators): export files written to real object-store emulators — moto's S3, Azurite,
 * fake-gcs-server — each started by the tests on a free loopback port and read back with the cloud SDKs.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/storage/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One emulator at a time: the machine has two cores.
    fileParallelism: false,
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test-results/vitest-storage.json' }]] : ['default'],
  },
});
