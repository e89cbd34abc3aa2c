/**
 * Export files in Azure Blob Storage through `@azure/storage-blob`, against Azurite started on loopback:
 * the acceptance cases of every storage (test/helpers/export-files.ts), read back with the Azure SDK. The
 * buckets of the dataset are AZURE buckets (container = bucket name); Azurite's development account and
 * its connection string stand for the storage account of their `serviceUrl`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAtlasMock } from '../../src/testing/start.js';
import { createJob, describeExportFiles, FILES, filesDataset, getJob, type ObjectReader } from '../helpers/export-files.js';
import { T0 } from '../helpers/mock.js';
import { azuriteConnectionString, startAzurite, type Emulator } from './emulators.js';

const CONTAINER = 'files-bucket';
const dir = mkdtempSync(join(tmpdir(), 'export-files-azure-'));
let azurite: Emulator;
let service: BlobServiceClient;

beforeAll(async () => {
  azurite = await startAzurite();
  service = BlobServiceClient.fromConnectionString(azuriteConnectionString(azurite.url));
  await service.getContainerClient(CONTAINER).create();
});
afterAll(async () => {
  await azurite?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const reader: ObjectReader = {
  async keys(container, prefix) {
    const out: string[] = [];
    for await (const b of service.getContainerClient(container).listBlobsFlat({ prefix })) out.push(b.name);
    return out;
  },
  async read(container, key) {
    return service.getContainerClient(container).getBlobClient(key).downloadToBuffer();
  },
};

describeExportFiles('Azure Blob Storage (Azurite)', () => ({
  cloudProvider: 'AZURE',
  bucketName: CONTAINER,
  missingBucketName: 'no-such-container',
  options: { dir, storage: { providers: { AZURE: 'azure' } }, azure: { connectionString: azuriteConnectionString(azurite.url) } },
  reader,
}));

describe('an account key Azure refuses', () => {
  it('fails the export when it starts: access denied', async () => {
    const wrongKey = azuriteConnectionString(azurite.url).replace(/AccountKey=[^;]+/, `AccountKey=${Buffer.from('not the key').toString('base64')}`);
    const mock = await startAtlasMock({ clock: { start: T0 }, exportFiles: { dir, storage: { providers: { AZURE: 'azure' } }, azure: { connectionString: wrongKey } } });
    try {
      await mock.fixtures.load(filesDataset({ cloudProvider: 'AZURE', bucketName: CONTAINER, missingBucketName: 'no-such-container' }));
      const job = await createJob(mock, FILES.cluster, FILES.snapshot, FILES.bucket);
      await mock.clock.advanceBy('PT1S');
      const failed = await getJob(mock, FILES.cluster, job.id);
      expect(failed.state).toBe('Failed');
      expect(failed.stateReason?.message).toContain(`Access denied writing to bucket ${CONTAINER}: check that the service principal has the Storage Blob Data Contributor role`);
    } finally {
      await mock.close();
    }
  });
});
