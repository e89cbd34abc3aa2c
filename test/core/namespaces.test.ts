/**
 * A cluster's databases and collections (src/store/namespaces.ts): listed by the fixture or named by the
 * mock from a count, the same on every load; the cluster's id, given or derived; both kept by the state file.
 */
import { describe, expect, it } from 'vitest';
import { clusterOf } from '../../src/fixtures/apply.js';
import { parseDataset } from '../../src/fixtures/load.js';
import { databasesOf, namespacesOf, synthesizeDatabases } from '../../src/store/namespaces.js';
import { datasetOfStore } from '../../src/state/snapshot.js';
import { IDS, testMock } from '../helpers/mock.js';

const cluster = (extra: Record<string, unknown>) => parseDataset({ clusters: [{ groupId: IDS.group, name: 'c1', ...extra }] }).clusters[0]!;
const problems = (extra: Record<string, unknown>): string => {
  try {
    cluster(extra);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the cluster to be refused');
};

describe('databases and collections of a cluster', () => {
  it('are named by the mock from a count: ten collections per database, the same every time', () => {
    expect(synthesizeDatabases(0)).toEqual([]);
    expect(synthesizeDatabases(12)).toEqual([
      { name: 'db0', collections: Array.from({ length: 10 }, (_, j) => `collection${j}`) },
      { name: 'db1', collections: ['collection0', 'collection1'] },
    ]);
    const c = clusterOf(cluster({ collections: 42 }));
    expect(c.collections).toBe(42);
    expect(c.databases).toBeUndefined();
    expect(databasesOf(c).map((d) => d.name)).toEqual(['db0', 'db1', 'db2', 'db3', 'db4']);
    expect(namespacesOf(c)).toHaveLength(42);
    expect(namespacesOf(c)[41]).toEqual({ db: 'db4', collection: 'collection1' });
    // Computed once per cluster object.
    expect(namespacesOf(c)).toBe(namespacesOf(c));
  });

  it('of a sharded cluster without a list: the shards counts added up', () => {
    const c = clusterOf(cluster({ type: 'SHARDED', shards: [{ name: 's0', collections: 3 }, { name: 's1', collections: 4 }] }));
    expect(c.collections).toBe(7);
    expect(namespacesOf(c)).toHaveLength(7);
  });

  it('are the fixture list, in its order, names or objects', () => {
    const c = clusterOf(cluster({ databases: [{ name: 'shop', collections: ['orders', { name: 'carts' }] }, { name: 'logs', collections: ['events'] }] }));
    expect(c.collections).toBe(3);
    expect(namespacesOf(c)).toEqual([
      { db: 'shop', collection: 'orders' },
      { db: 'shop', collection: 'carts' },
      { db: 'logs', collection: 'events' },
    ]);
  });

  it('refuses a count that contradicts the list, names MongoDB refuses, and repeats', () => {
    expect(problems({ collections: 2, databases: [{ name: 'a', collections: ['x'] }] })).toMatch(/collections must equal the number of collections listed/);
    expect(problems({ databases: [{ name: 'a.b', collections: ['x'] }] })).toMatch(/MongoDB database name/);
    expect(problems({ databases: [{ name: 'a', collections: ['system.users'] }] })).toMatch(/MongoDB collection name/);
    expect(problems({ databases: [{ name: 'a', collections: ['x$'] }] })).toMatch(/MongoDB collection name/);
    expect(problems({ databases: [{ name: 'a', collections: ['x', 'x'] }] })).toMatch(/listed twice/);
    expect(problems({ databases: [{ name: 'a', collections: ['x'] }, { name: 'a', collections: ['y'] }] })).toMatch(/listed twice/);
    expect(problems({ databases: [{ name: 'a', collections: [] }] })).toMatch(/databases\[0\]\.collections/);
  });
});

describe('the id of a cluster', () => {
  it('is the fixture id, or derived from project and name: the project id time, the same on every load', () => {
    expect(clusterOf(cluster({ id: '6650a0c1f1d2e3a4b5c6d7aa' })).id).toBe('6650a0c1f1d2e3a4b5c6d7aa');
    const a = clusterOf(cluster({})).id;
    expect(a).toMatch(/^[a-f0-9]{24}$/);
    expect(a.slice(0, 8)).toBe(IDS.group.slice(0, 8));
    expect(clusterOf(cluster({})).id).toBe(a);
    expect(clusterOf(parseDataset({ clusters: [{ groupId: IDS.group, name: 'c2' }] }).clusters[0]!).id).not.toBe(a);
  });

  it('is unique: a fixture reusing one is refused', async () => {
    const mock = testMock();
    const res = await mock.app.inject({ method: 'POST', url: '/__mock/fixtures', payload: { clusters: [{ id: '6650a0c1f1d2e3a4b5c6d7e2', groupId: IDS.group, name: 'Again' }] } });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('cluster id 6650a0c1f1d2e3a4b5c6d7e2 already exists');
  });
});

describe('the default dataset and the state file', () => {
  it('Cluster0 lists 42 collections in 10 databases; Sharded0 has 42 named by the mock', () => {
    const { store } = testMock().app.mock;
    const c0 = store.cluster(IDS.group, 'Cluster0')!;
    expect(c0.id).toBe('6650a0c1f1d2e3a4b5c6d7e2');
    expect(databasesOf(c0)).toHaveLength(10);
    expect(namespacesOf(c0)).toHaveLength(42);
    expect(namespacesOf(c0)[2]).toEqual({ db: 'sample_mflix', collection: 'movies' });
    const s0 = store.cluster(IDS.group, 'Sharded0')!;
    expect(s0.collections).toBe(42);
    expect(databasesOf(s0).at(-1)).toEqual({ name: 'db4', collections: ['collection0', 'collection1'] });
  });

  it('are written back as they were given: ids, listed databases, counts', () => {
    const ds = datasetOfStore(testMock().app.mock.store);
    const byName = Object.fromEntries(ds.clusters.map((c) => [`${c.groupId}/${c.name}`, c]));
    expect(byName[`${IDS.group}/Cluster0`]).toMatchObject({ id: '6650a0c1f1d2e3a4b5c6d7e2', databases: expect.any(Array) });
    expect(byName[`${IDS.group}/Cluster0`]!.collections).toBeUndefined();
    expect(byName[`${IDS.group}/Sharded0`]!.databases).toBeUndefined();
    // Loaded again, the same clusters.
    const again = parseDataset(JSON.parse(JSON.stringify(ds)));
    expect(again.clusters.map(clusterOf)).toEqual(ds.clusters.map(clusterOf));
  });
});
