/**
 * Every field of the shared journal's entries is what the in-process journal shows for the same requests:
 * Redis keeps a request of a plain route in a short form (replication/journal-codec.ts: URL and operation
 * id made again from the route when read), every other request in full. The same requests, sent to a
 * memory mock and round robin to two replicas of one world, give the same `/__mock/requests` answers,
 * filters included; only `durationMs` (wall time) differs, shown in hundredths of a millisecond by both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningCli } from '../helpers/cli.js';
import { startCli } from '../helpers/cli.js';
import { IDS, V2023 } from '../helpers/mock.js';
import { redisCommand, SA, SA_OTHER, startRedis, startReplicas, token, type RedisServer } from './harness.js';

const EXPORTS = `/api/atlas/v2/groups/${IDS.group}/clusters/Cluster0/backup/exports`;
const JOB = `${EXPORTS}/${IDS.jobSuccessful}`;

/** [method, path, which token]: short and full forms, matched and unmatched, answered and refused. */
const REQUESTS: [string, string, 'sa' | 'other' | 'none'][] = [
  ['GET', JOB, 'sa'],
  ['HEAD', JOB, 'sa'],
  ['GET', EXPORTS, 'sa'],
  ['GET', `${JOB}?pretty=true`, 'sa'],
  ['GET', `${JOB}/`, 'sa'],
  // Cluster0 with its last character percent-encoded: the route's parameter is "Cluster0", the URL is not.
  ['GET', `/api/atlas/v2/groups/${IDS.group}/clusters/Cluster%30/backup/exports/${IDS.jobSuccessful}`, 'sa'],
  ['GET', `${EXPORTS}/${IDS.jobQueued}`, 'sa'],
  ['GET', `${EXPORTS}/6650a0c1f1d2e3a4b5c6dfff`, 'sa'],
  ['GET', JOB, 'none'],
  ['GET', `/api/atlas/v2/groups/${IDS.otherGroup}/backup/exportBuckets`, 'other'],
  ['GET', `/api/atlas/v2/groups/${IDS.group}/clusters/Cluster0/backup/nothing`, 'sa'],
  ['GET', JOB, 'other'],
];

const QUERIES = ['', '?operation=getBackupExport', '?operation=getGroupClusterBackupExport', `?exportId=${IDS.jobSuccessful}`, '?status=4xx', `?groupId=${IDS.group}&limit=3`, '?matched=false', '?method=HEAD', '?clusterName=Cluster0&since=3'];

const PREFIX = `journal-entries-${process.pid}`;
let redis: RedisServer;
let replicas: RunningCli[];
let memory: RunningCli;

beforeAll(async () => {
  redis = await startRedis();
  replicas = await startReplicas(2, redis.url, PREFIX);
  memory = await startCli(['--clock', 'manual', '--log-level', 'warn']);
}, 60_000);

afterAll(async () => {
  await Promise.all([...(replicas ?? []), ...(memory ? [memory] : [])].map((r) => r.stop()));
  await redis?.stop();
});

type Entry = Record<string, unknown> & { durationMs: number };

async function requests(url: string, query: string): Promise<Entry[]> {
  const res = await fetch(`${url}/__mock/requests${query}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { requests: Entry[] }).requests;
}

/**
 * The entries without their wall-clock duration (checked to be shown in hundredths) and time (each mock's
 * manual clock starts at its own start-up).
 */
const comparable = (entries: Entry[]) =>
  entries.map(({ durationMs, time, ...rest }) => {
    expect(Math.round(durationMs * 100) / 100).toBe(durationMs);
    expect(typeof time).toBe('string');
    return rest;
  });

describe('the shared journal shows every field as the in-process one', () => {
  it('the same entries for the same requests, with every filter', async () => {
    const urls = [() => memory.url, (() => {
      let turn = 0;
      return () => replicas[turn++ % replicas.length]!.url;
    })()];
    for (const next of urls) {
      const base = next();
      const bearer = { sa: await token(base, SA), other: await token(base, SA_OTHER) };
      // Token requests are journaled too: clear, so both journals start from the same seq onwards.
      const cleared = await fetch(`${base}/__mock/requests`, { method: 'DELETE' });
      expect(cleared.status).toBe(200);
      for (const [method, path, who] of REQUESTS) {
        const headers: Record<string, string> = { accept: V2023 };
        if (who !== 'none') headers.authorization = `Bearer ${bearer[who]}`;
        const res = await fetch(next() + path, { method, headers });
        await res.arrayBuffer();
      }
    }
    const all = await requests(memory.url, '');
    expect(all).toHaveLength(REQUESTS.length);
    // The short form and the full one are both in there: plain URLs and the others.
    expect(all.filter((e) => e.query !== null || String(e.path).endsWith('/') || String(e.path).includes('%')).length).toBe(3);
    // Redis holds both forms: the plain GET of a job without its URL, the one with a query string with it.
    const raw = await redisCommand(redis.port, 'XRANGE', `${PREFIX}:journal`, '-', '+');
    expect(raw).toContain(`"GET",200,"Successful","${SA.id}",null,`);
    expect(raw).toContain(`"${JOB}?pretty=true"`);
    expect(raw).not.toContain(`"${JOB}"`);
    for (const query of QUERIES) {
      const one = comparable(await requests(memory.url, query));
      for (const r of replicas) expect(comparable(await requests(r.url, query))).toEqual(one);
    }
  });
});
