/**
 * Export files in S3 through the AWS SDK, against moto's S3 server started on loopback: the acceptance
 * cases of every storage (test/helpers/export-files.ts), read back with the AWS SDK; a store that cannot
 * be reached.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { startAtlasMock } from '../../src/testing/start.js';
import { createJob, describeExportFiles, FILES, filesDataset, getJob, type ObjectReader } from '../helpers/export-files.js';
import { T0 } from '../helpers/mock.js';
import { freePort, useMoto } from './emulators.js';

const BUCKET = 'files-bucket';
const dir = mkdtempSync(join(tmpdir(), 'export-files-s3-'));
const moto = useMoto(BUCKET);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

export function s3Reader(client: () => S3Client): ObjectReader {
  return {
    async keys(bucket, prefix) {
      const out: string[] = [];
      let token: string | undefined;
      do {
        const page = await client().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token && { ContinuationToken: token }) }));
        for (const o of page.Contents ?? []) out.push(o.Key!);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return out;
    },
    async read(bucket, key) {
      const o = await client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return Buffer.from(await o.Body!.transformToByteArray());
    },
  };
}

describeExportFiles('S3 (moto)', () => ({
  cloudProvider: 'AWS',
  bucketName: BUCKET,
  missingBucketName: 'no-such-bucket',
  // The dataset's two buckets go to S3; the default dataset's stay in the folder.
  options: { dir, storage: { buckets: { [BUCKET]: 's3', 'no-such-bucket': 's3' } }, s3: { endpoint: moto.url } },
  reader: s3Reader(() => moto.s3),
}));

describe('an S3 endpoint nobody answers', () => {
  it('fails the export when it starts: the bucket cannot be reached', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const mock = await startAtlasMock({ clock: { start: T0 }, exportFiles: { dir, storage: { buckets: { [BUCKET]: 's3' } }, s3: { endpoint: closed } } });
    try {
      await mock.fixtures.load(filesDataset({ cloudProvider: 'AWS', bucketName: BUCKET, missingBucketName: 'no-such-bucket' }));
      const job = await createJob(mock, FILES.cluster, FILES.snapshot, FILES.bucket);
      await mock.clock.advanceBy('PT1S');
      const failed = await getJob(mock, FILES.cluster, job.id);
      expect(failed.state).toBe('Failed');
      expect(failed.stateReason?.message).toContain(`Unable to reach the export bucket ${BUCKET}`);
      expect(failed.stateReason?.message).toContain('ECONNREFUSED');
    } finally {
      await mock.close();
    }
  });
});
