/**
 * Parity with real Atlas for snapshots and backup schedules (contract §9): every in-scope response of these
 * families in `upstream/recorded-workflow/` (TestSnapshots, TestSchedule, the snapshot steps of
 * TestExportJobs) and `recorded/backup-schedule-get-200-deprecated-version.http`, replayed against the mock.
 * Each test loads the recorded world, sets the manual clock to the recording's `Date` and asks what the CLI
 * asked: same status, same PARITY_HEADERS values, same keys and types, and — the ids being the recorded ones —
 * the same bytes. A create makes its id with the mock's ObjectId factory, made to return the recorded id.
 *
 * Timing of the recorded snapshots (lifecycle.ts): TestSnapshots requested 03:26:42, completed 03:29:21 (the
 * default plan: 5 s queued, 2 min 34 s running); TestExportJobs requested 03:19:34, completed 03:28:21 (5 s
 * queued, 8 min 42 s running). Both were taken 73 s before completion. Their sizes are the fixtures'.
 */
import { expect, it, vi } from 'vitest';
import { parseDataset } from '../../src/fixtures/load.js';
import type { DatasetInput } from '../../src/fixtures/schema.js';
import { describeWithEvidence, assertSchema, PARITY_HEADERS, recorded, recordedWorkflow, shape, type Recorded } from '../helpers/contract.js';
import { testMock, type TestMock } from '../helpers/mock.js';

const ORG = 'a0123456789abcdef012345a';
const GROUP = 'b0123456789abcdef012345b';
const HOST = 'localhost:8080';
const V2023 = 'application/vnd.atlas.2023-01-01+json';
const V2024_08 = 'application/vnd.atlas.2024-08-05+json';

function expectParity(res: { statusCode: number; headers: Record<string, unknown>; body: string }, rec: Recorded): void {
  expect(res.statusCode).toBe(rec.status);
  for (const h of PARITY_HEADERS) expect([h, res.headers[h]]).toEqual([h, rec.headers[h]]);
  if (rec.body) expect(shape(JSON.parse(res.body))).toEqual(shape(JSON.parse(rec.body)));
  expect(res.body).toBe(rec.body);
}

const at = (rec: Recorded) => Date.parse(rec.headers['date']!);

/** One project with one replica set, recorded ids; `snapshots` as the test needs them. */
function world(cluster: { id: string; name: string }, extra: Partial<DatasetInput> = {}) {
  return parseDataset({
    organizations: [{ id: ORG, name: 'recorded org' }],
    projects: [{ id: GROUP, orgId: ORG, name: 'recorded project' }],
    clusters: [{ id: cluster.id, groupId: GROUP, name: cluster.name, collections: 0, mongodVersion: '8.0.29', cloudProvider: 'AWS' }],
    ...extra,
  });
}

const snapshotsUrl = (cluster: string) => `/api/atlas/v2/groups/${GROUP}/clusters/${cluster}/backup/snapshots`;

interface Recording {
  test: string;
  cluster: { id: string; name: string };
  snapshot: { id: string; plan: { queued: string; running: string }; storageSizeBytes: number };
  create: string;
  watch: string[];
  describe?: string;
  list?: string;
  remove: string;
}

