/** Creating an export job: every rule of contract §7, in the order the service checks them, and the new job. */
import { describe, expect, it } from 'vitest';
import { objectIdTime } from '../../src/core/objectid.js';
import { stateSchemas } from '../../src/state/schema.js';
import { captureState } from '../../src/state/snapshot.js';
import { assertSchema, itWithEvidence, recorded, shape } from '../helpers/contract.js';
import { createJob, errorOf } from '../helpers/flow.js';
import { exportsUrl, IDS, jobUrl, T0, testMock } from '../helpers/mock.js';

const ready = { snapshotId: IDS.snapshotReady, exportBucketId: IDS.bucket };

describe('create an export job: success', () => {
  itWithEvidence('answers a job shaped like the recorded create', async () => {
    const mock = testMock();
    const job = (await createJob(mock, ready)).json();
    expect(shape(job)).toEqual(shape(JSON.parse(recorded('export-job-create-200-queued.http').body)));
    await mock.app.close();
  });

  it('answers 200 with the job Queued', async () => {
    const mock = testMock();
    const res = await createJob(mock, ready);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.atlas.2023-01-01+json;charset=utf-8');
    const job = res.json();
    assertSchema('DiskBackupExportJob', job);
    expect(job).toMatchObject({ state: 'Queued', snapshotId: IDS.snapshotReady, exportBucketId: IDS.bucket, customData: [], exportStatus: { exportedCollections: 0, totalCollections: 42 } });
    expect(job.prefix).toBe(`exported_snapshots/${IDS.org}/${IDS.group}/Cluster0/2024-05-24T1440/${T0 / 1000}`);
    // Readable right after, and listed.
    const got = await mock.request({ url: jobUrl(job.id) });
    expect(got.json()).toEqual(job);
    await mock.app.close();
  });

  it('accepts application/json and application/vnd.atlas.<date>+json bodies (with or without charset)', async () => {
    for (const contentType of ['application/json', 'application/vnd.atlas.2023-01-01+json', 'application/json; charset=utf-8', 'application/vnd.atlas.2023-01-01+json;charset=utf-8']) {
      const mock = testMock();
      const res = await createJob(mock, ready, { contentType });
      expect([contentType, res.statusCode]).toEqual([contentType, 200]);
      await mock.app.close();
    }
  });

  it('makes the id from the clock: an ObjectId whose timestamp is createdAt, in whole seconds', async () => {
    const mock = testMock({}, { start: T0 + 1_789 });
    const job = (await createJob(mock, ready)).json();
    expect(objectIdTime(job.id)).toBe(T0 + 1_000);
    expect(job.createdAt).toBe(new Date(T0 + 1_000).toISOString().replace('.000Z', 'Z'));
    await mock.app.close();
  });

  it('echoes customData; null customData reads as none; unknown attributes are ignored', async () => {
    const mock = testMock();
    const labels = [{ key: 'team', value: 'analytics' }, { key: 'ticket', value: 'EXP-1' }];
    const a = await createJob(mock, { ...ready, customData: labels, links: [], extra: 1 });
    expect(a.statusCode).toBe(200);
    expect(a.json().customData).toEqual(labels);
    const mock2 = testMock();
    expect((await createJob(mock2, { ...ready, customData: null })).json().customData).toEqual([]);
    await Promise.all([mock.app.close(), mock2.app.close()]);
  });

  it('accepts labels without key or value, as the spec’s BackupLabel requires neither (null reads as absent)', async () => {
    const mock = testMock();
    const res = await createJob(mock, { ...ready, customData: [{ key: 'only-key' }, { value: 'only-value' }, {}, { key: null, value: 'v' }] });
    expect(res.statusCode).toBe(200);
    const expected = [{ key: 'only-key' }, { value: 'only-value' }, {}, { value: 'v' }];
    expect(res.json().customData).toEqual(expected);
    // As stored: read back, and through the state file (its zod schema, the fixtures' format) unchanged.
    expect((await mock.request({ url: jobUrl(res.json().id) })).json().customData).toEqual(expected);
    const saved = stateSchemas().stateFileSchema.parse(JSON.parse(JSON.stringify(captureState(mock.app.mock, mock.app.atlasAuth))));
    expect(saved.data.exportJobs.find((j) => j.id === res.json().id)?.customData).toEqual(expected);
    await mock.app.close();
  });

  it('gives a sharded cluster’s job one component per shard and no exportStatus', async () => {
    const mock = testMock();
    // The sharded snapshot's only job is Successful (terminal): a new export is allowed.
    const res = await createJob(mock, { snapshotId: IDS.snapshotSharded, exportBucketId: IDS.bucket }, { cluster: 'Sharded0' });
    expect(res.statusCode).toBe(200);
    const job = res.json();
    assertSchema('DiskBackupExportJob', job);
    expect(job.exportStatus).toBeUndefined();
    expect(job.components.map((c: { replicaSetName: string }) => c.replicaSetName)).toEqual(['atlas-mock-shard-0', 'atlas-mock-shard-1']);
    expect(new Set([job.id, ...job.components.map((c: { exportId: string }) => c.exportId)]).size).toBe(3);
    await mock.app.close();
  });

  it('plans the job with the cluster’s next plan when one is set, else the default plan; the job keeps its copy', async () => {
    const mock = testMock({ plan: { queuedMs: 1_000, runningMs: 1_000 } });
    const ctx = mock.app.mock;
    ctx.nextPlans.push(IDS.group, 'Sharded0', { kind: 'timed', queuedMs: 0, runningMs: 0, outcome: 'Cancelled' });
    const plain = (await createJob(mock, ready)).json();
    const sharded = (await createJob(mock, { snapshotId: IDS.snapshotSharded, exportBucketId: IDS.bucket }, { cluster: 'Sharded0' })).json();
    expect(sharded.state).toBe('Cancelled');
    ctx.defaultPlan = { ...ctx.defaultPlan, outcome: 'Failed' };
    mock.clock.advanceBy(2_000);
    expect((await mock.request({ url: jobUrl(plain.id) })).json().state).toBe('Successful');
    await mock.app.close();
  });
});

