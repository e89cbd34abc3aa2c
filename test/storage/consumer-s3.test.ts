/** The example consumer of exports (examples/export-consumer/) reading S3 (moto), where the mock writes them. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, it } from 'vitest';
import { s3Bucket } from '../../examples/export-consumer/consumer.js';
import { startAtlasMock } from '../../src/testing/start.js';
import { consumerScenario } from '../helpers/consumer.js';
import { filesDataset } from '../helpers/export-files.js';
import { T0 } from '../helpers/mock.js';
import { useMoto } from './emulators.js';

const BUCKET = 'consumer-bucket';
const dir = mkdtempSync(join(tmpdir(), 'export-consumer-s3-'));
const moto = useMoto(BUCKET);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('waits for .complete, then loads every collection of the export from S3', async () => {
  const mock = await startAtlasMock({ clock: { start: T0 }, exportFiles: { dir, chunkBytes: 16 * 1024, storage: { buckets: { [BUCKET]: 's3' } }, s3: { endpoint: moto.url } } });
  try {
    await mock.fixtures.load(filesDataset({ cloudProvider: 'AWS', bucketName: BUCKET, missingBucketName: 'unused-bucket' }));
    await consumerScenario(mock, await s3Bucket(BUCKET, moto.s3));
  } finally {
    await mock.close();
  }
});
