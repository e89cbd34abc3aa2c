/** The example consumer of exports (examples/export-consumer/) reading S3 (moto), where the mock writes them. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, it } from 'vitest';
import { s3Bucket } from '../../examples/export-consumer/consumer.js';
import { startAtlasMock } from '../../src/testing/start.js';
import { consumerScenario } from '../helpers/consumer.js';
import { filesDataset } from '../helpers/export-files.js';
import { T0 } from '../helpers/mock.js';
import { startMoto, type Emulator } from './emulators.js';

process.env.AWS_ACCESS_KEY_ID = 'testing';
process.env.AWS_SECRET_ACCESS_KEY = 'testing';
process.env.AWS_EC2_METADATA_DISABLED = 'true';

const BUCKET = 'consumer-bucket';
const dir = mkdtempSync(join(tmpdir(), 'export-consumer-s3-'));
let moto: Emulator;
let s3: S3Client;

beforeAll(async () => {
  moto = await startMoto();
  s3 = new S3Client({ region: 'us-east-1', endpoint: moto.url, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});
afterAll(async () => {
  s3?.destroy();
  await moto?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('waits for .complete, then loads every collection of the export from S3', async () => {
  const mock = await startAtlasMock({ clock: { start: T0 }, exportFiles: { dir, chunkBytes: 16 * 1024, storage: { buckets: { [BUCKET]: 's3' } }, s3: { endpoint: moto.url } } });
  try {
    await mock.fixtures.load(filesDataset({ cloudProvider: 'AWS', bucketName: BUCKET, missingBucketName: 'unused-bucket' }));
    await consumerScenario(mock, await s3Bucket(BUCKET, s3));
  } finally {
    await mock.close();
  }
});