const RECORDINGS: Recording[] = [
  {
    test: 'TestSnapshots',
    cluster: { id: '6a793f54c0eb9e7a17713ff5', name: 'cluster-209' },
    snapshot: { id: '6a7944f22c88faeba59d3572', plan: { queued: 'PT5S', running: 'PT2M34S' }, storageSizeBytes: 1582854144 },
    create: 'TestSnapshots/Create_snapshot/POST_api_atlas_v2_groups_b0123456789abcdef012345b_clusters_cluster-209_backup_snapshots_1.http',
    watch: [1, 2, 3, 4].map((n) => `TestSnapshots/Watch_creation/GET_api_atlas_v2_groups_b0123456789abcdef012345b_clusters_cluster-209_backup_snapshots_6a7944f22c88faeba59d3572_${n}.http`),
    describe: 'TestSnapshots/Describe/GET_api_atlas_v2_groups_b0123456789abcdef012345b_clusters_cluster-209_backup_snapshots_6a7944f22c88faeba59d3572_1.http',
    list: 'TestSnapshots/List/GET_api_atlas_v2_groups_b0123456789abcdef012345b_clusters_cluster-209_backup_snapshots_1.http',
    remove: 'TestSnapshots/Delete/DELETE_api_atlas_v2_groups_b0123456789abcdef012345b_clusters_cluster-209_backup_snapshots_6a7944f22c88faeba59d3572_1.http',
  },
  {
    test: 'TestExportJobs',
    cluster: { id: '6a793f7a2c88faeba59bbb38', name: 'cluster-989' },
    snapshot: { id: '6a7943462c88faeba59ccf5f', plan: { queued: 'PT5S', running: 'PT8M42S' }, storageSizeBytes: 1574477824 },
    create: 'TestExportJobs/Create_snapshot/POST_api_atlas_v2_groups_b0123456789abcdef012345b_clusters_cluster-989_backup_snapshots_1.http',
    watch: [1, 2, 3, 4].map((n) => `TestExportJobs/Watch_snapshot_creation/GET_api_atlas_v2_groups_b0123456789abcdef012345b_clusters_cluster-989_backup_snapshots_6a7943462c88faeba59ccf5f_${n}.http`),
    remove: 'TestExportJobs/Delete_snapshot/DELETE_api_atlas_v2_groups_b0123456789abcdef012345b_clusters_cluster-989_backup_snapshots_6a7943462c88faeba59ccf5f_1.http',
  },
];

describeWithEvidence.each(RECORDINGS)('parity: snapshots of $test', (r) => {
  const withSnapshot = () =>
    world(r.cluster, {
      snapshots: [{ id: r.snapshot.id, groupId: GROUP, clusterName: r.cluster.name, plan: { ...r.snapshot.plan, outcome: 'completed' }, description: 'test-snapshot', storageSizeBytes: r.snapshot.storageSizeBytes, retention: 'P1D' }],
    });
  const mockAt = (rec: Recorded, fixtures = withSnapshot()): TestMock => testMock({ fixtures }, { start: at(rec) });

  it('take on demand: 200 queued, expiresAt = request + 1 day', async () => {
    const rec = recordedWorkflow(r.create);
    const mock = mockAt(rec, world(r.cluster));
    const next = vi.spyOn(mock.app.mock.ids, 'next').mockReturnValueOnce(r.snapshot.id);
    // What the Atlas CLI sends: `backups snapshots create --desc test-snapshot --retention 1`.
    const res = await mock.request({
      method: 'POST',
      url: snapshotsUrl(r.cluster.name),
      headers: { accept: V2023, 'content-type': V2023, host: HOST },
      payload: JSON.stringify({ description: 'test-snapshot', retentionInDays: 1 }),
    });
    expect(next).toHaveBeenCalledWith(at(rec));
    expectParity(res, rec);
    await mock.app.close();
  });

  it.each([0, 1, 2, 3])('watch %i: the fields appear as recorded (queued → inProgress → completed)', async (i) => {
    const rec = recordedWorkflow(r.watch[i]!);
    const mock = mockAt(rec);
    const res = await mock.request({ url: `${snapshotsUrl(r.cluster.name)}/${r.snapshot.id}`, headers: { accept: V2023, host: HOST } });
    expectParity(res, rec);
    assertSchema('DiskBackupReplicaSet', res.json());
    await mock.app.close();
  });

  // The steps each recording has: TestSnapshots also describes and lists the snapshot.
  const reads = [...(r.describe ? [{ step: 'describe', file: r.describe, query: '' }] : []), ...(r.list ? [{ step: 'list: one page, self link with the effective parameters', file: r.list, query: '?itemsPerPage=100&pageNum=1' }] : [])];
  it.each(reads)('$step', async ({ file, query }) => {
    const rec = recordedWorkflow(file);
    const mock = mockAt(rec);
    const url = query ? `${snapshotsUrl(r.cluster.name)}${query}` : `${snapshotsUrl(r.cluster.name)}/${r.snapshot.id}`;
    expectParity(await mock.request({ url, headers: { accept: V2023, host: HOST } }), rec);
    await mock.app.close();
  });

  it('delete: 204 with the versioned Content-Type and no body', async () => {
    const rec = recordedWorkflow(r.remove);
    const mock = mockAt(rec);
    const res = await mock.request({ method: 'DELETE', url: `${snapshotsUrl(r.cluster.name)}/${r.snapshot.id}`, headers: { accept: V2023, host: HOST } });
    expectParity(res, rec);
    expect((await mock.request({ url: `${snapshotsUrl(r.cluster.name)}/${r.snapshot.id}`, headers: { accept: V2023 } })).statusCode).toBe(404);
    await mock.app.close();
  });
});

