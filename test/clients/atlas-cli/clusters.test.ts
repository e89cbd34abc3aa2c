// `atlas clusters describe|list` (Atlas CLI 1.46.4, pinned SDK: resource version 2023-02-01).
import { describe, expect } from 'vitest';
import { expectAtlasError, expectOk } from '../harness/atlas-cli.js';
import { it } from '../harness/fixtures.js';
import { IDS } from '../harness/world.js';

describe.concurrent('atlas clusters', () => {
  it('list prints the project’s clusters, IDLE, as the API lists them', async ({ world, cli }) => {
    const run = expectOk(await cli.run(['clusters', 'list', '-o', 'json']));
    expect(run.exchanges.find((x) => x.status === 200)?.accept).toBe('application/vnd.atlas.2023-02-01+json');
    const out = run.json();
    const api = await world.api('GET', `/groups/${IDS.group}/clusters`, { version: '2023-02-01' });
    expect(api.status, api.text).toBe(200);
    expect(out.totalCount).toBe(api.body.totalCount);
    expect(out.results.map((c: any) => c.name)).toEqual(expect.arrayContaining(['Cluster0', 'Sharded0']));
    for (const c of out.results) expect(c).toMatchObject({ groupId: IDS.group, stateName: 'IDLE', backupEnabled: true });
    expect(out.results.find((c: any) => c.name === 'Sharded0').clusterType).toBe('SHARDED');
  });

  it('describe prints one cluster', async ({ cli }) => {
    const out = expectOk(await cli.run(['clusters', 'describe', 'Cluster0', '-o', 'json'])).json();
    expect(out).toMatchObject({ name: 'Cluster0', groupId: IDS.group, clusterType: 'REPLICASET', stateName: 'IDLE', backupEnabled: true });
    expect(out.mongoDBVersion).toMatch(/^\d+\.\d+/);
    expect(out.id).toMatch(/^[0-9a-f]{24}$/);
    expect(out.connectionStrings?.standardSrv).toMatch(/^mongodb\+srv:\/\//);
    expect(out.replicationSpecs?.[0]?.regionConfigs?.[0]).toMatchObject({ providerName: expect.any(String), regionName: expect.any(String) });
  });

  it('describe of an unknown cluster prints Atlas’s error and exits non-zero', async ({ cli }) => {
    const run = await cli.run(['clusters', 'describe', 'NoSuchCluster']);
    const { detail } = expectAtlasError(run, 404, 'CLUSTER_NOT_FOUND');
    expect(detail).toBe(`No cluster named NoSuchCluster exists in group ${IDS.group}.`);
  });
});
