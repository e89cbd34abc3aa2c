/**
 * Export buckets in both resource versions (contract §1, §2): 2023-01-01 (AWS only, deprecated, sunset
 * 2027-07-01) and 2024-05-30 (AWS / AZURE / GCP, discriminator `cloudProvider`); DELETE (2023-01-01 only).
 */
import { describe, expect, it } from 'vitest';
import { assertExportBucket, assertExportBucketPage, assertSchema } from '../helpers/contract.js';
import { awsBucket, bucketsUrl, bucketUrl, createBucket, createJob, errorOf } from '../helpers/flow.js';
import { IDS, jobUrl, testMock, V2023, V2024 } from '../helpers/mock.js';

const DEPRECATION = 'Thu, 30 May 2024 00:00:00 GMT';
const SUNSET = 'Thu, 1 Jul 2027 00:00:00 GMT';
const azure = { cloudProvider: 'AZURE', roleId: IDS.azureRole, serviceUrl: 'https://mockstorage.blob.core.windows.net/exports' };
const gcp = { cloudProvider: 'GCP', bucketName: 'gcs-exports', roleId: IDS.gcpRole };

describe('export buckets: versions and deprecation', () => {
  it('serves 2023-01-01 with Deprecation and Sunset headers (day not zero-padded), 2024-05-30 without', async () => {
    const mock = testMock();
    const old = await mock.request({ url: bucketsUrl(), headers: { accept: V2023 } });
    expect(old.statusCode).toBe(200);
    expect(old.headers['content-type']).toBe('application/vnd.atlas.2023-01-01+json;charset=utf-8');
    expect([old.headers['deprecation'], old.headers['sunset']]).toEqual([DEPRECATION, SUNSET]);
    assertExportBucketPage('2023-01-01', old.json());

    const cur = await mock.request({ url: bucketsUrl(), headers: { accept: V2024 } });
    expect(cur.headers['content-type']).toBe('application/vnd.atlas.2024-05-30+json;charset=utf-8');
    expect([cur.headers['deprecation'], cur.headers['sunset']]).toEqual([undefined, undefined]);
    assertExportBucketPage('2024-05-30', cur.json());

    // A later date resolves to the newest version on or before it (contract §2).
    const later = await mock.request({ url: bucketsUrl(), headers: { accept: 'application/vnd.atlas.2025-03-12+json' } });
    expect(later.headers['content-type']).toBe('application/vnd.atlas.2024-05-30+json;charset=utf-8');
    await mock.app.close();
  });

  it('sends the deprecation headers on errors of the deprecated version too', async () => {
    const mock = testMock();
    const res = await mock.request({ url: bucketUrl('aaaaaaaaaaaaaaaaaaaaaaaa'), headers: { accept: V2023 } });
    expect(errorOf(res)).toEqual({ status: 404, errorCode: 'EXPORT_BUCKET_NOT_FOUND', parameters: ['aaaaaaaaaaaaaaaaaaaaaaaa'] });
    expect(res.headers['content-type']).toBe('application/json');
    expect([res.headers['deprecation'], res.headers['sunset']]).toEqual([DEPRECATION, SUNSET]);
    const bad = await createBucket(mock, { ...awsBucket, iamRoleId: 'nope' }, V2023);
    expect([bad.statusCode, bad.headers['deprecation'], bad.headers['sunset']]).toEqual([400, DEPRECATION, SUNSET]);
    await mock.app.close();
  });

  it('answers 410 VERSION_GONE for 2023-01-01 once the mock clock reaches 2027-07-01; 2024-05-30 and DELETE go on', async () => {
    const mock = testMock({}, { start: Date.UTC(2027, 5, 30, 23, 59, 59) });
    expect((await mock.request({ url: bucketsUrl(), headers: { accept: V2023 } })).statusCode).toBe(200);
    mock.clock.advanceBy(1_000);
    for (const [method, url] of [['GET', bucketsUrl()], ['GET', bucketUrl(IDS.bucket)], ['POST', bucketsUrl()]] as const) {
      const res = await mock.request({ method, url, headers: { accept: V2023, 'content-type': 'application/json' }, ...(method === 'POST' && { payload: JSON.stringify(awsBucket) }) });
      expect(errorOf(res)).toEqual({ status: 410, errorCode: 'VERSION_GONE', parameters: ['2023-01-01', url.slice(1)] });
      expect(res.json().detail).toBe(`Version 2023-01-01 of ${url.slice(1)} is no longer available.`);
      expect(res.headers['sunset']).toBe(SUNSET);
    }
    expect((await mock.request({ url: bucketsUrl(), headers: { accept: V2024 } })).statusCode).toBe(200);
    const created = (await createBucket(mock, awsBucket, V2024)).json();
    const del = await mock.request({ method: 'DELETE', url: bucketUrl(created._id), headers: { accept: V2023 } });
    expect(del.statusCode).toBe(204);
    await mock.app.close();
  });
});

