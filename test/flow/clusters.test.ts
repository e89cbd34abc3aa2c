/**
 * Cluster reads (getGroupCluster, listGroupClusters) on the default dataset and on fixtures of their own:
 * every resource version, the defaults the views derive (docs/workflow-access.md), sharded clusters, states,
 * lists, envelope / pretty with Java doubles, errors, roles and the read-only boundary.
 */
import { describe, expect, it } from 'vitest';
import { parseDataset } from '../../src/fixtures/load.js';
import { defaultDomain } from '../../src/clusters/settings.js';
import { errorOf } from '../helpers/flow.js';
import { CREDENTIALS, IDS, testMock } from '../helpers/mock.js';
import { digestInject } from '../helpers/digest.js';

const V = (d: string) => `application/vnd.atlas.${d}+json`;
const clusters = (groupId: string = IDS.group) => `/api/atlas/v2/groups/${groupId}/clusters`;
const cluster = (name: string, groupId: string = IDS.group) => `${clusters(groupId)}/${name}`;

describe('getGroupCluster on the default dataset', () => {
  it('serves Cluster0 at each resource version with its id, state, backup, provider, region, size and connection strings', async () => {
    const mock = testMock();
    const domain = defaultDomain(IDS.group);
    for (const version of ['2023-01-01', '2023-02-01', '2024-08-05']) {
      const res = await mock.request({ url: cluster('Cluster0'), headers: { accept: V(version) } });
      expect([version, res.statusCode, res.headers['content-type']]).toEqual([version, 200, `${V(version)};charset=utf-8`]);
      const c = res.json();
      expect(c).toMatchObject({ id: '6650a0c1f1d2e3a4b5c6d7e2', groupId: IDS.group, name: 'Cluster0', clusterType: 'REPLICASET', stateName: 'IDLE', backupEnabled: true, mongoDBVersion: '8.0.12', mongoDBMajorVersion: '8.0' });
      expect(c.connectionStrings.standardSrv).toBe(`mongodb+srv://cluster0.${domain}`);
      expect(c.connectionStrings.standard).toMatch(new RegExp(`^mongodb://cluster0-shard-00-00\\.${domain.replace(/\./g, '\\.')}:27017,cluster0-shard-00-01\\.[^,]+,cluster0-shard-00-02\\.[^/]+/\\?ssl=true&authSource=admin&replicaSet=atlas-[a-z0-9]{6}-shard-0$`));
      expect(c.links.map((l: { rel: string }) => l.rel)).toEqual(['self', 'https://cloud.mongodb.com/restoreJobs', 'https://cloud.mongodb.com/snapshots']);
      // Keys in Atlas's (alphabetical) order at the top level.
      expect(Object.keys(c)).toEqual([...Object.keys(c)].sort());
    }
    const v2024 = (await mock.request({ url: cluster('Cluster0'), headers: { accept: V('2024-08-05') } })).json();
    const region = v2024.replicationSpecs[0].regionConfigs[0];
    expect(region).toMatchObject({ providerName: 'AWS', regionName: 'US_EAST_1', priority: 7 });
    expect(region.electableSpecs).toEqual({ instanceSize: 'M10', diskIOPS: 3000, diskSizeGB: 10, ebsVolumeType: 'STANDARD', nodeCount: 3 });
    const legacy = (await mock.request({ url: cluster('Cluster0'), headers: { accept: V('2023-01-01') } })).json();
    expect(legacy).toMatchObject({ providerBackupEnabled: true, numShards: 1, replicationFactor: 3, srvAddress: v2024.connectionStrings.standardSrv, mongoURIUpdated: v2024.createDate });
    expect(legacy.providerSettings).toMatchObject({ providerName: 'AWS', instanceSizeName: 'M10', regionName: 'US_EAST_1' });
    expect(legacy.mongoURIWithOptions).toBe(v2024.connectionStrings.standard);
    await mock.app.close();
  });

  it('shows a sharded cluster: one 2024-08-05 replication spec per shard, numShards in the older views, mongos on 27016', async () => {
    const mock = testMock();
    const v2024 = (await mock.request({ url: cluster('Sharded0'), headers: { accept: V('2024-08-05') } })).json();
    expect(v2024.clusterType).toBe('SHARDED');
    expect(v2024.replicationSpecs).toHaveLength(2);
    expect(new Set(v2024.replicationSpecs.map((s: { id: string }) => s.id)).size).toBe(2);
    expect(v2024.connectionStrings.standard).toMatch(/:27016\/\?ssl=true&authSource=admin$/);
    const v2023 = (await mock.request({ url: cluster('Sharded0'), headers: { accept: V('2023-02-01') } })).json();
    expect(v2023.replicationSpecs.map((s: { numShards: number }) => s.numShards)).toEqual([2]);
    expect((await mock.request({ url: cluster('Sharded0'), headers: { accept: V('2023-01-01') } })).json().numShards).toBe(2);
    await mock.app.close();
  });

  it('the same answer on every read and after a restart (ids and host names are derived, not drawn)', async () => {
    const a = testMock();
    const b = testMock({}, { random: (await import('../../src/core/random.js')).createRandom(99) });
    const one = (await a.request({ url: cluster('Cluster0'), headers: { accept: V('2024-08-05') } })).body;
    expect((await a.request({ url: cluster('Cluster0'), headers: { accept: V('2024-08-05') } })).body).toBe(one);
    expect((await b.request({ url: cluster('Cluster0'), headers: { accept: V('2024-08-05') } })).body).toBe(one);
    await a.app.close();
    await b.app.close();
  });
});

