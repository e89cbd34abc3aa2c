/**
 * The acceptance of export files, the same for every storage (docs/export-files.md): a dataset with known
 * collections and document counts, jobs run by the manual clock through the Atlas API, and the objects read
 * back from the storage itself (`ObjectReader`: the file system, or the cloud SDKs in the storage suite).
 * `describeExportFiles` registers the cases for one storage: a run to Successful leaves exactly the
 * documented objects; `.complete` has every field and the custom data; every `.json.gz` parses with bson's
 * EJSON and holds the fixture's documents; halfway, only the counted collections are there; a failed export
 * (a fault, a bucket that does not exist, a plan ending Failed) leaves its partial files and no `.complete`;
 * a sharded cluster writes every shard's part.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { EJSON } from 'bson';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ExportFilesOptions } from '../../src/export-files/options.js';
import type { DatasetInput } from '../../src/fixtures/schema.js';
import { startAtlasMock, type AtlasMock } from '../../src/testing/start.js';
import { IDS, T0, V2023 } from './mock.js';

/** Reads a bucket with the storage's own client. */
export interface ObjectReader {
  /** Keys under `prefix`, any order. */
  keys(bucket: string, prefix: string): Promise<string[]>;
  read(bucket: string, key: string): Promise<Buffer>;
}

/** Every file under a folder storage's root, as the keys of its buckets. */
export function folderReader(root: string): ObjectReader {
  const walk = (path: string): string[] => {
    try {
      return readdirSync(path, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(path, e.name)) : e.isFile() ? [join(path, e.name)] : []));
    } catch {
      return [];
    }
  };
  return {
    async keys(bucket, prefix) {
      const base = join(root, bucket);
      return walk(base)
        .map((f) => relative(base, f).split(sep).join('/'))
        .filter((k) => k.startsWith(prefix));
    },
    async read(bucket, key) {
      return readFileSync(join(root, bucket, ...key.split('/')));
    },
  };
}

export interface Backend {
  cloudProvider: 'AWS' | 'AZURE' | 'GCP';
  /** A bucket that exists (created by the backend's setup when the storage needs it). */
  bucketName: string;
  /** A bucket the storage does not have. */
  missingBucketName: string;
  options: ExportFilesOptions;
  reader: ObjectReader;
}

export const FILES = {
  cluster: 'Files0',
  clusterId: '6650a0c1f1d2e3a4b5c6da01',
  sharded: 'Sharded1',
  shardedId: '6650a0c1f1d2e3a4b5c6da02',
  snapshot: '6650a0c1f1d2e3a4b5c6da03',
  shardedSnapshot: '6650a0c1f1d2e3a4b5c6da04',
  bucket: '6650a0c1f1d2e3a4b5c6da10',
  missingBucket: '6650a0c1f1d2e3a4b5c6da11',
  role: '6650a0c1f1d2e3a4b5c6da20',
  shards: ['atlas-files1-shard-0', 'atlas-files1-shard-1'],
} as const;

/** The collections of Files0 in export order, with their documents. */
export const COLLECTIONS = [
  { db: 'app', collection: 'users', documents: 25, shape: 'users' },
  { db: 'app', collection: 'orders', documents: 300, shape: 'orders' },
  { db: 'app', collection: 'empty', documents: 0, shape: 'generic' },
  { db: 'logs', collection: 'events', documents: 40, shape: 'events' },
  { db: 'types', collection: 'all', documents: 10, shape: 'all-types' },
] as const;
export const SHARDED_DOCUMENTS = 51;
/** Small files, so that `orders` takes several increments. */
export const CHUNK_BYTES = 16 * 1024;

function bucketFixture(id: string, provider: Backend['cloudProvider'], name: string): NonNullable<DatasetInput['exportBuckets']>[number] {
  const common = { id, groupId: IDS.group };
  if (provider === 'AWS') return { ...common, cloudProvider: 'AWS', bucketName: name, iamRoleId: FILES.role };
  if (provider === 'AZURE') return { ...common, cloudProvider: 'AZURE', bucketName: name, roleId: FILES.role, serviceUrl: `https://mockexports.blob.core.windows.net/${name}` };
  return { ...common, cloudProvider: 'GCP', bucketName: name, roleId: FILES.role };
}