describeWithEvidence('parity: the backup schedule of TestSchedule', () => {
  const GROUP_S = '6a793f4dc0eb9e7a17713383';
  const CLUSTER = 'backupSchedule-600';
  const URL = `/api/atlas/v2/groups/${GROUP_S}/clusters/${CLUSTER}/backup/schedule`;
  // The cluster of the recording and the policy Atlas created when it was ready (its id's time, 03:16:06).
  const scheduleWorld = () =>
    parseDataset({
      organizations: [{ id: ORG, name: 'recorded org' }],
      projects: [{ id: GROUP_S, orgId: ORG, name: 'backupSchedule project' }],
      clusters: [{ id: '6a793f5ac0eb9e7a17714407', groupId: GROUP_S, name: CLUSTER, collections: 0, mongodVersion: '8.0.29' }],
      backupSchedules: [{ groupId: GROUP_S, clusterName: CLUSTER, policyId: '6a7942765a068714fc067fe0', since: '2026-08-10T03:16:06Z' }],
    });
  const describeRec = 'TestSchedule/Describe/GET_api_atlas_v2_groups_6a793f4dc0eb9e7a17713383_clusters_backupSchedule-600_backup_schedule_1.http';

  it.each([
    ['recorded-workflow Describe', () => recordedWorkflow(describeRec)],
    ['recorded/backup-schedule-get-200-deprecated-version.http', () => recorded('backup-schedule-get-200-deprecated-version.http')],
  ])('describe at 2023-01-01, with Deprecation and Sunset (%s)', async (_name, load) => {
    const rec = load();
    const mock = testMock({ fixtures: scheduleWorld() }, { start: at(rec) });
    const res = await mock.request({ url: URL, headers: { accept: V2023, host: HOST } });
    expectParity(res, rec);
    await mock.app.close();
  });

  it('describe, update (the prefix flag) at 2023-01-01, then delete at 2024-08-05, one after the other', async () => {
    const describe = recordedWorkflow(describeRec);
    const update = recordedWorkflow('TestSchedule/Update/PATCH_api_atlas_v2_groups_6a793f4dc0eb9e7a17713383_clusters_backupSchedule-600_backup_schedule_1.http');
    const remove = recordedWorkflow('TestSchedule/Delete/DELETE_api_atlas_v2_groups_6a793f4dc0eb9e7a17713383_clusters_backupSchedule-600_backup_schedule_1.http');
    const mock = testMock({ fixtures: scheduleWorld() }, { start: at(describe) });
    expectParity(await mock.request({ url: URL, headers: { accept: V2023, host: HOST } }), describe);
    mock.clock.setTo(at(update));
    // What `atlas backups schedule update --clusterName … --useOrgAndGroupNamesInExportPrefix` sends.
    const patched = await mock.request({
      method: 'PATCH',
      url: URL,
      headers: { accept: V2023, 'content-type': V2023, host: HOST },
      payload: JSON.stringify({ clusterName: CLUSTER, useOrgAndGroupNamesInExportPrefix: true }),
    });
    expectParity(patched, update);
    mock.clock.setTo(at(remove));
    const deleted = await mock.request({ method: 'DELETE', url: URL, headers: { accept: V2024_08, host: HOST } });
    expectParity(deleted, remove);
    await mock.app.close();
  });
});