describe('cluster fixture fields', () => {
  const world = (extra: Record<string, unknown>) =>
    parseDataset({
      organizations: [{ id: IDS.org, name: 'o' }],
      projects: [{ id: IDS.group, orgId: IDS.org, name: 'p' }],
      clusters: [{ groupId: IDS.group, name: 'Custom', collections: 3, ...extra }],
    });

  it('state, backup, size, provider and region, disk, domain and replica set as the fixture says', async () => {
    const mock = testMock({
      fixtures: world({ cloudProvider: 'GCP', region: 'WESTERN_EUROPE', instanceSize: 'M30', stateName: 'UPDATING', backupEnabled: false, pitEnabled: true, paused: true, terminationProtectionEnabled: true, domain: 'abcde.mongodb.net', replicaSetName: 'atlas-xyz123-shard-0', createDate: '2025-01-02T03:04:05Z', mongodVersion: '7.0.14' }),
    });
    const c = (await mock.request({ url: cluster('Custom'), headers: { accept: V('2024-08-05') } })).json();
    expect(c).toMatchObject({ stateName: 'UPDATING', backupEnabled: false, pitEnabled: true, paused: true, terminationProtectionEnabled: true, createDate: '2025-01-02T03:04:05Z', mongoDBMajorVersion: '7.0', featureCompatibilityVersion: '7.0' });
    expect(c.connectionStrings).toEqual({
      standard: 'mongodb://custom-shard-00-00.abcde.mongodb.net:27017,custom-shard-00-01.abcde.mongodb.net:27017,custom-shard-00-02.abcde.mongodb.net:27017/?ssl=true&authSource=admin&replicaSet=atlas-xyz123-shard-0',
      standardSrv: 'mongodb+srv://custom.abcde.mongodb.net',
    });
    const region = c.replicationSpecs[0].regionConfigs[0];
    expect(region).toMatchObject({ providerName: 'GCP', regionName: 'WESTERN_EUROPE' });
    // GCP hardware: no IOPS or EBS type; M30 gets 40 GB by default.
    expect(region.electableSpecs).toEqual({ instanceSize: 'M30', diskSizeGB: 40, nodeCount: 3 });
    await mock.app.close();
  });

  it('no connection strings while CREATING (as recorded), nor mongoURI / srvAddress in the legacy view', async () => {
    const mock = testMock({ fixtures: world({ stateName: 'CREATING' }) });
    expect((await mock.request({ url: cluster('Custom'), headers: { accept: V('2024-08-05') } })).json().connectionStrings).toEqual({});
    const legacy = (await mock.request({ url: cluster('Custom'), headers: { accept: V('2023-01-01') } })).json();
    expect([legacy.connectionStrings, legacy.mongoURI, legacy.srvAddress]).toEqual([{}, undefined, undefined]);
    await mock.app.close();
  });

  it('refuses bad values with the file path and a message', () => {
    expect(() => world({ instanceSize: 'XL' })).toThrow(/clusters\[0\]\.instanceSize: must be an Atlas instance size/);
    expect(() => world({ stateName: 'BROKEN' })).toThrow(/clusters\[0\]\.stateName/);
    expect(() => world({ domain: 'Not A Domain' })).toThrow(/clusters\[0\]\.domain/);
    expect(() => world({ type: 'SHARDED', shards: [{ name: 's0' }], replicaSetName: 'rs' })).toThrow(/replicaSetName: a SHARDED cluster's replica sets are its shards/);
  });
});

describe('listGroupClusters', () => {
  it('lists the project’s clusters (paginated, links on the request host), at each version', async () => {
    const mock = testMock();
    for (const version of ['2023-01-01', '2023-02-01', '2024-08-05']) {
      const page = (await mock.request({ url: `${clusters()}?includeCount=true&includeDeletedWithRetainedBackups=false&itemsPerPage=100&pageNum=1`, headers: { accept: V(version) } })).json();
      expect([version, page.totalCount, page.results.map((c: { name: string }) => c.name)]).toEqual([version, 2, ['Cluster0', 'Sharded0']]);
      expect(page.links[0].href).toMatch(/\/clusters\?includeCount=true&pageNum=1&itemsPerPage=100$/);
    }
    const second = (await mock.request({ url: `${clusters()}?itemsPerPage=1&pageNum=2`, headers: { accept: V('2024-08-05') } })).json();
    expect(second.results.map((c: { name: string }) => c.name)).toEqual(['Sharded0']);
    expect((await mock.request({ url: clusters(IDS.otherGroup), headers: { accept: V('2024-08-05') } })).json().totalCount).toBe(1);
    await mock.app.close();
  });

  it('writes disk sizes as Java doubles in plain, enveloped and pretty lists', async () => {
    const mock = testMock();
    const plain = await mock.request({ url: clusters(), headers: { accept: V('2023-02-01') } });
    expect(plain.body).toContain('"diskSizeGB":10.0,');
    const enveloped = await mock.request({ url: `${clusters()}?envelope=true`, headers: { accept: V('2023-02-01') } });
    expect(enveloped.statusCode).toBe(200);
    expect(enveloped.body).toContain('"diskSizeGB":10.0,');
    expect(enveloped.json().status).toBe(200);
    const one = await mock.request({ url: `${cluster('Cluster0')}?envelope=true`, headers: { accept: V('2024-08-05') } });
    expect(one.body).toMatch(/^\{"content":\{"adaptiveCapacity":null,.*"diskSizeGB":10\.0,.*\},"status":200\}$/);
    const pretty = await mock.request({ url: `${cluster('Cluster0')}?pretty=true`, headers: { accept: V('2023-02-01') } });
    expect(pretty.body).toContain('\n  "diskSizeGB" : 10.0,\n');
    await mock.app.close();
  });
});

describe('docs/workflow-access.md', () => {
  it('shows the connection strings the default dataset’s Cluster0 really has', async () => {
    const { readFileSync } = await import('node:fs');
    const doc = readFileSync(new URL('../../docs/workflow-access.md', import.meta.url), 'utf8');
    const mock = testMock();
    const c = (await mock.request({ url: cluster('Cluster0'), headers: { accept: V('2024-08-05') } })).json();
    expect(doc).toContain(`"standard": "${c.connectionStrings.standard}"`);
    expect(doc).toContain(`"standardSrv": "${c.connectionStrings.standardSrv}"`);
    await mock.app.close();
  });
});

describe('cluster reads: errors and access', () => {
  it('unknown cluster → 404 CLUSTER_NOT_FOUND; unknown project → 404 GROUP_NOT_FOUND; no Accept → 406', async () => {
    const mock = testMock();
    expect(errorOf(await mock.request({ url: cluster('NoSuchCluster'), headers: { accept: V('2023-02-01') } }))).toEqual({ status: 404, errorCode: 'CLUSTER_NOT_FOUND', parameters: ['NoSuchCluster', IDS.group] });
    expect(errorOf(await mock.request({ url: cluster('Cluster0', 'ffffffffffffffffffffffff'), headers: { accept: V('2024-08-05') } })).errorCode).toBe('GROUP_NOT_FOUND');
    expect(errorOf(await mock.request({ url: clusters('ffffffffffffffffffffffff'), headers: { accept: V('2024-08-05') } })).errorCode).toBe('GROUP_NOT_FOUND');
    expect(errorOf(await mock.request({ url: cluster('Cluster0'), headers: { accept: 'application/json' } })).errorCode).toBe('INVALID_VERSION_DATE');
    await mock.app.close();
  });

  it('Project Read Only may read; another organization’s key may not (401 USER_CANNOT_ACCESS_GROUP)', async () => {
    const mock = testMock();
    const read = await digestInject(mock.app, CREDENTIALS.readOnly.publicKey, CREDENTIALS.readOnly.privateKey, { url: cluster('Cluster0'), headers: { accept: V('2024-08-05') } });
    expect(read.statusCode).toBe(200);
    const other = await digestInject(mock.app, CREDENTIALS.otherOrgOwner.publicKey, CREDENTIALS.otherOrgOwner.privateKey, { url: clusters(), headers: { accept: V('2024-08-05') } });
    expect(other.json().errorCode).toBe('USER_CANNOT_ACCESS_GROUP');
    await mock.app.close();
  });

  it('the journal names the operations', async () => {
    const mock = testMock();
    await mock.request({ url: clusters(), headers: { accept: V('2024-08-05') } });
    await mock.request({ url: cluster('Cluster0'), headers: { accept: V('2024-08-05') } });
    const journal = (await mock.app.inject({ url: '/__mock/requests' })).json().requests as { operation: string; status: number }[];
    expect(journal.map((e) => [e.operation, e.status])).toEqual(expect.arrayContaining([['listClusters', 200], ['getCluster', 200]]));
    const filtered = (await mock.app.inject({ url: '/__mock/requests?operation=getGroupCluster' })).json().requests as { operation: string }[];
    expect(filtered.map((e) => e.operation)).toEqual(['getCluster']);
    await mock.app.close();
  });
});
