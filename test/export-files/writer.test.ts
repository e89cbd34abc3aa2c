/**
 * The export-files writer beyond the acceptance cases, on the folder storage: same seed same bytes,
 * documents from a user's file, catching up after a restart with `--state-file` (nothing written twice,
 * nothing missed), the system clock's one timer, `--generate` jobs left alone, a bucket's
 * `.permissioncheck` when it is added, pins that hold, and the control API when files are off.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EJSON } from 'bson';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { MockControlError } from '../../src/testing/client.js';
import { startAtlasMock, type AtlasMock } from '../../src/testing/start.js';
import { createJob, documentsOf, FILES, filesDataset, folderReader, getJob, parseDataKey } from '../helpers/export-files.js';
import { IDS, T0 } from '../helpers/mock.js';

const tmp = mkdtempSync(join(tmpdir(), 'export-files-writer-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const freshDir = (): string => join(tmp, `d${++n}`);

const mocks: AtlasMock[] = [];
afterEach(async () => {
  for (const m of mocks.splice(0)) await m.close();
});
async function start(options: Parameters<typeof startAtlasMock>[0] = {}): Promise<AtlasMock> {
  const m = await startAtlasMock({ clock: { start: T0 }, ...options });
  mocks.push(m);
  return m;
}

const backend = { cloudProvider: 'AWS', bucketName: 'files-bucket', missingBucketName: 'Not_A..Bucket' } as const;

describe('generated documents', () => {
  it('are the same bytes for the same seed, and other documents for another seed', async () => {
    const run = async (seed: number) => {
      const dir = freshDir();
      const m = await start({ seed, exportFiles: { dir } });
      await m.fixtures.load(filesDataset(backend));
      const job = await createJob(m, FILES.cluster, FILES.snapshot, FILES.bucket);
      await m.clock.advanceBy('PT15M');
      const reader = folderReader(dir);
      const keys = (await reader.keys(backend.bucketName, `${job.prefix}/`)).filter((k) => k.endsWith('.json.gz')).sort();
      return { prefix: job.prefix, files: await Promise.all(keys.map(async (k) => [k, (await reader.read(backend.bucketName, k)).toString('base64')] as const)) };
    };
    const a = await run(7);
    const b = await run(7);
    const c = await run(8);
    expect(a.files.length).toBe(4);
    expect(b).toEqual(a);
    // Another seed: the same layout, other documents.
    expect(c.files.map(([k]) => k.slice(c.prefix.length))).toEqual(a.files.map(([k]) => k.slice(a.prefix.length)));
    expect(c.files.map(([, v]) => v)).not.toEqual(a.files.map(([, v]) => v));
  });
});

describe('documents from a file', () => {
  const docsFile = (name: string, text: string): string => {
    const f = join(tmp, name);
    writeFileSync(f, text);
    return f;
  };

  it('exports a JSON Lines file and an array file as canonical Extended JSON, every document once', async () => {
    const lines = docsFile('people.jsonl', ['{"_id": {"$oid": "650000000000000000000001"}, "n": 1, "big": {"$numberLong": "9007199254740993"}}', '', '{"_id": 2, "when": {"$date": "2024-05-01T00:00:00Z"}, "d": 1.5}', '{"_id": 3, "dec": {"$numberDecimal": "0.10"}}'].join('\n') + '\n');
    const array = docsFile('things.json', JSON.stringify([{ _id: 'a', tags: ['x'] }, { _id: 'b', nested: { k: { $numberInt: '7' } } }]));
    const dir = freshDir();
    const m = await start({ exportFiles: { dir } });
    await m.fixtures.load({
      ...filesDataset(backend),
      clusters: [
        { id: FILES.clusterId, groupId: IDS.group, name: FILES.cluster, databases: [{ name: 'files', collections: [{ name: 'people', file: lines }, { name: 'things', file: array }] }] },
        { id: FILES.shardedId, groupId: IDS.group, name: FILES.sharded, type: 'SHARDED', shards: FILES.shards.map((name) => ({ name })), databases: [{ name: 'files', collections: [{ name: 'people', file: lines }] }] },
      ],
    });
    const reader = folderReader(dir);
    const read = async (prefix: string, collection: string) => {
      const docs = [];
      for (const k of (await reader.keys(backend.bucketName, `${prefix}/files/${collection}/`)).filter((x) => x.endsWith('.json.gz')).sort()) docs.push(...documentsOf(await reader.read(backend.bucketName, k)));
      return docs;
    };

    const job = await createJob(m, FILES.cluster, FILES.snapshot, FILES.bucket);
    await m.clock.advanceBy('PT15M');
    expect((await getJob(m, FILES.cluster, job.id)).state).toBe('Successful');
    const people = await read(job.prefix, 'people');
    expect(people).toHaveLength(3);
    // Read back with bson, the types are those of the file (canonical output keeps them exact).
    expect(EJSON.stringify(people[0]!, { relaxed: false })).toBe('{"_id":{"$oid":"650000000000000000000001"},"n":{"$numberInt":"1"},"big":{"$numberLong":"9007199254740993"}}');
    expect(EJSON.stringify(people[1]!, { relaxed: false })).toBe('{"_id":{"$numberInt":"2"},"when":{"$date":{"$numberLong":"1714521600000"}},"d":{"$numberDouble":"1.5"}}');
    expect(EJSON.stringify(people[2]!, { relaxed: false })).toBe('{"_id":{"$numberInt":"3"},"dec":{"$numberDecimal":"0.10"}}');
    expect((await read(job.prefix, 'things')).map((d) => d._id)).toEqual(['a', 'b']);

    // Sharded: the file's documents spread over the shards, each once.
    const sharded = await createJob(m, FILES.sharded, FILES.shardedSnapshot, FILES.bucket);
    await m.clock.advanceBy('PT15M');
    const keys = (await reader.keys(backend.bucketName, `${sharded.prefix}/files/people/`)).filter((x) => x.endsWith('.json.gz'));
    expect(keys.map((k) => parseDataKey(sharded.prefix, k)!.replicaSet).sort()).toEqual([...FILES.shards]);
    expect((await read(sharded.prefix, 'people')).map((d) => EJSON.stringify(d._id as object)).sort()).toEqual(people.map((d) => EJSON.stringify(d._id as object)).sort());
  });

  it('a file that is not Extended JSON fails the export, saying where', async () => {
    const bad = docsFile('bad.jsonl', '{"ok": 1}\n{"broken": \n');
    const m = await start({ exportFiles: { dir: freshDir() } });
    await m.fixtures.load({ ...filesDataset(backend), clusters: [{ id: FILES.clusterId, groupId: IDS.group, name: FILES.cluster, databases: [{ name: 'files', collections: [{ name: 'bad', file: bad }] }] }], snapshots: [filesDataset(backend).snapshots![0]!] });
    const job = await createJob(m, FILES.cluster, FILES.snapshot, FILES.bucket);
    await m.clock.advanceBy('PT15M');
    const failed = await getJob(m, FILES.cluster, job.id);
    expect(failed.state).toBe('Failed');
    expect(failed.stateReason?.message).toContain(`${bad}:2`);
  });

  it('a file that cannot be read is refused when the fixtures load', async () => {
    const m = await start({ exportFiles: { dir: freshDir() } });
    const err = await m.fixtures
      .load({ clusters: [{ groupId: IDS.group, name: 'NoFile', databases: [{ name: 'd', collections: [{ name: 'c', file: join(tmp, 'missing.jsonl') }] }] }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MockControlError);
    expect((err as MockControlError).body.detail).toContain('$.clusters[0].databases[0].collections[0].file');
  });
});

describe('catching up', () => {
  it('after a restart with --state-file: the files written before are not written again, the rest are', async () => {
    const dir = freshDir();
    const stateFile = join(tmp, `state-${n}.json`);
    const first = await start({ stateFile, exportFiles: { dir } });
    await first.fixtures.load(filesDataset(backend));
    const job = await createJob(first, FILES.cluster, FILES.snapshot, FILES.bucket);
    await first.clock.advanceBy('PT8M');
    const reader = folderReader(dir);
    const before = (await reader.keys(backend.bucketName, `${job.prefix}/`)).sort();
    expect(before.length).toBeGreaterThan(0);
    const stamps = new Map(before.map((k) => [k, statSync(join(dir, backend.bucketName, k)).mtimeMs]));
    await first.close();
    mocks.splice(mocks.indexOf(first), 1);

    // Files written before the restart keep their time: a rewrite would give them a new one.
    await new Promise((r) => setTimeout(r, 20));
    const second = await start({ stateFile, exportFiles: { dir } });
    await second.clock.advanceBy('PT8M');
    expect((await getJob(second, FILES.cluster, job.id)).state).toBe('Successful');
    const after = (await reader.keys(backend.bucketName, `${job.prefix}/`)).sort();
    for (const [k, t] of stamps) expect(statSync(join(dir, backend.bucketName, k)).mtimeMs, k).toBe(t);
    expect(after).toContain(`${job.prefix}/.complete`);
    const complete = JSON.parse(readFileSync(join(dir, backend.bucketName, `${job.prefix}/.complete`), 'utf8')) as { totalFiles: number };
    expect(complete.totalFiles).toBe(after.length - 1);
  });

  it('a clock set back writes nothing again, and a later move goes on', async () => {
    const dir = freshDir();
    const m = await start({ exportFiles: { dir } });
    await m.fixtures.load(filesDataset(backend));
    const job = await createJob(m, FILES.cluster, FILES.snapshot, FILES.bucket);
    await m.clock.advanceBy('PT15M');
    const reader = folderReader(dir);
    const done = (await reader.keys(backend.bucketName, `${job.prefix}/`)).sort();
    await m.clock.set(T0);
    await m.clock.advanceBy('PT20M');
    expect((await reader.keys(backend.bucketName, `${job.prefix}/`)).sort()).toEqual(done);
  });

  it('with the system clock, one timer writes the files as the job moves, with no clock move', async () => {
    const dir = freshDir();
    // 15 minutes of mock time in about a second and a half.
    const m = await start({ clock: { mode: 'system', speed: 600, start: T0 }, exportFiles: { dir } });
    await m.fixtures.load(filesDataset(backend));
    const job = await createJob(m, FILES.cluster, FILES.snapshot, FILES.bucket);
    let files = await m.exportFiles.list(job.id);
    // Polled up to 60 s of wall time: about 2 s on an idle machine, 12 s seen on a 2-core one at load 9 (the
    // bound only tells "never written" from "late"; what is checked is that no clock move was needed).
    for (let i = 0; i < 600 && !files.complete; i++) {
      await new Promise((r) => setTimeout(r, 100));
      files = await m.exportFiles.list(job.id);
    }
    expect(files.complete).toBe(true);
    expect(files.state).toBe('Successful');
  }, 90_000);
});

describe('what the writer leaves alone and what it holds to', () => {
  it('jobs of --generate are load-test data: no files', async () => {
    const dir = freshDir();
    const m = await start({ generate: 300, exportFiles: { dir } });
    const store = m.app.mock.store;
    // Some of them are still moving (one in ten was created in the last 30 minutes).
    const now = m.app.mock.clock.now();
    expect([...store.jobs.values()].some((j) => m.app.mock.isGenerated(j) && j.plan.kind === 'timed' && j.createdAt + j.plan.queuedMs + j.plan.runningMs > now)).toBe(true);
    await m.clock.advanceBy('PT1H');
    expect(store.jobs.size).toBe(306);
    expect([...store.jobs.values()].filter((j) => m.app.mock.exportProgress.of(j.id).permission)).toEqual([]);
    expect(await folderReader(dir).keys('mock-export-bucket', '')).toEqual([]);
  });

  it('a pinned job holds a state, not a progress: no files; finish ends it with them', async () => {
    const dir = freshDir();
    const m = await start({ exportFiles: { dir } });
    // The default dataset pins a job InProgress with 17 of 42 collections.
    const pinned = await m.exportFiles.list(IDS.jobInProgress);
    expect(pinned.state).toBe('InProgress');
    expect(pinned.files).toEqual([]);
    expect(pinned.permissionCheck).toBe(false);
    await m.plans.job(IDS.jobInProgress, { finish: { outcome: 'Successful', after: 'PT5M' } });
    await m.clock.advanceBy('PT5M');
    const finished = await m.exportFiles.list(IDS.jobInProgress);
    expect(finished).toMatchObject({ state: 'Successful', complete: true, permissionCheck: true, written: { collections: 42, metadata: 42 } });
  });

  it('a bucket added through the API gets its .permissioncheck', async () => {
    const dir = freshDir();
    const m = await start({ exportFiles: { dir } });
    const res = await fetch(`${m.url}/api/atlas/v2/groups/${IDS.group}/backup/exportBuckets`, {
      method: 'POST',
      headers: { accept: 'application/vnd.atlas.2024-05-30+json', 'content-type': 'application/json', ...(await m.authHeaders()) },
      body: JSON.stringify({ cloudProvider: 'GCP', bucketName: 'new-gcs-bucket', roleId: IDS.gcpRole }),
    });
    expect(res.status).toBe(200);
    await m.clock.advanceBy(1);
    expect(await folderReader(dir).keys('new-gcs-bucket', '')).toEqual(['exported_snapshots/.permissioncheck']);
  });

  it('with export files off, the control API says so', async () => {
    const m = await start({ exportFiles: { enabled: false } });
    const err = await m.exportFiles.list(IDS.jobInProgress).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MockControlError);
    expect((err as MockControlError).status).toBe(404);
    expect((err as MockControlError).body.detail).toContain('--export-files off');
    expect(m.app.mock.exportFiles).toBeUndefined();
  });
});