export function filesDataset(b: Pick<Backend, 'cloudProvider' | 'bucketName' | 'missingBucketName'>): DatasetInput {
  const dbs = new Map<string, { name: string; collections: { name: string; documents: number; shape: string }[] }>();
  for (const c of COLLECTIONS) {
    if (!dbs.has(c.db)) dbs.set(c.db, { name: c.db, collections: [] });
    dbs.get(c.db)!.collections.push({ name: c.collection, documents: c.documents, shape: c.shape });
  }
  return {
    clusters: [
      { id: FILES.clusterId, groupId: IDS.group, name: FILES.cluster, databases: [...dbs.values()] as never },
      {
        id: FILES.shardedId,
        groupId: IDS.group,
        name: FILES.sharded,
        type: 'SHARDED',
        shards: FILES.shards.map((name) => ({ name })),
        databases: [{ name: 'shop', collections: [{ name: 'carts', documents: SHARDED_DOCUMENTS }] }],
      },
    ],
    snapshots: [
      { id: FILES.snapshot, groupId: IDS.group, clusterName: FILES.cluster, createdAt: '2026-08-10T02:00:05Z', status: 'completed' },
      { id: FILES.shardedSnapshot, groupId: IDS.group, clusterName: FILES.sharded, createdAt: '2026-08-10T02:10:07Z', status: 'completed' },
    ],
    exportBuckets: [bucketFixture(FILES.bucket, b.cloudProvider, b.bucketName), bucketFixture(FILES.missingBucket, b.cloudProvider, b.missingBucketName)],
  };
}

export interface ApiJob {
  id: string;
  prefix: string;
  state: string;
  exportStatus?: { exportedCollections: number; totalCollections: number };
  stateReason?: { errorCode: string; message: string };
  finishedAt?: string;
}

