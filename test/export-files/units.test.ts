/**
 * The parts of export files on their own: the jobs the writer acts on (`jobsActiveIn`), when files are due
 * (timing.ts), the cut into `.json.gz` files (chunks.ts), names (layout.ts) and the folder storage's keys.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { gzipChunks } from '../../src/export-files/chunks.js';
import { shardShare } from '../../src/export-files/documents.js';
import { collectionUuid, replicaSetNames } from '../../src/export-files/layout.js';
import { ExportProgress } from '../../src/export-files/progress.js';
import { folderStorage } from '../../src/export-files/storage/folder.js';
import { StorageError } from '../../src/export-files/storage/types.js';
import { collectionsDueAt, countedAt, nextChange } from '../../src/export-files/timing.js';
import type { ExportBucket, ExportJob, JobPlan } from '../../src/store/model.js';
import { IDS, T0, testMock } from '../helpers/mock.js';

const MIN = 60_000;
const job = (plan: JobPlan, createdAt = T0): ExportJob => ({ id: 'x'.repeat(24), groupId: IDS.group, clusterName: 'Cluster0', snapshotId: IDS.snapshotReady, exportBucketId: IDS.bucket, createdAt, customData: [], plan });
const timed = (outcome: 'Successful' | 'Failed' | 'Never' = 'Successful'): JobPlan => ({ kind: 'timed', queuedMs: 2 * MIN, runningMs: 10 * MIN, outcome });

describe('jobsActiveIn', () => {
  it('gives the jobs Queued or InProgress in the window, or finished in it', () => {
    const { app } = testMock();
    const exports = app.mock.exports;
    const ids = (from: number, to: number) => [...exports.jobsActiveIn(from, to)].map((j) => j.id).sort();
    // The default dataset: pinned Queued and InProgress (always active), terminal pins finished in 2024.
    expect(ids(T0, T0)).toEqual([IDS.jobQueued, IDS.jobInProgress]);
    expect(ids(Date.parse('2024-05-24T14:00:00Z'), Date.parse('2024-05-24T14:30:00Z'))).toEqual([IDS.jobQueued, IDS.jobInProgress, IDS.jobSuccessful, IDS.jobFailed, IDS.jobCancelled].sort());
    // A created job: active until its end, found by windows that reach it; after, windows from later miss it.
    const created = exports.create(IDS.group, 'Cluster0', { snapshotId: IDS.snapshotReady, exportBucketId: IDS.bucket });
    const end = Date.parse(created.createdAt) + 150_000 + 720_000;
    expect(ids(T0, T0)).toContain(created.id);
    expect(ids(end, end + 1)).toContain(created.id);
    expect(ids(end + 1, end + 2)).not.toContain(created.id);
    // Windows move forward and back (the clock set back): the same answers.
    expect(ids(T0, T0)).toContain(created.id);
  });
});

describe('timing', () => {
  it('counts collections as the API does, capped by what a failing plan keeps', () => {
    expect(collectionsDueAt(job(timed()), T0 + 7 * MIN, 10)).toBe(5);
    expect(collectionsDueAt(job(timed()), T0 + 20 * MIN, 10)).toBe(10);
    // Failed keeps half: while in progress the count passes 5, the files stop there.
    expect(collectionsDueAt(job(timed('Failed')), T0 + 11 * MIN, 10)).toBe(5);
    expect(collectionsDueAt(job({ kind: 'pinned', state: 'InProgress', exportedCollections: 3 }), T0, 10)).toBe(3);
  });

  it('finds when a collection was counted and when the job next moves', () => {
    const j = job(timed());
    const third = countedAt(j, 3, 10, T0 + 20 * MIN);
    expect(collectionsDueAt(j, third, 10)).toBe(3);
    expect(collectionsDueAt(j, third - 1, 10)).toBe(2);
    expect(nextChange(j, T0 - 5, 10)).toBe(T0);
    expect(nextChange(j, T0, 10)).toBe(T0 + 2 * MIN);
    const n = nextChange(j, T0 + 2 * MIN, 10);
    expect(collectionsDueAt(j, n, 10)).toBe(1);
    expect(collectionsDueAt(j, n - 1, 10)).toBe(0);
    expect(nextChange(j, T0 + 12 * MIN, 10)).toBe(Infinity);
    expect(nextChange(job({ kind: 'pinned', state: 'InProgress' }), T0, 10)).toBe(Infinity);
  });
});

describe('gzip chunks', () => {
  /** n lines of `size` bytes with their newline, in batches of 7 (batches never decide where a file ends). */
  async function* lines(n: number, size: number): AsyncGenerator<string[]> {
    const all = Array.from({ length: n }, (_, i) => String(i).padEnd(size - 1, '.'));
    for (let i = 0; i < n; i += 7) yield all.slice(i, i + 7);
  }

  it('cut lines into files of at most chunkBytes (one line at least), increments from 0, every line once', async () => {
    const chunks = [];
    for await (const c of gzipChunks(zlib, lines(100, 100), 1000)) chunks.push(c);
    expect(chunks.map((c) => c.increment)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(chunks.every((c) => c.bytes <= 1000 && c.documents === 10)).toBe(true);
    const text = chunks.map((c) => zlib.gunzipSync(c.body).toString()).join('');
    expect(text.split('\n').slice(0, -1)).toEqual(Array.from({ length: 100 }, (_, i) => String(i).padEnd(99, '.')));
    const big = [];
    for await (const c of gzipChunks(zlib, lines(3, 5000), 1000)) big.push(c.documents);
    expect(big).toEqual([1, 1, 1]);
    const none = [];
    for await (const c of gzipChunks(zlib, lines(0, 10), 1000)) none.push(c);
    expect(none).toEqual([]);
  });
});

