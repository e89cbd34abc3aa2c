/**
 * Parity with real Atlas for the flex probes the Atlas CLI makes before the dedicated-cluster snapshot
 * operations (recorded-workflow TestSnapshots List / Describe / Watch_creation, TestExportJobs
 * Watch_snapshot_creation): on a dedicated cluster, 400 CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API, the same
 * bytes, the PARITY_HEADERS and `Ratelimit-Limit: 1200` (the Flex Snapshots set).
 */
import { expect, it } from 'vitest';
import { parseDataset } from '../../src/fixtures/load.js';
import { describeWithEvidence, PARITY_HEADERS, recordedWorkflow } from '../helpers/contract.js';
import { testMock } from '../helpers/mock.js';

const ORG = 'a0123456789abcdef012345a';
const GROUP = 'b0123456789abcdef012345b';
const V2024_11 = 'application/vnd.atlas.2024-11-13+json';

const world = parseDataset({
  organizations: [{ id: ORG, name: 'recorded org' }],
  projects: [{ id: GROUP, orgId: ORG, name: 'recorded project' }],
  clusters: [
    { groupId: GROUP, name: 'cluster-209', collections: 0 },
    { groupId: GROUP, name: 'cluster-989', collections: 0 },
  ],
});

describeWithEvidence('parity: flex probes on a dedicated cluster', () => {
  it.each([
    ['TestSnapshots/List/GET_api_atlas_v2_groups_b0123456789abcdef012345b_flexClusters_cluster-209_backup_snapshots_1.http', '/flexClusters/cluster-209/backup/snapshots?includeCount=true&itemsPerPage=100&pageNum=1'],
    ['TestSnapshots/Describe/GET_api_atlas_v2_groups_b0123456789abcdef012345b_flexClusters_cluster-209_backup_snapshots_6a7944f22c88faeba59d3572_1.http', '/flexClusters/cluster-209/backup/snapshots/6a7944f22c88faeba59d3572'],
    ['TestSnapshots/Watch_creation/GET_api_atlas_v2_groups_b0123456789abcdef012345b_flexClusters_cluster-209_backup_snapshots_6a7944f22c88faeba59d3572_1.http', '/flexClusters/cluster-209/backup/snapshots/6a7944f22c88faeba59d3572'],
    ['TestExportJobs/Watch_snapshot_creation/GET_api_atlas_v2_groups_b0123456789abcdef012345b_flexClusters_cluster-989_backup_snapshots_6a7943462c88faeba59ccf5f_1.http', '/flexClusters/cluster-989/backup/snapshots/6a7943462c88faeba59ccf5f'],
  ])('%s', async (file, path) => {
    const rec = recordedWorkflow(file);
    const mock = testMock({ fixtures: world }, { start: Date.parse(rec.headers['date']!) });
    const res = await mock.request({ url: `/api/atlas/v2/groups/${GROUP}${path}`, headers: { accept: V2024_11 } });
    expect(res.statusCode).toBe(rec.status);
    for (const h of PARITY_HEADERS) expect([h, res.headers[h]]).toEqual([h, rec.headers[h]]);
    expect(res.headers['ratelimit-limit']).toBe(rec.headers['ratelimit-limit']);
    expect(res.body).toBe(rec.body);
    await mock.app.close();
  });
});