describe('export buckets: create', () => {
  it('creates an AWS bucket at 2023-01-01 and at 2024-05-30, shaped as recorded (no region, no links)', async () => {
    for (const [accept, version] of [[V2023, '2023-01-01'], [V2024, '2024-05-30']] as const) {
      const mock = testMock();
      const res = await createBucket(mock, awsBucket, accept);
      expect(res.statusCode).toBe(200);
      const b = res.json();
      assertExportBucket(version, b);
      expect(Object.keys(b)).toEqual(['_id', 'bucketName', 'cloudProvider', 'iamRoleId', 'requirePrivateNetworking']);
      expect(b).toMatchObject({ bucketName: 'flow-bucket', cloudProvider: 'AWS', iamRoleId: awsBucket.iamRoleId, requirePrivateNetworking: false });
      await mock.app.close();
    }
  });

  it('creates Azure (container from serviceUrl, tenant derived from the role) and GCP buckets at 2024-05-30', async () => {
    const mock = testMock();
    const a = (await createBucket(mock, azure, V2024)).json();
    assertExportBucket('2024-05-30', a);
    expect(Object.keys(a)).toEqual(['_id', 'bucketName', 'cloudProvider', 'roleId', 'serviceUrl', 'tenantId']);
    expect(a.bucketName).toBe('exports');
    const b = (await createBucket(mock, { ...azure, roleId: azure.roleId, tenantId: '9a3c2b1e-4f5d-4e6a-8b7c-0d1e2f3a4b5c', bucketName: 'named' }, V2024)).json();
    expect([b.bucketName, b.tenantId]).toEqual(['named', '9a3c2b1e-4f5d-4e6a-8b7c-0d1e2f3a4b5c']);
    expect(a.tenantId).not.toBe(b.tenantId);
    const g = (await createBucket(mock, gcp, V2024)).json();
    assertExportBucket('2024-05-30', g);
    expect(Object.keys(g)).toEqual(['_id', 'bucketName', 'cloudProvider', 'roleId']);
    // The same bucket and role twice is allowed: Atlas lists many identical buckets (recorded).
    expect((await createBucket(mock, gcp, V2024)).statusCode).toBe(200);
    await mock.app.close();
  });

  it('accepts the body as application/vnd.atlas.2024-05-30+json', async () => {
    const mock = testMock();
    const res = await mock.request({ method: 'POST', url: bucketsUrl(), headers: { accept: V2024, 'content-type': 'application/vnd.atlas.2024-05-30+json' }, payload: JSON.stringify(gcp) });
    expect(res.statusCode).toBe(200);
    await mock.app.close();
  });

  const bad: [string, string, unknown, string, string][] = [
    ['2023-01-01', 'an Azure bucket (AWS only)', azure, 'INVALID_ATTRIBUTE', 'cloudProvider'],
    ['2023-01-01', 'a GCP bucket (AWS only)', gcp, 'INVALID_ATTRIBUTE', 'cloudProvider'],
    ['2023-01-01', 'no bucketName', { cloudProvider: 'AWS', iamRoleId: awsBucket.iamRoleId }, 'MISSING_ATTRIBUTE', 'bucketName'],
    ['2023-01-01', 'no cloudProvider', { bucketName: 'abc', iamRoleId: awsBucket.iamRoleId }, 'MISSING_ATTRIBUTE', 'cloudProvider'],
    ['2023-01-01', 'an iamRoleId not 24-hex', { ...awsBucket, iamRoleId: 'arn:aws:iam::1:role/x' }, 'INVALID_ATTRIBUTE', 'iamRoleId'],
    ['2023-01-01', 'a 2-character bucketName', { ...awsBucket, bucketName: 'ab' }, 'INVALID_ATTRIBUTE', 'bucketName'],
    ['2024-05-30', 'no cloudProvider', { bucketName: 'abc', roleId: gcp.roleId }, 'MISSING_ATTRIBUTE', 'cloudProvider'],
    ['2024-05-30', 'an unknown cloudProvider', { ...gcp, cloudProvider: 'IBM' }, 'INVALID_ATTRIBUTE', 'cloudProvider'],
    ['2024-05-30', 'a GCP bucket without roleId', { cloudProvider: 'GCP', bucketName: 'abc' }, 'MISSING_ATTRIBUTE', 'roleId'],
    ['2024-05-30', 'an Azure URL without container and no bucketName', { ...azure, serviceUrl: 'https://mockstorage.blob.core.windows.net/' }, 'MISSING_ATTRIBUTE', 'bucketName'],
    ['2024-05-30', 'a non-standard Azure endpoint', { ...azure, serviceUrl: 'https://mockstorage.example.com/exports/abcdefgh' }, 'INVALID_ATTRIBUTE', 'serviceUrl'],
    ['2024-05-30', 'requirePrivateNetworking a string', { ...awsBucket, requirePrivateNetworking: 'yes' }, 'INVALID_ATTRIBUTE', 'requirePrivateNetworking'],
    ['2024-05-30', 'an array body', [awsBucket], 'INVALID_JSON', ''],
  ];
  it.each(bad)('at %s refuses %s → 400 %s %s', async (version, _name, body, errorCode, attribute) => {
    const mock = testMock();
    const res = await createBucket(mock, body, version === '2023-01-01' ? V2023 : V2024);
    expect(errorOf(res)).toEqual({ status: 400, errorCode, parameters: attribute ? [attribute] : [] });
    assertSchema('ApiError', res.json());
    expect(mock.app.mock.store.bucketCount(IDS.group)).toBe(1);
    await mock.app.close();
  });

  it('refuses a bucket in an unknown project with 404 GROUP_NOT_FOUND before looking at the body', async () => {
    const mock = testMock();
    expect(errorOf(await createBucket(mock, {}, V2024, 'cccccccccccccccccccccccc'))).toEqual({ status: 404, errorCode: 'GROUP_NOT_FOUND', parameters: ['cccccccccccccccccccccccc'] });
    await mock.app.close();
  });

  it('limits the buckets of a project to maxBucketsPerProject with 409 RESOURCE_LIMIT_EXCEEDED', async () => {
    const mock = testMock({ maxBucketsPerProject: 2 }); // the first project already has one
    expect((await createBucket(mock, awsBucket, V2024)).statusCode).toBe(200);
    const over = await createBucket(mock, awsBucket, V2024);
    expect(errorOf(over)).toEqual({ status: 409, errorCode: 'RESOURCE_LIMIT_EXCEEDED', parameters: [2, 'export buckets'] });
    expect((await createBucket(mock, { ...awsBucket, iamRoleId: IDS.otherAwsRole }, V2024, IDS.otherGroup)).statusCode).toBe(200);
    await mock.app.close();
  });
});