describe('names', () => {
  it('a replica set is atlas-<6>-shard-0, the same for a cluster id; a sharded cluster its shards', () => {
    const a = replicaSetNames({ id: '6650a0c1f1d2e3a4b5c6d7e2', type: 'REPLICASET', shards: [] });
    expect(a).toEqual(replicaSetNames({ id: '6650a0c1f1d2e3a4b5c6d7e2', type: 'REPLICASET', shards: [] }));
    expect(a[0]).toMatch(/^atlas-[a-z0-9]{6}-shard-0$/);
    expect(a).not.toEqual(replicaSetNames({ id: '6650a0c1f1d2e3a4b5c6d7f2', type: 'REPLICASET', shards: [] }));
    expect(replicaSetNames({ id: 'x', type: 'SHARDED', shards: [{ name: 's0', collections: 0 }, { name: 's1', collections: 0 }] })).toEqual(['s0', 's1']);
    expect(collectionUuid('c', 'db', 'coll')).toMatch(/^[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}$/);
    expect([0, 1, 2].map((s) => shardShare(10, s, 3))).toEqual([4, 3, 3]);
    expect([0, 1].map((s) => shardShare(1, s, 2))).toEqual([1, 0]);
  });
});

describe('the folder storage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'folder-storage-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const bucket = (bucketName: string) => ({ bucketName }) as ExportBucket;

  it('keeps keys a file system cannot name, and no name leaves its folder', async () => {
    const s = folderStorage(dir);
    const keys = ['p/db/../evil/a.json.gz', 'p/db/./x', 'p/db//y', 'p/db/100%/z', 'p/ok/metadata.json'];
    for (const k of keys) await s.put(bucket('good-bucket'), k, Buffer.from(k), 'text/plain');
    expect((await s.list(bucket('good-bucket'), 'p/')).map((o) => o.key)).toEqual([...keys].sort());
    expect((await s.list(bucket('good-bucket'), 'p/ok/')).map((o) => o.key)).toEqual(['p/ok/metadata.json']);
    for (const name of ['../up', 'Upper', 'a', 'x/y', 'dots..dots', '.hidden']) {
      await expect(s.put(bucket(name), 'k', Buffer.alloc(0), 'text/plain'), name).rejects.toBeInstanceOf(StorageError);
    }
  });

  it('removes the temporary files a mock killed mid-write left, and only those', async () => {
    const root = mkdtempSync(join(tmpdir(), 'folder-stale-'));
    const tmp = join(root, '.atlas-export-mock-tmp');
    mkdirSync(tmp);
    // A pid no process has (above Linux's pid_max), this process's own (only a dead one can have used it
    // before this process started), a running process's (the parent), and a name that is not a temporary.
    const names = ['4194304999-1', `${process.pid}-7`, `${process.ppid}-1`, 'notes.txt'];
    for (const n of names) writeFileSync(join(tmp, n), 'x');
    await folderStorage(root).put(bucket('good-bucket'), 'k', Buffer.from('v'), 'text/plain');
    expect(readdirSync(tmp).sort()).toEqual([`${process.ppid}-1`, 'notes.txt'].sort());
    rmSync(root, { recursive: true, force: true });
  });
});

describe('progress', () => {
  it('round-trips through its image, and its horizon never moves back', () => {
    const p = new ExportProgress();
    let changes = 0;
    p.onChange(() => changes++);
    p.permissionWritten('a');
    p.partWritten('a', 0);
    p.collectionWritten('a', 0);
    p.metadataWritten('a', 0);
    p.markBucketChecked('b');
    p.caughtUp(10);
    p.caughtUp(5);
    expect(p.horizon).toBe(10);
    expect(changes).toBe(6);
    const copy = new ExportProgress();
    copy.restore(JSON.parse(JSON.stringify(p.image())));
    expect(copy.image()).toEqual(p.image());
    expect(copy.of('a')).toEqual({ permission: true, collections: 1, parts: 0, metadata: 1, files: 2, complete: false, failed: false });
    expect(copy.of('zz').permission).toBe(false);
  });

  it('counts an object once when its change comes twice (two writers of a shared mock), and never one out of turn', () => {
    const p = new ExportProgress();
    p.partWritten('a', 0);
    p.partWritten('a', 0);
    p.partWritten('a', 2);
    p.partWritten('a', 1);
    expect(p.of('a')).toMatchObject({ parts: 2, files: 2 });
    p.collectionWritten('a', 0);
    p.collectionWritten('a', 0);
    expect(p.of('a')).toMatchObject({ collections: 1, parts: 0 });
    p.metadataWritten('a', 0);
    p.metadataWritten('a', 0);
    p.metadataWritten('a', 1);
    expect(p.of('a')).toMatchObject({ metadata: 2, files: 4 });
  });
});
