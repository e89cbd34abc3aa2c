/**
 * Export files with a shared store (replication/writer-lease.ts): one replica at a time writes them (it holds
 * the writer's lease), whichever replica moves the clock; its progress is in the log, so every replica reports
 * it and, when the writing replica is killed, another one takes the lease over and finishes: no file missing,
 * none counted twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningCli } from '../helpers/cli.js';
import { folderReader } from '../helpers/export-files.js';
import { IDS, V2023 } from '../helpers/mock.js';
import { startRedis, startReplicas, token, type RedisServer } from './harness.js';

const PREFIX = `files-${process.pid}`;
const EXPORTS = `/api/atlas/v2/groups/${IDS.group}/clusters/Cluster0/backup/exports`;
const BUCKET = 'mock-export-bucket';
/** Collections of Cluster0 in the default dataset. */
const COLLECTIONS = 42;

let redis: RedisServer;
let client: Redis;
let replicas: RunningCli[];
let bearer: string;
const dir = mkdtempSync(join(tmpdir(), 'redis-export-files-'));

beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.port, '127.0.0.1');
  // Small files, many of them: a job takes long enough to be cut in the middle.
  replicas = await startReplicas(3, redis.url, PREFIX, ['--export-dir', dir, '--export-chunk-size', '1024', '--export-documents', '40']);
  bearer = await token(replicas[0]!.url);
}, 60_000);

afterAll(async () => {
  client?.disconnect();
  await Promise.all((replicas ?? []).map((r) => r.stop()));
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const control = (r: RunningCli, path: string, body?: unknown) =>
  fetch(`${r.url}/__mock${path}`, { method: body === undefined ? 'GET' : 'POST', ...(body !== undefined && { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) });

async function createJob(r: RunningCli): Promise<{ id: string; prefix: string }> {
  const res = await fetch(r.url + EXPORTS, {
    method: 'POST',
    headers: { accept: V2023, authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
    body: JSON.stringify({ snapshotId: IDS.snapshotReady, exportBucketId: IDS.bucket }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { id: string; prefix: string };
}

/** The replica that writes export files now (its health says so), and the others. */
async function writerOf(pool: RunningCli[]): Promise<{ writer: RunningCli; others: RunningCli[] }> {
  for (let i = 0; i < 100; i++) {
    const flags = await Promise.all(pool.map(async (r) => ((await (await control(r, '/health')).json()) as { store: { exportWriter?: boolean } }).store.exportWriter === true));
    if (flags.filter(Boolean).length === 1) return { writer: pool[flags.indexOf(true)]!, others: pool.filter((_, k) => !flags[k]) };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no single replica writes export files');
}

/** The progress changes of the log for one job: [replica that made it, method, index]. */
async function progressSteps(jobId: string): Promise<[number, string, unknown][]> {
  const out: [number, string, unknown][] = [];
  for (const [, fields] of (await client.xrange(`${PREFIX}:log`, '-', '+')) as [string, string[]][]) {
    const entry = JSON.parse(fields[1]!) as { s: { o: string; m?: string; a?: string }[]; r: number };
    for (const step of entry.s) {
      if (step.o !== 'exportProgress' || !step.a) continue;
      const args = JSON.parse(step.a) as unknown[];
      if (args[0] === jobId) out.push([entry.r, step.m!, args[1]]);
    }
  }
  return out;
}

async function checkComplete(job: { id: string; prefix: string }, pool: RunningCli[]): Promise<void> {
  for (const r of pool) {
    const view = (await (await control(r, `/exports/${job.id}/files`)).json()) as { complete: boolean; written: { collections: number; files: number; metadata: number }; files: { key: string }[] };
    expect(view).toMatchObject({ complete: true, written: { collections: COLLECTIONS, metadata: COLLECTIONS } });
    // Every object the progress counts is there, and nothing else: the data files of each collection from 0 on.
    expect(view.files).toHaveLength(view.written.files + 1);
  }
  const keys = await folderReader(dir).keys(BUCKET, `${job.prefix}/`);
  const parts = new Map<string, number[]>();
  for (const k of keys) {
    const m = /^(.*)\.(\d+)\.json\.gz$/.exec(k);
    if (m) parts.set(m[1]!, [...(parts.get(m[1]!) ?? []), Number(m[2])]);
  }
  expect(parts.size).toBe(COLLECTIONS);
  for (const [name, list] of parts) expect(list.sort((a, b) => a - b), name).toEqual(list.map((_, i) => i));
  const complete = JSON.parse((await folderReader(dir).read(BUCKET, `${job.prefix}/.complete`)).toString()) as { totalFiles: number };
  expect(complete.totalFiles).toBe(keys.length - 1);
  // No object counted twice: in the log, the parts of each collection from 0 on, then the collection; the
  // metadata files from 0 on.
  const next = { part: 0, collection: 0, metadata: 0 };
  for (const [, method, index] of await progressSteps(job.id)) {
    if (method === 'partWritten') expect(index, `part of collection ${next.collection}`).toBe(next.part++);
    if (method === 'collectionWritten') {
      expect(index).toBe(next.collection++);
      next.part = 0;
    }
    if (method === 'metadataWritten') expect(index).toBe(next.metadata++);
  }
  expect(next).toMatchObject({ collection: COLLECTIONS, metadata: COLLECTIONS });
}

describe('export files with three replicas', () => {
  it('one replica writes them, whichever replica moves the clock; every replica reports its progress', async () => {
    const { writer, others } = await writerOf(replicas);
    const job = await createJob(others[0]!);
    // Answered once the files are written, though by another replica.
    expect((await control(others[1]!, '/clock', { advanceBy: 'PT15M' })).status).toBe(200);
    await checkComplete(job, replicas);
    const writers = new Set((await progressSteps(job.id)).map(([r]) => r));
    expect(writers.size).toBe(1);
    const number = ((await (await control(writer, '/health')).json()) as { store: { replica: number } }).store.replica;
    expect([...writers]).toEqual([number]);
  }, 60_000);

  it('the writing replica killed in the middle of a job: another one takes over and finishes it', async () => {
    const { writer, others } = await writerOf(replicas);
    const job = await createJob(others[0]!);
    const moved = control(others[1]!, '/clock', { advanceBy: 'PT15M' });
    // Killed once it has written part of the job (its progress is in the log).
    for (let i = 0; i < 200 && (await progressSteps(job.id)).filter(([, m]) => m === 'partWritten').length < 5; i++) await new Promise((r) => setTimeout(r, 20));
    writer.child.kill('SIGKILL');
    await writer.stop();
    expect((await moved).status).toBe(200);
    await checkComplete(job, others);
    const writers = new Set((await progressSteps(job.id)).map(([r]) => r));
    expect(writers.size).toBe(2);
    expect((await writerOf(others)).writer).toBeDefined();
  }, 60_000);
});

// Declared last: vitest runs a file's tests in the order they are declared.
describe('after the suite', () => {
  it('no replica changed the world outside a write, and every log entry applied everywhere as it did where it was made', () => {
    for (const r of replicas) {
      expect(r.output()).not.toContain('outside a write');
      expect(r.output()).not.toContain('did not apply here');
    }
  });
});