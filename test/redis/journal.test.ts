/**
 * The shared journal keeps what the in-process one keeps (docs/shared-service.md): the same requests sent to
 * a memory mock and, round robin, to two replicas of one world give the same list — the newest
 * `--journal-size` requests with the same `seq` — after concurrent requests (one stream entry per event-loop
 * turn of a replica), after the stream is trimmed, and after one project's entries are cleared.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningCli } from '../helpers/cli.js';
import { startCli } from '../helpers/cli.js';
import { IDS, V2023 } from '../helpers/mock.js';
import { SA, SA_OTHER, startRedis, startReplicas, token, type RedisServer } from './harness.js';

const SIZE = 5;
const EXPORTS = `/api/atlas/v2/groups/${IDS.group}/clusters/Cluster0/backup/exports`;
const OTHER_BUCKETS = `/api/atlas/v2/groups/${IDS.otherGroup}/backup/exportBuckets`;
const JOBS = [IDS.jobQueued, IDS.jobInProgress, IDS.jobSuccessful, IDS.jobFailed, IDS.jobCancelled];

let redis: RedisServer;
let replicas: RunningCli[];
let memory: RunningCli;

/** One mock as the test sees it: memory, or the replicas taken in turn. */
interface Target {
  url(): string;
  bearer: string;
  other: string;
}
let shared: Target;
let single: Target;

beforeAll(async () => {
  redis = await startRedis();
  replicas = await startReplicas(2, redis.url, `journal-${process.pid}`, ['--journal-size', String(SIZE)]);
  memory = await startCli(['--clock', 'manual', '--log-level', 'warn', '--journal-size', String(SIZE)]);
  let turn = 0;
  shared = { url: () => replicas[turn++ % replicas.length]!.url, bearer: await token(replicas[0]!.url, SA), other: await token(replicas[1]!.url, SA_OTHER) };
  single = { url: () => memory.url, bearer: await token(memory.url, SA), other: await token(memory.url, SA_OTHER) };
}, 60_000);

afterAll(async () => {
  await Promise.all([...(replicas ?? []), ...(memory ? [memory] : [])].map((r) => r.stop()));
  await redis?.stop();
});

const get = async (t: Target, path: string, bearer = t.bearer) => {
  const res = await fetch(t.url() + path, { headers: { accept: V2023, authorization: `Bearer ${bearer}` } });
  await res.arrayBuffer();
  return res.status;
};

/** Groups of requests sent at once to one replica (they share its turn's stream entry), one path per group. */
async function load(t: Target, groups: number): Promise<void> {
  for (let g = 0; g < groups; g++) {
    const url = t.url();
    const path = `${EXPORTS}/${JOBS[g % JOBS.length]}`;
    const statuses = await Promise.all(Array.from({ length: 8 }, () => fetch(url + path, { headers: { accept: V2023, authorization: `Bearer ${t.bearer}` } }).then(async (r) => (await r.arrayBuffer(), r.status))));
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(await get(t, OTHER_BUCKETS, t.other)).toBe(200);
  }
}

async function journal(t: Target, query = '') {
  const res = await fetch(`${t.url()}/__mock/requests${query}`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { requests: { seq: number; path: string; groupId: string | null; status: number }[]; size: number; capacity: number };
  return { entries: body.requests.map((r) => `${r.seq} ${r.path} ${r.status}`), size: body.size, capacity: body.capacity };
}

async function clear(t: Target, groupId?: string): Promise<number> {
  const res = await fetch(`${t.url()}/__mock/requests${groupId ? `?groupId=${groupId}` : ''}`, { method: 'DELETE' });
  expect(res.status).toBe(200);
  return ((await res.json()) as { deleted: number }).deleted;
}

describe('the shared journal keeps what one process keeps', () => {
  it('the newest entries with their seq, after concurrent requests and trimming', async () => {
    for (const t of [single, shared]) await load(t, 12);
    const [one, many] = [await journal(single), await journal(shared)];
    expect(one.entries).toHaveLength(SIZE);
    expect(many).toEqual(one);
    expect(many.size).toBe(SIZE);
  });

  it("one project's entries cleared: the others keep their seq, and the journal fills up again", async () => {
    const deleted = [await clear(single, IDS.otherGroup), await clear(shared, IDS.otherGroup)];
    expect(deleted[1]).toBe(deleted[0]);
    expect(deleted[0]).toBeGreaterThan(0);
    expect(await journal(shared)).toEqual(await journal(single));
    for (const t of [single, shared]) expect(await get(t, OTHER_BUCKETS, t.other)).toBe(200);
    expect(await journal(shared)).toEqual(await journal(single));
    for (const t of [single, shared]) await load(t, 2);
    const [one, many] = [await journal(single), await journal(shared)];
    expect(one.entries).toHaveLength(SIZE);
    expect(many).toEqual(one);
  });

  it('cleared entirely: empty, and the seq goes on', async () => {
    const deleted = [await clear(single), await clear(shared)];
    expect(deleted[1]).toBe(deleted[0]);
    expect((await journal(shared)).entries).toEqual([]);
    for (const t of [single, shared]) expect(await get(t, `${EXPORTS}/${IDS.jobSuccessful}`)).toBe(200);
    const [one, many] = [await journal(single), await journal(shared)];
    expect(one.entries).toHaveLength(1);
    expect(many).toEqual(one);
  });
});
