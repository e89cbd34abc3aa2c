// Testing a client of the Atlas export API against atlas-export-mock, in-process (vitest; jest is alike).
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { startAtlasMock, type AtlasMock } from 'atlas-export-mock';

const GROUP = '6650a0c1f1d2e3a4b5c6d7e1'; // the default dataset's project
const jobPath = (exportId: string) => `/api/atlas/v2/groups/${GROUP}/clusters/Cluster0/backup/exports/${exportId}`;

type ExportJob = { state: string; stateReason?: { errorCode: string; message: string } };

/** The code under test: reads an export job, retrying a 5xx answer up to 3 times. */
async function readExportJob(baseUrl: string, auth: Record<string, string>, exportId: string) {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(baseUrl + jobPath(exportId), { headers: { accept: 'application/vnd.atlas.2023-01-01+json', ...auth } });
    if (res.status < 500 || attempt === 3) return { status: res.status, attempts: attempt, job: (await res.json()) as ExportJob };
  }
}

let mock: AtlasMock;
beforeAll(async () => {
  mock = await startAtlasMock({ clock: { start: '2026-08-10T03:00:00Z' } }); // manual clock, seed 1, port 0
});
beforeEach(() => mock.reset()); // fixtures back, faults and journal cleared
afterAll(() => mock.close());

it('retries through two 500s', async () => {
  await mock.faults.add({ operation: 'getBackupExport', times: 2, error: 'UNEXPECTED_ERROR' });
  const result = await readExportJob(mock.url, await mock.authHeaders(), '6650a0c1f1d2e3a4b5c6d822');
  expect(result).toMatchObject({ status: 200, attempts: 3, job: { state: 'Successful' } });
  const calls = await mock.journal.list({ operation: 'getBackupExport' });
  expect(calls.map((c) => c.status)).toEqual([500, 500, 200]);
});

it('sees a job move with the mock clock, and fail on demand', async () => {
  const exportId = '6a793eb0f1d2e3a4b5c6d8a0'; // an ObjectId of 2026-08-10T03:00:00Z: created at the clock's start
  await mock.fixtures.load({
    exportJobs: [{ id: exportId, groupId: GROUP, clusterName: 'Cluster0',
      snapshotId: '6650a0c1f1d2e3a4b5c6d801', exportBucketId: '6650a0c1f1d2e3a4b5c6d810', plan: { queued: 'PT2M', running: 'PT12M' } }],
  }, { transient: true });
  const auth = await mock.authHeaders();
  expect((await readExportJob(mock.url, auth, exportId)).job.state).toBe('Queued');
  await mock.clock.advanceBy('PT5M');
  expect((await readExportJob(mock.url, auth, exportId)).job.state).toBe('InProgress');
  await mock.plans.job(exportId, { finish: { outcome: 'Failed', stateReason: { errorCode: 'EXPORT_FAILED', message: 'Access denied' } } });
  const { job } = await readExportJob(mock.url, auth, exportId);
  expect(job).toMatchObject({ state: 'Failed', stateReason: { message: 'Access denied' } });
});
