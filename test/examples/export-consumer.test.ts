/** The example consumer of exports (examples/export-consumer/) reading the mock's folder storage. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, it } from 'vitest';
import { folderBucket } from '../../examples/export-consumer/consumer.js';
import { startAtlasMock } from '../../src/testing/start.js';
import { consumerScenario } from '../helpers/consumer.js';
import { filesDataset } from '../helpers/export-files.js';
import { T0 } from '../helpers/mock.js';

const dir = mkdtempSync(join(tmpdir(), 'export-consumer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('waits for .complete, then loads every collection of the export from the folder storage', async () => {
  const mock = await startAtlasMock({ clock: { start: T0 }, exportFiles: { dir, chunkBytes: 16 * 1024 } });
  try {
    await mock.fixtures.load(filesDataset({ cloudProvider: 'AWS', bucketName: 'consumer-bucket', missingBucketName: 'unused-bucket' }));
    await consumerScenario(mock, folderBucket(join(dir, 'consumer-bucket')));
  } finally {
    await mock.close();
  }
});
