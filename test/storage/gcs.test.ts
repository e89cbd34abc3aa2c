/**
 * Export files in Google Cloud Storage through `@google-cloud/storage`, against fake-gcs-server started on
 * loopback: the acceptance cases of every storage (test/helpers/export-files.ts), read back with the
 * Cloud Storage client.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Storage } from '@google-cloud/storage';
import { afterAll, beforeAll } from 'vitest';
import { describeExportFiles, type ObjectReader } from '../helpers/export-files.js';
import { startFakeGcs, type Emulator } from './emulators.js';

const BUCKET = 'files-bucket';
const dir = mkdtempSync(join(tmpdir(), 'export-files-gcs-'));
let gcs: Emulator;
let storage: Storage;

beforeAll(async () => {
  gcs = await startFakeGcs();
  storage = new Storage({ apiEndpoint: gcs.url, projectId: 'test' });
  await storage.createBucket(BUCKET);
});
afterAll(async () => {
  await gcs?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const reader: ObjectReader = {
  async keys(bucket, prefix) {
    const [files] = await storage.bucket(bucket).getFiles({ prefix });
    return files.map((f) => f.name);
  },
  async read(bucket, key) {
    const [body] = await storage.bucket(bucket).file(key).download();
    return body;
  },
};

describeExportFiles('Google Cloud Storage (fake-gcs-server)', () => ({
  cloudProvider: 'GCP',
  bucketName: BUCKET,
  missingBucketName: 'no-such-bucket',
  options: { dir, storage: { providers: { GCP: 'gcs' } }, gcs: { endpoint: gcs.url } },
  reader,
}));
