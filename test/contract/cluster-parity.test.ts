/**
 * Parity with real Atlas for the cluster reads: every recorded `GET …/clusters/{name}` of the Atlas CLI e2e
 * suite (recorded-workflow TestSnapshots, TestExportJobs, TestSchedule: resource versions 2023-02-01 and
 * 2024-08-05; CREATING, IDLE, DELETING; then 404 once deleted) replayed against the mock. The world of each
 * recording is the cluster it shows, given to the mock as a fixture (id, name, state, backup, continuous
 * backup, MongoDB version, instance size, region, disk size, the DNS domain and replica set of its connection
 * strings); the mock must answer with
 * the same status, the same PARITY_HEADERS, `Ratelimit-Limit: 10000` (the Clusters set), the same keys in the
 * same order and the same bytes — except the ids Atlas gives a cluster's replication specs and zone, which the
 * mock derives itself: the test puts the mock's in place of the recorded ones (and checks they are ObjectIds).
 */
import { expect, it } from 'vitest';
import { parseDataset } from '../../src/fixtures/load.js';
import { describeWithEvidence, PARITY_HEADERS, recorded, recordedWorkflow, shape, type Recorded } from '../helpers/contract.js';
import { testMock } from '../helpers/mock.js';

const ORG = 'a0123456789abcdef012345a';
const HOST = 'localhost:8080';

const FILES = [
  'TestSnapshots/GET_api_atlas_v2_groups_b0123456789abcdef012345b_clusters_cluster-209_1.http',
  'TestSnapshots/GET_api_atlas_v2_groups_b0123456789abcdef012345b_clusters_cluster-209_2.http',
  'TestSnapshots/GET_api_atlas_v2_groups_b0123456789abcdef012345b_clusters_cluster-209_3.http',
  'TestSnapshots/GET_api_atlas_v2_groups_b0123456789abcdef012345b_clusters_cluster-209_4.http',
  'TestExportJobs/GET_api_atlas_v2_groups_b0123456789abcdef012345b_clusters_cluster-989_1.http',
  'TestExportJobs/GET_api_atlas_v2_groups_b0123456789abcdef012345b_clusters_cluster-989_2.http',
  'TestExportJobs/GET_api_atlas_v2_groups_b0123456789abcdef012345b_clusters_cluster-989_3.http',
  'TestExportJobs/GET_api_atlas_v2_groups_b0123456789abcdef012345b_clusters_cluster-989_4.http',
  'TestSchedule/GET_api_atlas_v2_groups_6a793f4dc0eb9e7a17713383_clusters_backupSchedule-600_1.http',
  'TestSchedule/GET_api_atlas_v2_groups_6a793f4dc0eb9e7a17713383_clusters_backupSchedule-600_2.http',
  'TestSchedule/GET_api_atlas_v2_groups_6a793f4dc0eb9e7a17713383_clusters_backupSchedule-600_3.http',
];

type Json = Record<string, any>;

/** The cluster a recorded body shows, as a fixture. */
function worldOf(body: Json) {
  const spec = body.replicationSpecs[0].regionConfigs[0];
  const srv: string | undefined = body.connectionStrings.standardSrv;
  const replicaSet = /replicaSet=([^&]+)/.exec(body.connectionStrings.standard ?? '')?.[1];
  return parseDataset({
    organizations: [{ id: ORG, name: 'recorded org' }],
    projects: [{ id: body.groupId, orgId: ORG, name: 'recorded project' }],
    clusters: [
      {
        id: body.id,
        groupId: body.groupId,
        name: body.name,
        collections: 0,
        mongodVersion: body.mongoDBVersion,
        cloudProvider: spec.providerName,
        stateName: body.stateName,
        backupEnabled: body.backupEnabled,
        pitEnabled: body.pitEnabled,
        instanceSize: spec.electableSpecs.instanceSize,
        region: spec.regionName,
        diskSizeGB: body.diskSizeGB ?? spec.electableSpecs.diskSizeGB,
        ...(srv && { domain: srv.slice(`mongodb+srv://${body.name.toLowerCase()}.`.length) }),
        ...(replicaSet && { replicaSetName: replicaSet }),
      },
    ],
  });
}