/** A fresh Bearer token of the dataset's service account (the mock clock moves past a token's hour). */
async function bearer(mock: AtlasMock): Promise<string> {
  const sa = mock.credentials.serviceAccounts[0]!;
  const res = await fetch(`${mock.url}/api/oauth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${sa.clientId}:${sa.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

async function api<T>(mock: AtlasMock, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${mock.url}/api/atlas/v2${path}`, {
    method,
    headers: { accept: V2023, ...(body !== undefined && { 'content-type': 'application/json' }), authorization: `Bearer ${await bearer(mock)}` },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

export const createJob = (mock: AtlasMock, cluster: string, snapshotId: string, bucketId: string, customData: { key: string; value: string }[] = []) =>
  api<ApiJob>(mock, 'POST', `/groups/${IDS.group}/clusters/${cluster}/backup/exports`, { snapshotId, exportBucketId: bucketId, customData });
export const getJob = (mock: AtlasMock, cluster: string, id: string) => api<ApiJob>(mock, 'GET', `/groups/${IDS.group}/clusters/${cluster}/backup/exports/${id}`);

/** A data file's key parts, or undefined for any other key. */
export function parseDataKey(prefix: string, key: string): { db: string; collection: string; replicaSet: string; increment: number } | undefined {
  if (!key.startsWith(`${prefix}/`)) return undefined;
  const m = /^([^/]+)\/(.+)\/([^/]+)\.(\d+)\.json\.gz$/.exec(key.slice(prefix.length + 1));
  return m ? { db: m[1]!, collection: m[2]!, replicaSet: m[3]!, increment: Number(m[4]) } : undefined;
}

/** Every document of a `.json.gz` file, parsed with bson's EJSON (canonical: the types come back). */
export function documentsOf(gz: Buffer): Record<string, unknown>[] {
  const text = gunzipSync(gz).toString('utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => EJSON.parse(line, { relaxed: false }) as Record<string, unknown>);
}

/** Registers the acceptance cases for one storage; `backend` is read once the suite's setup has run. */
export function describeExportFiles(name: string, backend: () => Backend | Promise<Backend>): void {
  describe(`export files in ${name}`, () => {
    let b: Backend;
    let mock: AtlasMock;
    beforeAll(async () => {
      b = await backend();
      mock = await startAtlasMock({ clock: { start: T0 }, exportFiles: { ...b.options, chunkBytes: CHUNK_BYTES } });
    });
    afterAll(async () => mock?.close());
    beforeEach(async () => {
      await mock.reset();
      await mock.fixtures.load(filesDataset(b), { transient: true });
    });

    const objectsUnder = async (prefix: string) => (await b.reader.keys(b.bucketName, `${prefix}/`)).sort();

    it('a run to Successful leaves exactly the documented objects, with every document', async () => {
      const customData = [{ key: 'pipeline', value: 'lake' }, { key: 'ticket', value: 'OPS-42' }];
      const job = await createJob(mock, FILES.cluster, FILES.snapshot, FILES.bucket, customData);
      expect(job.state).toBe('Queued');
      await mock.clock.advanceBy('PT15M');
      const done = await getJob(mock, FILES.cluster, job.id);
      expect(done.state).toBe('Successful');

      const check = await b.reader.keys(b.bucketName, 'exported_snapshots/.permissioncheck');
      expect(check).toEqual(['exported_snapshots/.permissioncheck']);
      expect((await b.reader.read(b.bucketName, check[0]!)).length).toBe(0);

      const keys = await objectsUnder(job.prefix);
      const data = keys.map((k) => ({ k, d: parseDataKey(job.prefix, k) })).filter((x) => x.d !== undefined);
      const replicaSets = new Set(data.map((x) => x.d!.replicaSet));
      expect(replicaSets.size).toBe(1);
      const [rs] = replicaSets;
      expect(rs).toMatch(/^atlas-[a-z0-9]{6}-shard-0$/);
      // Per collection: increments 0…n-1 (none for an empty one), then metadata.json; .complete last.
      const expected: string[] = [`${job.prefix}/.complete`];
      for (const c of COLLECTIONS) {
        const incs = data.filter((x) => x.d!.db === c.db && x.d!.collection === c.collection).map((x) => x.d!.increment).sort((p, q) => p - q);
        expect(incs, `${c.db}.${c.collection}`).toEqual(Array.from({ length: incs.length }, (_, i) => i));
        expect(incs.length > 0, `${c.db}.${c.collection} has data files`).toBe(c.documents > 0);
        for (const i of incs) expected.push(`${job.prefix}/${c.db}/${c.collection}/${rs}.${i}.json.gz`);
        expected.push(`${job.prefix}/${c.db}/${c.collection}/metadata.json`);
      }
      expect(keys).toEqual(expected.sort());
      // orders is cut in several files, each within the chunk size (or one document).
      expect(data.filter((x) => x.d!.collection === 'orders').length).toBeGreaterThan(1);

      for (const c of COLLECTIONS) {
        let count = 0;
        for (const x of data.filter((y) => y.d!.db === c.db && y.d!.collection === c.collection)) {
          const gz = await b.reader.read(b.bucketName, x.k);
          const docs = documentsOf(gz);
          expect(gunzipSync(gz).length <= CHUNK_BYTES || docs.length === 1).toBe(true);
          for (const d of docs) expect(d._id).toBeDefined();
          count += docs.length;
        }
        expect(count, `${c.db}.${c.collection}`).toBe(c.documents);
        const meta = JSON.parse((await b.reader.read(b.bucketName, `${job.prefix}/${c.db}/${c.collection}/metadata.json`)).toString()) as Record<string, unknown>;
        expect(Object.keys(meta)).toEqual(['indexes', 'uuid', 'collectionName']);
        expect(meta.collectionName).toBe(c.collection);
        expect(meta.uuid).toMatch(/^[0-9a-f]{32}$/);
        expect(meta.indexes).toEqual([{ v: { $numberInt: '2' }, key: { _id: { $numberInt: '1' } }, name: '_id_' }]);
      }

      const complete = JSON.parse((await b.reader.read(b.bucketName, `${job.prefix}/.complete`)).toString()) as Record<string, unknown>;
      expect(complete).toEqual({
        orgId: IDS.org,
        orgName: 'Mock Org',
        groupId: IDS.group,
        groupName: 'mock-project',
        clusterUniqueId: FILES.clusterId,
        clusterName: FILES.cluster,
        snapshotInitiationDate: '2026-08-10T02:00:05.000Z',
        totalFiles: keys.length - 1,
        labels: [],
        customData,
      });
      expect(Object.keys(complete)).toEqual(['orgId', 'orgName', 'groupId', 'groupName', 'clusterUniqueId', 'clusterName', 'snapshotInitiationDate', 'totalFiles', 'labels', 'customData']);

      // The control API lists the same objects.
      const listed = await mock.exportFiles.list(job.id);
      expect(listed.files.map((f) => f.key)).toEqual(keys);
      expect(listed).toMatchObject({ state: 'Successful', complete: true, permissionCheck: true, bucket: { name: b.bucketName } });
    });

    it('halfway through, only the collections the API counts are there', async () => {
      const job = await createJob(mock, FILES.cluster, FILES.snapshot, FILES.bucket);
      expect(await objectsUnder(job.prefix)).toEqual([]);
      // Queued 2 min 30 s, then 12 min in progress: 7 min 30 s in, a bit more than half is counted.
      await mock.clock.advanceBy('PT8M');
      const half = await getJob(mock, FILES.cluster, job.id);
      expect(half.state).toBe('InProgress');
      const counted = half.exportStatus!.exportedCollections;
      expect(counted).toBeGreaterThan(0);
      expect(counted).toBeLessThan(COLLECTIONS.length);
      const keys = await objectsUnder(job.prefix);
      const present = new Set(keys.map((k) => parseDataKey(job.prefix, k)).filter(Boolean).map((d) => `${d!.db}.${d!.collection}`));
      COLLECTIONS.forEach((c, i) => expect(present.has(`${c.db}.${c.collection}`), `${c.db}.${c.collection}`).toBe(i < counted && c.documents > 0));
      expect(keys.filter((k) => k.endsWith('metadata.json') || k.endsWith('.complete'))).toEqual([]);
    });

    it('a write that fails fails the job with a stateReason and leaves the partial files, no .complete', async () => {
      // The .permissioncheck and two data files go through, the next write is refused.
      await mock.faults.add({ operation: 'writeExportFile', clusterName: FILES.cluster, after: 3, error: 'USER_UNAUTHORIZED' });
      const job = await createJob(mock, FILES.cluster, FILES.snapshot, FILES.bucket);
      await mock.clock.advanceBy('PT15M');
      const failed = await getJob(mock, FILES.cluster, job.id);
      expect(failed.state).toBe('Failed');
      expect(failed.stateReason?.errorCode).toBe('EXPORT_FAILED');
      expect(failed.stateReason?.message).toContain(`Access denied writing to bucket ${b.bucketName}`);
      expect(failed.finishedAt).toBeDefined();
      const keys = await objectsUnder(job.prefix);
      expect(keys).toHaveLength(2);
      expect(keys.every((k) => parseDataKey(job.prefix, k) !== undefined)).toBe(true);
      // Atlas does not retry: later clock moves write nothing more.
      await mock.clock.advanceBy('PT1H');
      expect(await objectsUnder(job.prefix)).toEqual(keys);
      expect((await getJob(mock, FILES.cluster, job.id)).state).toBe('Failed');
    });

    it('a bucket that does not exist fails the export when it starts', async () => {
      const job = await createJob(mock, FILES.cluster, FILES.snapshot, FILES.missingBucket);
      await mock.clock.advanceBy('PT1S');
      const failed = await getJob(mock, FILES.cluster, job.id);
      expect(failed.state).toBe('Failed');
      expect(failed.stateReason?.message).toContain(`The export bucket ${b.missingBucketName} does not exist`);
      expect(failed.exportStatus?.exportedCollections).toBe(0);
    });

    it('a plan ending Failed keeps the files of the collections it kept, without metadata or .complete', async () => {
      await mock.plans.next({ groupId: IDS.group, clusterName: FILES.cluster }, { plan: { outcome: 'Failed', stateReason: { errorCode: 'EXPORT_FAILED', message: 'planned' } } });
      const job = await createJob(mock, FILES.cluster, FILES.snapshot, FILES.bucket);
      await mock.clock.advanceBy('PT15M');
      const failed = await getJob(mock, FILES.cluster, job.id);
      expect(failed.state).toBe('Failed');
      const kept = failed.exportStatus!.exportedCollections;
      const keys = await objectsUnder(job.prefix);
      const present = new Set(keys.map((k) => parseDataKey(job.prefix, k)!).map((d) => `${d.db}.${d.collection}`));
      COLLECTIONS.forEach((c, i) => expect(present.has(`${c.db}.${c.collection}`)).toBe(i < kept && c.documents > 0));
      expect(keys.some((k) => k.endsWith('.complete') || k.endsWith('metadata.json'))).toBe(false);
    });

    it('a sharded cluster writes each shard’s part of every collection', async () => {
      const job = await createJob(mock, FILES.sharded, FILES.shardedSnapshot, FILES.bucket);
      await mock.clock.advanceBy('PT15M');
      expect((await getJob(mock, FILES.sharded, job.id)).state).toBe('Successful');
      const keys = await objectsUnder(job.prefix);
      const data = keys.map((k) => ({ k, d: parseDataKey(job.prefix, k) })).filter((x) => x.d);
      expect([...new Set(data.map((x) => x.d!.replicaSet))].sort()).toEqual([...FILES.shards]);
      let total = 0;
      for (const x of data) total += documentsOf(await b.reader.read(b.bucketName, x.k)).length;
      expect(total).toBe(SHARDED_DOCUMENTS);
      expect(keys).toContain(`${job.prefix}/shop/carts/metadata.json`);
      expect(keys).toContain(`${job.prefix}/.complete`);
    });
  });
}