describe('export buckets: get and list', () => {
  it('includes region only in GET one of an AWS bucket; no links anywhere', async () => {
    const mock = testMock();
    const one = (await mock.request({ url: bucketUrl(IDS.bucket), headers: { accept: V2024 } })).json();
    assertExportBucket('2024-05-30', one);
    expect(Object.keys(one)).toEqual(['_id', 'bucketName', 'cloudProvider', 'iamRoleId', 'region', 'requirePrivateNetworking']);
    expect(one.region).toBe('us-east-1');
    const listed = (await mock.request({ url: bucketsUrl(), headers: { accept: V2024 } })).json().results[0];
    expect(listed.region).toBeUndefined();
    expect(listed.links).toBeUndefined();
    const created = (await createBucket(mock, awsBucket, V2023)).json();
    expect((await mock.request({ url: bucketUrl(created._id), headers: { accept: V2023 } })).json().region).toBe('us-east-1');
    await mock.app.close();
  });

  it('shows Azure and GCP buckets only at 2024-05-30: left out of 2023-01-01 lists, 404 to its GET', async () => {
    const mock = testMock();
    const a = (await createBucket(mock, azure, V2024)).json();
    const g = (await createBucket(mock, gcp, V2024)).json();
    const v2024 = (await mock.request({ url: bucketsUrl(), headers: { accept: V2024 } })).json();
    assertExportBucketPage('2024-05-30', v2024);
    expect(v2024.results.map((b: { cloudProvider: string }) => b.cloudProvider)).toEqual(['AWS', 'AZURE', 'GCP']);
    const v2023 = (await mock.request({ url: bucketsUrl(), headers: { accept: V2023 } })).json();
    assertExportBucketPage('2023-01-01', v2023);
    expect([v2023.results.length, v2023.totalCount]).toEqual([1, 1]);
    expect(errorOf(await mock.request({ url: bucketUrl(a._id), headers: { accept: V2023 } })).errorCode).toBe('EXPORT_BUCKET_NOT_FOUND');
    const one = await mock.request({ url: bucketUrl(g._id), headers: { accept: V2024 } });
    assertExportBucket('2024-05-30', one.json());
    await mock.app.close();
  });

  it.each([
    ['an unknown id', 'aaaaaaaaaaaaaaaaaaaaaaaa'],
    ['a malformed id', 'not-an-id'],
    ['a bucket of another project', '6650a0c1f1d2e3a4b5c6d910'],
  ])('answers %s with 404 EXPORT_BUCKET_NOT_FOUND (GET and DELETE)', async (_name, id) => {
    const mock = testMock();
    for (const method of ['GET', 'DELETE'] as const) {
      const res = await mock.request({ method, url: bucketUrl(id), headers: { accept: V2024 } });
      expect(errorOf(res)).toEqual({ status: 404, errorCode: 'EXPORT_BUCKET_NOT_FOUND', parameters: [id] });
    }
    await mock.app.close();
  });

  it('answers 404 GROUP_NOT_FOUND for the buckets of an unknown project', async () => {
    const mock = testMock();
    expect(errorOf(await mock.request({ url: bucketsUrl('cccccccccccccccccccccccc'), headers: { accept: V2024 } })).errorCode).toBe('GROUP_NOT_FOUND');
    await mock.app.close();
  });
});