describe('create an export job: errors (contract §7)', () => {
  const cases: { name: string; payload: string | undefined; contentType?: string; status: number; errorCode: string; parameters: unknown[] }[] = [
    { name: 'no body at all', payload: undefined, status: 400, errorCode: 'MALFORMED_JSON', parameters: [] },
    { name: 'an empty JSON body', payload: '', status: 400, errorCode: 'MALFORMED_JSON', parameters: [] },
    { name: 'JSON that does not parse', payload: '{"snapshotId":', status: 400, errorCode: 'MALFORMED_JSON', parameters: [] },
    { name: 'body null', payload: 'null', status: 400, errorCode: 'INVALID_JSON', parameters: [] },
    { name: 'an array body', payload: '[]', status: 400, errorCode: 'INVALID_JSON', parameters: [] },
    { name: 'a string body', payload: '"export"', status: 400, errorCode: 'INVALID_JSON', parameters: [] },
    { name: 'an empty object', payload: '{}', status: 400, errorCode: 'MISSING_ATTRIBUTE', parameters: ['exportBucketId'] },
    { name: 'no snapshotId', payload: JSON.stringify({ exportBucketId: IDS.bucket }), status: 400, errorCode: 'MISSING_ATTRIBUTE', parameters: ['snapshotId'] },
    { name: 'snapshotId null', payload: JSON.stringify({ ...ready, snapshotId: null }), status: 400, errorCode: 'MISSING_ATTRIBUTE', parameters: ['snapshotId'] },
    { name: 'snapshotId a number', payload: JSON.stringify({ ...ready, snapshotId: 5 }), status: 400, errorCode: 'INVALID_ATTRIBUTE', parameters: ['snapshotId'] },
    { name: 'exportBucketId not 24-hex', payload: JSON.stringify({ ...ready, exportBucketId: 'XYZ' }), status: 400, errorCode: 'INVALID_ATTRIBUTE', parameters: ['exportBucketId'] },
    { name: 'customData not an array', payload: JSON.stringify({ ...ready, customData: 'x' }), status: 400, errorCode: 'INVALID_ATTRIBUTE', parameters: ['customData'] },
    { name: 'a label key of the wrong type', payload: JSON.stringify({ ...ready, customData: [{ key: 1, value: 'v' }] }), status: 400, errorCode: 'INVALID_ATTRIBUTE', parameters: ['customData.key'] },
    { name: 'a label value of the wrong type', payload: JSON.stringify({ ...ready, customData: [{ key: 'k', value: [] }] }), status: 400, errorCode: 'INVALID_ATTRIBUTE', parameters: ['customData.value'] },
    { name: 'a text/plain body', payload: 'snapshotId=1', contentType: 'text/plain', status: 415, errorCode: 'UNSUPPORTED_MEDIA_TYPE', parameters: ['text/plain'] },
    { name: 'an unknown bucket', payload: JSON.stringify({ ...ready, exportBucketId: 'aaaaaaaaaaaaaaaaaaaaaaaa' }), status: 404, errorCode: 'EXPORT_BUCKET_NOT_FOUND', parameters: ['aaaaaaaaaaaaaaaaaaaaaaaa'] },
    { name: 'a bucket of another project', payload: JSON.stringify({ ...ready, exportBucketId: '6650a0c1f1d2e3a4b5c6d910' }), status: 404, errorCode: 'EXPORT_BUCKET_NOT_FOUND', parameters: ['6650a0c1f1d2e3a4b5c6d910'] },
    { name: 'an unknown snapshot', payload: JSON.stringify({ ...ready, snapshotId: 'bbbbbbbbbbbbbbbbbbbbbbbb' }), status: 404, errorCode: 'SNAPSHOT_NOT_FOUND', parameters: ['bbbbbbbbbbbbbbbbbbbbbbbb', 'Cluster0'] },
    { name: 'a snapshot of another cluster', payload: JSON.stringify({ ...ready, snapshotId: IDS.snapshotSharded }), status: 404, errorCode: 'SNAPSHOT_NOT_FOUND', parameters: [IDS.snapshotSharded, 'Cluster0'] },
    { name: 'a snapshot still in progress', payload: JSON.stringify({ ...ready, snapshotId: IDS.snapshotInProgress }), status: 409, errorCode: 'CANNOT_EXPORT_INCOMPLETE_SNAPSHOT', parameters: [IDS.snapshotInProgress] },
    { name: 'a snapshot with an active export (pinned fixtures)', payload: JSON.stringify({ ...ready, snapshotId: IDS.snapshotCompleted }), status: 409, errorCode: 'EXPORT_ALREADY_IN_PROGRESS', parameters: [IDS.snapshotCompleted] },
  ];

  it.each(cases)('$name → $status $errorCode', async ({ payload, contentType, status, errorCode, parameters }) => {
    const mock = testMock();
    const headers: Record<string, string> = payload === undefined ? {} : { 'content-type': contentType ?? 'application/json' };
    const res = await mock.request({ method: 'POST', url: exportsUrl(), headers, ...(payload !== undefined && { payload }) });
    expect(errorOf(res)).toEqual({ status, errorCode, parameters });
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['x-error-code']).toBe(errorCode);
    assertSchema('ApiError', res.json());
    // Nothing was created.
    expect(mock.app.mock.store.jobCount(IDS.group)).toBe(6);
    await mock.app.close();
  });

  it('checks the path before the body: unknown project 404 GROUP_NOT_FOUND, unknown cluster 404 CLUSTER_NOT_FOUND', async () => {
    const mock = testMock();
    expect(errorOf(await createJob(mock, {}, { groupId: 'cccccccccccccccccccccccc' }))).toEqual({ status: 404, errorCode: 'GROUP_NOT_FOUND', parameters: ['cccccccccccccccccccccccc'] });
    expect(errorOf(await createJob(mock, {}, { cluster: 'NoSuchCluster' }))).toEqual({ status: 404, errorCode: 'CLUSTER_NOT_FOUND', parameters: ['NoSuchCluster', IDS.group] });
    await mock.app.close();
  });

  it('lets a client wait for an in-progress snapshot, then export it', async () => {
    const mock = testMock();
    const body = { ...ready, snapshotId: IDS.snapshotInProgress };
    expect((await createJob(mock, body)).statusCode).toBe(409);
    // The fixture completes 5 minutes (mock clock) after loading.
    mock.clock.advanceBy(299_999);
    expect(errorOf(await createJob(mock, body)).errorCode).toBe('CANNOT_EXPORT_INCOMPLETE_SNAPSHOT');
    mock.clock.advanceBy(1);
    const res = await createJob(mock, body);
    expect(res.statusCode).toBe(200);
    expect(res.json().state).toBe('Queued');
    await mock.app.close();
  });

  it('refuses a second export of a snapshot while one is active, and allows it once that one ended', async () => {
    const mock = testMock({ plan: { queuedMs: 60_000, runningMs: 60_000, outcome: 'Failed' } });
    expect((await createJob(mock, ready)).statusCode).toBe(200);
    mock.clock.advanceBy(90_000); // InProgress
    expect(errorOf(await createJob(mock, ready))).toEqual({ status: 409, errorCode: 'EXPORT_ALREADY_IN_PROGRESS', parameters: [IDS.snapshotReady] });
    mock.clock.advanceBy(30_000); // Failed: terminal
    expect((await createJob(mock, ready)).statusCode).toBe(200);
    await mock.app.close();
  });

  it('sees a job made active again by a plan change or by the clock set back, after many finished ones', async () => {
    const mock = testMock({ plan: { queuedMs: 0, runningMs: 0 } });
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      const res = await createJob(mock, ready);
      expect(res.statusCode).toBe(200);
      ids.push(res.json().id as string);
      mock.clock.advanceBy(1000);
    }
    // A finished job of the middle pinned InProgress through the control API: the snapshot is busy again.
    const pinned = await mock.app.inject({ method: 'PUT', url: `/__mock/exports/${ids[20]}/plan`, payload: { pin: { state: 'InProgress' } } });
    expect(pinned.statusCode).toBe(200);
    expect(errorOf(await createJob(mock, ready)).errorCode).toBe('EXPORT_ALREADY_IN_PROGRESS');
    await mock.app.inject({ method: 'PUT', url: `/__mock/exports/${ids[20]}/plan`, payload: { pin: { state: 'Successful' } } });
    expect((await createJob(mock, ready)).statusCode).toBe(200);
    // With a plan that lasts, a job created later is active when the clock is set back before its end.
    await mock.app.inject({ method: 'PUT', url: `/__mock/exports/${ids[10]}/plan`, payload: { plan: { queuedMs: 5000, runningMs: 5000 } } });
    expect((await createJob(mock, ready)).statusCode).toBe(200);
    mock.clock.setTo(mock.clock.now() - 45_000);
    expect(errorOf(await createJob(mock, ready)).errorCode).toBe('EXPORT_ALREADY_IN_PROGRESS');
    await mock.app.close();
  });

  it('answers envelope=true errors with HTTP 200 and the real status in the body', async () => {
    const mock = testMock();
    const res = await mock.request({ method: 'POST', url: `${exportsUrl()}?envelope=true`, headers: { 'content-type': 'application/json' }, payload: '{}' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 400, content: { errorCode: 'MISSING_ATTRIBUTE' } });
    await mock.app.close();
  });
});

describe('per-project limit of export jobs (a limit of the mock)', () => {
  it('answers 409 RESOURCE_LIMIT_EXCEEDED once a project holds maxJobsPerProject jobs; other projects are not affected', async () => {
    // The default dataset has 6 jobs in the first project and none in the other.
    const mock = testMock({ maxJobsPerProject: 7 });
    expect((await createJob(mock, ready)).statusCode).toBe(200);
    const over = await createJob(mock, { snapshotId: IDS.snapshotSharded, exportBucketId: IDS.bucket }, { cluster: 'Sharded0' });
    expect(errorOf(over)).toEqual({ status: 409, errorCode: 'RESOURCE_LIMIT_EXCEEDED', parameters: [7, 'export jobs'] });
    expect(over.json().detail).toBe('The mock holds at most 7 export jobs per project.');
    const other = await createJob(mock, { snapshotId: '6650a0c1f1d2e3a4b5c6d901', exportBucketId: '6650a0c1f1d2e3a4b5c6d910' }, { groupId: IDS.otherGroup });
    expect(other.statusCode).toBe(200);
    await mock.app.close();
  });

});
