// `atlas backups exports buckets list|describe|create|delete` (Atlas CLI 1.46.4): what the CLI prints from
// the mock's answers, checked against the mock's own state and journal.
import { describe, expect } from 'vitest';
import { expectAtlasError, expectOk } from '../harness/atlas-cli.js';
import { it } from '../harness/fixtures.js';
import { IDS } from '../harness/world.js';

/** The AWS role of the default dataset that its bucket names (authorized in the project). */
const ROLE = '6650a0c1f1d2e3a4b5c6d811';

describe.concurrent('atlas backups exports buckets', () => {
  it('list prints the project buckets the API lists', async ({ world, cli }) => {
    const out = expectOk(await cli.run(['backups', 'exports', 'buckets', 'list', '-o', 'json'])).json();
    const api = await world.api('GET', `/groups/${IDS.group}/backup/exportBuckets`, { version: '2024-05-30' });
    expect(api.status).toBe(200);
    expect(out.totalCount).toBe(api.body.totalCount);
    expect(out.results.map((b: any) => b._id)).toEqual(api.body.results.map((b: any) => b._id));
    expect(out.results).toContainEqual(expect.objectContaining({ _id: IDS.bucket, bucketName: 'mock-export-bucket', cloudProvider: 'AWS', iamRoleId: ROLE }));
  });

  it('describe prints one bucket', async ({ cli }) => {
    const out = expectOk(await cli.run(['backups', 'exports', 'buckets', 'describe', '--bucketId', IDS.bucket, '-o', 'json'])).json();
    expect(out).toMatchObject({ _id: IDS.bucket, bucketName: 'mock-export-bucket', cloudProvider: 'AWS', iamRoleId: ROLE });
  });

  it('create then delete: the bucket exists in between and is gone after', async ({ world, cli }) => {
    const created = expectOk(
      await cli.run(['backups', 'exports', 'buckets', 'create', 'cli-made-bucket', '--cloudProvider', 'AWS', '--iamRoleId', ROLE, '-o', 'json']),
    ).json();
    expect(created).toMatchObject({ bucketName: 'cli-made-bucket', cloudProvider: 'AWS', iamRoleId: ROLE });
    expect(created._id).toMatch(/^[0-9a-f]{24}$/);
    const stored = await world.api('GET', `/groups/${IDS.group}/backup/exportBuckets/${created._id}`, { version: '2024-05-30' });
    expect(stored.status, stored.text).toBe(200);
    expect(stored.body.bucketName).toBe('cli-made-bucket');

    // 1.46.4 prints nothing on success (its Run returns without the usual "deleted" message).
    expectOk(await cli.run(['backups', 'exports', 'buckets', 'delete', '--bucketId', created._id, '--force']));
    expect((await world.api('GET', `/groups/${IDS.group}/backup/exportBuckets/${created._id}`)).status).toBe(404);

    const journal = await world.clientRequests();
    expect(journal.map((e) => `${e.method} ${e.status}`)).toEqual(['POST 200', 'DELETE 204']);
  });

  it('describe of an unknown bucket prints Atlas’s error and exits non-zero', async ({ cli }) => {
    const run = await cli.run(['backups', 'exports', 'buckets', 'describe', '--bucketId', '6650a0c1f1d2e3a4b5c6dfff']);
    const { detail } = expectAtlasError(run, 404, 'EXPORT_BUCKET_NOT_FOUND');
    expect(detail).toBe('No export Bucket with ID 6650a0c1f1d2e3a4b5c6dfff does not exist.');
  });
});
