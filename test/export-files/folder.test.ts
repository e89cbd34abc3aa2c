/**
 * Export files in the embedded folder storage (`DIR/<bucketName>/<key>`), read back from the file system:
 * the acceptance cases every storage passes (test/helpers/export-files.ts). The cloud storages run the
 * same cases against their emulators in the storage suite (`npm run test:storage`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { describeExportFiles, folderReader } from '../helpers/export-files.js';

const dir = mkdtempSync(join(tmpdir(), 'export-files-folder-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeExportFiles('a folder', () => ({
  cloudProvider: 'AWS',
  bucketName: 'files-bucket',
  // No store can have a bucket of that name: the folder storage treats it as one that does not exist.
  missingBucketName: 'Not_A..Bucket',
  options: { dir },
  reader: folderReader(dir),
}));
