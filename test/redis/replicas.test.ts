/**
 * Many replicas, one Atlas (`--store redis://…`, docs/shared-service.md): three mock processes on one real
 * redis-server, requests sent round robin. Every behaviour a single process has must hold across them.
 * Needs redis-server on the PATH (`npm run test:redis`; .ci/run installs it): fails, never skips, without it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningCli } from '../helpers/cli.js';
import { startCli } from '../helpers/cli.js';
import { DigestSession } from '../helpers/digest.js';
import { IDS, V2023 } from '../helpers/mock.js';
import { KEY, SA_OTHER, redisCommand, startRedis, startReplicas, token, type RedisServer } from './harness.js';

const GROUP = IDS.group;
const EXPORTS = `/api/atlas/v2/groups/${GROUP}/clusters/Cluster0/backup/exports`;
const BUCKETS = `/api/atlas/v2/groups/${GROUP}/backup/exportBuckets`;

let redis: RedisServer;
let replicas: RunningCli[];
let bearer: string;
const PREFIX = `suite-${process.pid}`;

const api = (i: number, path: string, init: RequestInit = {}) =>
  fetch(`${replicas[i % replicas.length]!.url}${path}`, {
    ...init,
    headers: { accept: V2023, authorization: `Bearer ${bearer}`, ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.headers as Record<string, string> | undefined) },
  });
const control = (i: number, path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST') =>
  fetch(`${replicas[i % replicas.length]!.url}/__mock${path}`, { method, ...(body !== undefined && { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) });
const json = async (res: Response) => (await res.json()) as any;

beforeAll(async () => {
  redis = await startRedis({ aof: true });
  replicas = await startReplicas(3, redis.url, PREFIX);
  bearer = await token(replicas[0]!.url);
}, 60_000);

afterAll(async () => {
  await Promise.all((replicas ?? []).map((r) => r.stop()));
  await redis?.stop();
});

describe('three replicas on one Redis', () => {
  it('a Digest challenge of one replica is answered at another; a replayed count is refused at the third', async () => {
    const uri = `${EXPORTS}/${IDS.jobSuccessful}`;
    const first = await fetch(replicas[0]!.url + uri, { headers: { accept: V2023 } });
    expect(first.status).toBe(401);
    const session = new DigestSession(KEY.user, KEY.password);
    session.accept(first.headers.get('www-authenticate')!);
    const answered = await fetch(replicas[1]!.url + uri, { headers: { accept: V2023, authorization: session.next('GET', uri) } });
    expect(answered.status).toBe(200);
    expect((await json(answered)).id).toBe(IDS.jobSuccessful);
    // nc 2 at the third replica, then nc 2 again at the first: a replay (RFC 7616 §5.5), across replicas.
    expect((await fetch(replicas[2]!.url + uri, { headers: { accept: V2023, authorization: session.next('GET', uri) } })).status).toBe(200);
    const replay = await fetch(replicas[0]!.url + uri, { headers: { accept: V2023, authorization: session.withCount('GET', uri, 2) } });
    expect(replay.status).toBe(401);
  });

  it('a job created on A is found at once on B and C, and listed there', async () => {
    const created = await api(0, EXPORTS, { method: 'POST', body: JSON.stringify({ snapshotId: IDS.snapshotReady, exportBucketId: IDS.bucket }) });
    expect(created.status).toBe(200);
    const job = await json(created);
    for (const i of [1, 2]) {
      const got = await api(i, `${EXPORTS}/${job.id}`);
      expect(got.status).toBe(200);
      expect((await json(got)).id).toBe(job.id);
    }
    const list = await json(await api(2, `${EXPORTS}?itemsPerPage=500`));
    expect(list.results.map((j: { id: string }) => j.id)).toContain(job.id);
  });

  it('two concurrent creates of an export of one snapshot on two replicas: exactly one wins', async () => {
    const snapshotId = '66a000000000000000000a01';
    const loaded = await control(1, '/fixtures?transient=true', {
      snapshots: [{ id: snapshotId, groupId: GROUP, clusterName: 'Cluster0', createdAt: '2024-05-24T10:00:00Z', status: 'completed', description: 'race' }],
    });
    expect(loaded.status).toBe(201);
    const body = JSON.stringify({ snapshotId, exportBucketId: IDS.bucket });
    const answers = await Promise.all([api(0, EXPORTS, { method: 'POST', body }), api(2, EXPORTS, { method: 'POST', body })]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    const loser = answers.find((r) => r.status === 409)!;
    expect((await json(loser)).errorCode).toBe('EXPORT_ALREADY_IN_PROGRESS');
  });

  it('a clock move on C is seen by A and B, and the jobs move with it', async () => {
    const snapshotId = '66a000000000000000000a03';
    await control(0, '/fixtures?transient=true', { snapshots: [{ id: snapshotId, groupId: GROUP, clusterName: 'Cluster0', createdAt: '2024-05-24T09:00:00Z', status: 'completed', description: 'clock' }] });
    const created = await json(await api(1, EXPORTS, { method: 'POST', body: JSON.stringify({ snapshotId, exportBucketId: IDS.bucket }) }));
    expect(created.state).toBe('Queued');
    const moved = await json(await control(2, '/clock', { advanceBy: 'PT20M' }));
    for (const i of [0, 1]) {
      const clock = await json(await control(i, '/clock'));
      expect(clock.now).toBe(moved.now);
      const job = await json(await api(i, `${EXPORTS}/${created.id}`));
      expect(['Successful', 'Failed', 'Cancelled']).toContain(job.state);
    }
  });

  it('a plan queued on B applies to the next job created on C, seen failed on A', async () => {
    const pushed = await control(1, '/plans/next', { groupId: GROUP, clusterName: 'Cluster0', plan: { queued: 'PT1M', running: 'PT1M', outcome: 'Failed', stateReason: { errorCode: 'X_FAILED', message: 'planned on B' } } });
    expect(pushed.status).toBe(201);
    expect((await json(await control(0, '/plans/next'))).queues).toHaveLength(1);
    const snapshotId = '66a000000000000000000a02';
    await control(0, '/fixtures?transient=true', { snapshots: [{ id: snapshotId, groupId: GROUP, clusterName: 'Cluster0', createdAt: '2024-05-24T11:00:00Z', status: 'completed', description: 'plan' }] });
    const job = await json(await api(2, EXPORTS, { method: 'POST', body: JSON.stringify({ snapshotId, exportBucketId: IDS.bucket }) }));
    expect((await json(await control(1, '/plans/next'))).queues).toHaveLength(0);
    await control(1, '/clock', { advanceBy: 'PT3M' });
    const seen = await json(await api(0, `${EXPORTS}/${job.id}`));
    expect(seen.state).toBe('Failed');
    expect(seen.stateReason).toMatchObject({ errorCode: 'X_FAILED' });
  });

  it("a job's plan pinned on one replica is seen on the others", async () => {
    const pinned = await control(2, `/exports/${IDS.jobQueued}/plan`, { pin: { state: 'Cancelled' } }, 'PUT');
    expect(pinned.status).toBe(200);
    for (const i of [0, 1]) expect((await json(await api(i, `${EXPORTS}/${IDS.jobQueued}`))).state).toBe('Cancelled');
  });

  it('a fault rule with times 1 fires exactly once across replicas', async () => {
    const added = await json(await control(0, '/faults', { operation: 'getBackupExport', times: 1, error: 'SERVICE_UNAVAILABLE' }));
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) statuses.push((await api(i, `${EXPORTS}/${IDS.jobSuccessful}`)).status);
    expect(statuses.filter((s) => s === 503)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(8);
    const listed = await json(await control(2, '/faults'));
    expect(listed.faults.map((f: { id: string }) => f.id)).not.toContain(added.id);
  });

  it("one bucket per project for all replicas: Atlas's 1200 requests, then 429", async () => {
    const other = await token(replicas[1]!.url, SA_OTHER);
    await control(2, '/reset', { groupId: IDS.otherGroup });
    const path = `/api/atlas/v2/groups/${IDS.otherGroup}/backup/exportBuckets`;
    let ok = 0;
    let limited = 0;
    let last = '';
    for (let batch = 0; batch < 25; batch++) {
      const answers = await Promise.all(Array.from({ length: 50 }, (_, k) => api(batch * 50 + k, path, { headers: { authorization: `Bearer ${other}` } })));
      for (const r of answers) {
        if (r.status === 200) ok++;
        else if (r.status === 429) limited++;
        last = r.headers.get('ratelimit-limit') ?? last;
        await r.arrayBuffer();
      }
    }
    expect(ok).toBe(1200);
    expect(limited).toBe(50);
    expect(last).toBe('1200');
  });

  it("the journal holds every replica's requests, in one order", async () => {
    expect((await control(0, '/requests', undefined, 'DELETE')).status).toBe(200);
    const ids = [IDS.jobQueued, IDS.jobInProgress, IDS.jobFailed];
    for (let i = 0; i < 3; i++) expect((await api(i, `${EXPORTS}/${ids[i]}`)).status).toBe(200);
    const { requests } = await json(await control(1, '/requests?operation=getBackupExport'));
    expect(requests.map((r: { exportId: string }) => r.exportId)).toEqual(ids);
    const seqs = requests.map((r: { seq: number }) => r.seq);
    expect([...seqs].sort((a: number, b: number) => a - b)).toEqual(seqs);
  });

  it('a replica killed with SIGKILL under load: the others keep answering, nothing acknowledged is lost', async () => {
    const extra = await startReplicas(1, redis.url, PREFIX);
    const pool = [replicas[0]!, replicas[1]!, extra[0]!];
    const acknowledged: string[] = [];
    let failedOnKilled = 0;
    let n = 0;
    const worker = async () => {
      while (n < 120) {
        const i = n++;
        if (i === 40) extra[0]!.child.kill('SIGKILL');
        const target = pool[i % pool.length]!;
        try {
          const res = await fetch(`${target.url}${BUCKETS}`, {
            method: 'POST',
            headers: { accept: V2023, authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
            body: JSON.stringify({ cloudProvider: 'AWS', bucketName: `kill-${i}`, iamRoleId: '6650a0c1f1d2e3a4b5c6d811' }),
            signal: AbortSignal.timeout(15_000),
          });
          if (res.status === 200) acknowledged.push((await json(res))._id);
          else if (target !== extra[0]) throw new Error(`request ${i}: ${res.status} ${await res.text()}`);
        } catch (e) {
          if (target !== extra[0]) throw e;
          failedOnKilled++;
        }
      }
    };
    try {
      await Promise.all([worker(), worker(), worker(), worker()]);
    } finally {
      await extra[0]!.stop();
    }
    expect(failedOnKilled).toBeGreaterThan(0);
    expect(acknowledged.length).toBeGreaterThanOrEqual(80);
    for (const r of [0, 1, 2]) {
      const listed = await json(await api(r, `${BUCKETS}?itemsPerPage=500`));
      const ids = new Set(listed.results.map((b: { _id: string }) => b._id));
      for (const id of acknowledged) expect(ids.has(id), `bucket ${id} on replica ${r}`).toBe(true);
    }
  }, 60_000);

  it('Redis stopped: 503 and unhealthy; started again: serving by itself, nothing lost', async () => {
    const before = await json(await api(0, `${EXPORTS}?itemsPerPage=500`));
    await redis.stop();
    const down = await api(1, `${EXPORTS}/${IDS.jobSuccessful}`);
    expect(down.status).toBe(503);
    expect((await json(down)).errorCode).toBe('SERVICE_UNAVAILABLE');
    const health = await control(2, '/health');
    expect(health.status).toBe(503);
    expect((await json(health)).status).toBe('unavailable');

    redis = await startRedis({ aof: true, port: redis.port, dir: redis.dir });
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      status = (await api(i, `${EXPORTS}/${IDS.jobSuccessful}`)).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(200);
    for (const i of [0, 1, 2]) {
      // Each replica reconnects by itself (a second at most between attempts).
      let health = 0;
      for (let k = 0; k < 50 && health !== 200; k++) {
        health = (await control(i, '/health')).status;
        if (health !== 200) await new Promise((r) => setTimeout(r, 200));
      }
      expect(health).toBe(200);
      const after = await api(i, `${EXPORTS}?itemsPerPage=500`);
      expect(after.status, await after.clone().text()).toBe(200);
      expect((await json(after)).totalCount).toBe(before.totalCount);
    }
  }, 60_000);

  it('over 2000 writes: checkpoints trim the log, and a new replica starts from the latest one and the entries after it', async () => {
    let n = 0;
    const worker = async () => {
      while (n < 2100) {
        const i = n++;
        expect((await control(i, '/clock', { advanceBy: 'PT1S' })).status).toBe(200);
      }
    };
    await Promise.all(Array.from({ length: 25 }, worker));
    const logLength = Number(/:(\d+)/.exec(await redisCommand(redis.port, 'XLEN', `${PREFIX}:log`))![1]);
    expect(logLength).toBeLessThan(2100);
    const joined = await startReplicas(1, redis.url, PREFIX);
    try {
      const clocks = await Promise.all([replicas[0]!.url, joined[0]!.url].map(async (u) => (await json(await fetch(`${u}/__mock/clock`))).now));
      expect(clocks[1]).toBe(clocks[0]);
      const health = await json(await fetch(`${joined[0]!.url}/__mock/health`));
      expect(health.store.applied).toBe((await json(await control(0, '/health'))).store.applied);
    } finally {
      await joined[0]!.stop();
    }
  }, 60_000);

  it('Redis restarted empty (no persistence): the first replica that notices writes the world back', async () => {
    const before = await json(await api(0, `${EXPORTS}?itemsPerPage=500`));
    expect(await redisCommand(redis.port, 'FLUSHALL')).toBe('+OK\r\n');
    // A write notices (the head went below what it applied) and seeds the world from its memory.
    const pushed = await control(1, '/plans/next', { groupId: GROUP, clusterName: 'Cluster0', plan: { outcome: 'Cancelled' } });
    expect(pushed.status).toBe(201);
    for (const i of [0, 1, 2]) {
      const after = await json(await api(i, `${EXPORTS}?itemsPerPage=500`));
      expect(after.totalCount).toBe(before.totalCount);
      expect((await json(await control(i, '/plans/next'))).queues).toHaveLength(1);
    }
    await control(0, '/plans/next', undefined, 'DELETE');
  });

  it('a replica with other world options is refused, with what to do', async () => {
    const started = startCli(['--store', redis.url, '--store-prefix', PREFIX, '--seed', '7']);
    // Stopped if it started after all (the assertion then fails), so no process outlives the suite.
    started.then((r) => r.stop(), () => undefined);
    await expect(started).rejects.toThrow(/other world options/);
  });
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