describe('export buckets: delete', () => {
  it('answers 204 with the versioned Content-Type and no body; the bucket is gone', async () => {
    const mock = testMock();
    const b = (await createBucket(mock, gcp, V2024)).json();
    const res = await mock.request({ method: 'DELETE', url: bucketUrl(b._id), headers: { accept: V2024 } });
    expect(res.statusCode).toBe(204);
    expect(res.headers['content-type']).toBe('application/vnd.atlas.2023-01-01+json;charset=utf-8');
    expect([res.headers['deprecation'], res.headers['sunset']]).toEqual([undefined, undefined]);
    expect(res.body).toBe('');
    expect((await mock.request({ url: bucketUrl(b._id), headers: { accept: V2024 } })).statusCode).toBe(404);
    expect((await mock.request({ method: 'DELETE', url: bucketUrl(b._id) })).statusCode).toBe(404);
    await mock.app.close();
  });

  it('answers HTTP 200 {"status":204} with envelope=true', async () => {
    const mock = testMock();
    const b = (await createBucket(mock, gcp, V2024)).json();
    const res = await mock.request({ method: 'DELETE', url: `${bucketUrl(b._id)}?envelope=true` });
    expect([res.statusCode, res.body]).toEqual([200, '{"status":204}']);
    expect(mock.app.mock.store.bucket(b._id)).toBeUndefined();
    await mock.app.close();
  });

  it('deletes a bucket an active export job writes to (Terraform destroys it right after the job); the job keeps its id and ends', async () => {
    const mock = testMock({ plan: { queuedMs: 60_000, runningMs: 60_000 } });
    const b = (await createBucket(mock, awsBucket, V2024)).json();
    const job = (await createJob(mock, { snapshotId: IDS.snapshotReady, exportBucketId: b._id })).json();
    expect(job.state).toBe('Queued');
    const deleted = await mock.request({ method: 'DELETE', url: bucketUrl(b._id) });
    expect([deleted.statusCode, deleted.body]).toEqual([204, '']);
    expect((await mock.request({ url: bucketUrl(b._id) })).statusCode).toBe(404);
    const during = (await mock.request({ url: jobUrl(job.id) })).json();
    expect([during.state, during.exportBucketId]).toEqual(['Queued', b._id]);
    mock.clock.advanceBy(120_000);
    const after = (await mock.request({ url: jobUrl(job.id) })).json();
    expect([after.state, after.exportBucketId]).toEqual(['Successful', b._id]);
    // A new export to the deleted bucket is refused.
    expect(errorOf(await createJob(mock, { snapshotId: IDS.snapshotReady, exportBucketId: b._id })).errorCode).toBe('EXPORT_BUCKET_NOT_FOUND');
    await mock.app.close();
  });
});