/** The recorded body with the replication-spec and zone ids of `mine` in place of Atlas's. */
function withMockSpecIds(rec: string, recorded: Json, mine: Json): string {
  let out = rec;
  const swap = (a: string, b: string) => {
    expect(b).toMatch(/^[a-f0-9]{24}$/);
    out = out.split(a).join(b);
  };
  recorded.replicationSpecs.forEach((s: Json, i: number) => {
    swap(s.id, mine.replicationSpecs[i].id);
    swap(s.zoneId, mine.replicationSpecs[i].zoneId);
  });
  return out;
}

function expectHeaders(res: { statusCode: number; headers: Record<string, unknown> }, rec: Recorded): void {
  expect(res.statusCode).toBe(rec.status);
  for (const h of PARITY_HEADERS) expect([h, res.headers[h]]).toEqual([h, rec.headers[h]]);
  expect(res.headers['ratelimit-limit']).toBe(rec.headers['ratelimit-limit']);
}

describeWithEvidence('parity: GET one cluster', () => {
  it.each(FILES)('%s', async (file) => {
    const rec = recordedWorkflow(file);
    const body = JSON.parse(rec.body) as Json;
    const version = /vnd\.atlas\.([\d-]+)\+json/.exec(rec.headers['content-type']!)![1];
    const mock = testMock({ fixtures: worldOf(body) }, { start: Date.parse(rec.headers['date']!) });
    const res = await mock.request({ url: `/api/atlas/v2/groups/${body.groupId}/clusters/${body.name}`, headers: { accept: `application/vnd.atlas.${version}+json`, host: HOST } });
    expectHeaders(res, rec);
    const mine = res.json() as Json;
    expect(shape(mine)).toEqual(shape(body));
    expect(res.body).toBe(withMockSpecIds(rec.body, body, mine));
    await mock.app.close();
  });

  it.each([
    'TestSnapshots/GET_api_atlas_v2_groups_b0123456789abcdef012345b_clusters_cluster-209_5.http',
    'TestExportJobs/GET_api_atlas_v2_groups_b0123456789abcdef012345b_clusters_cluster-989_5.http',
  ])('404 once deleted: %s', async (file) => {
    const rec = recordedWorkflow(file);
    const [, name] = /clusters_(.+)_5\.http$/.exec(file)!;
    const deleted = worldOf(JSON.parse(recordedWorkflow(file.replace('_5.http', '_3.http')).body));
    const mock = testMock({ fixtures: { ...deleted, clusters: [] } }, { start: Date.parse(rec.headers['date']!) });
    const res = await mock.request({ url: `/api/atlas/v2/groups/b0123456789abcdef012345b/clusters/${name}`, headers: { accept: 'application/vnd.atlas.2024-08-05+json', host: HOST } });
    expectHeaders(res, rec);
    expect(res.body).toBe(rec.body);
    await mock.app.close();
  });

  it('the 404 of recorded/cluster-get-404-cluster-not-found.http, at every resource version', async () => {
    const rec = recorded('cluster-get-404-cluster-not-found.http');
    const world = worldOf(JSON.parse(recordedWorkflow(FILES[6]!).body));
    const mock = testMock({ fixtures: { ...world, clusters: [] } });
    for (const version of ['2023-01-01', '2023-02-01', '2024-08-05']) {
      const res = await mock.request({ url: '/api/atlas/v2/groups/b0123456789abcdef012345b/clusters/cluster-989', headers: { accept: `application/vnd.atlas.${version}+json` } });
      expect([version, res.statusCode, res.body]).toEqual([version, rec.status, rec.body]);
      expect(res.headers['x-error-code']).toBe('CLUSTER_NOT_FOUND');
    }
    await mock.app.close();
  });
});
