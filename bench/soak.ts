/**
 * `npm run soak [-- --minutes N --clients N --max-rss-growth P]`: N minutes (default 5) of mixed traffic
 * from several concurrent clients (default 8) against the built CLI on loopback, then a report:
 * requests, unexpected answers (must be 0), latency p50 / p99 / max, RSS after warm-up and at the end
 * (must not grow by more than P %, default 20). Exits 1 when either bound is broken. Not part of the timed
 * suite (docs/reliability.md holds a measured run).
 *
 * Traffic, per client, drawn from a seeded generator: reads of known jobs (Bearer and Digest), list pages,
 * creates and polls of export jobs, bucket create + delete, bad requests (406, 404, 400, 405, 401), token
 * mints, journal and health reads. The mock runs its clock at speed 60 (a created job ends within a
 * second of wall time) and a full reset every 30 s keeps the data bounded, as a CI day of suites that
 * reset between runs would. Every loop is bounded by the deadline; the mock is stopped at the end.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { digestSigner, parseChallenge } from './lib/digest.js';
import { createRandom } from '../src/core/random.js';

const args = process.argv.slice(2);
const opt = (name: string, fallback: number): number => {
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i === -1) return fallback;
  const v = args[i]!.includes('=') ? args[i]!.split('=')[1]! : args[i + 1]!;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} needs a positive number, got ${v}`);
  return n;
};
const MINUTES = opt('minutes', 5);
const CLIENTS = Math.floor(opt('clients', 8));
const MAX_RSS_GROWTH = opt('max-rss-growth', 20);
const WARMUP_MS = Math.min(15_000, MINUTES * 60_000 * 0.1);

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const GROUP = '6650a0c1f1d2e3a4b5c6d7e1';
const JOBS = ['6650a0c1f1d2e3a4b5c6d820', '6650a0c1f1d2e3a4b5c6d821', '6650a0c1f1d2e3a4b5c6d822', '6650a0c1f1d2e3a4b5c6d823', '6650a0c1f1d2e3a4b5c6d824'];
const SNAPSHOT = '6650a0c1f1d2e3a4b5c6d804';
const BUCKET = '6650a0c1f1d2e3a4b5c6d810';
const SA = { id: 'mdb_sa_id_6650a0c1f1d2e3a4b5c6d830', secret: 'mdb_sa_sk_mockmockmockmockmockmockmockmock' };
const KEY = { user: 'mockownr', password: '11111111-2222-4333-8444-555555555555' };
const V2023 = 'application/vnd.atlas.2023-01-01+json';
const V2024 = 'application/vnd.atlas.2024-05-30+json';
const exportsPath = `/api/atlas/v2/groups/${GROUP}/clusters/Cluster0/backup/exports`;
const bucketsPath = `/api/atlas/v2/groups/${GROUP}/backup/exportBuckets`;

/** The mock's own seeded generator, one per client: the traffic mix is reproducible. */
function rng(seed: number): () => number {
  return createRandom(seed).next;
}

interface Tally {
  requests: number;
  unexpected: number;
  samples: string[];
  byKind: Map<string, number>;
  latencies: number[];
}
const tally: Tally = { requests: 0, unexpected: 0, samples: [], byKind: new Map(), latencies: [] };

async function send(kind: string, url: string, init: RequestInit, expected: readonly number[]): Promise<{ status: number; headers: Headers; body: string } | undefined> {
  const t0 = performance.now();
  try {
    const res = await fetch(url, init);
    const body = await res.text();
    tally.latencies.push(performance.now() - t0);
    tally.requests++;
    tally.byKind.set(kind, (tally.byKind.get(kind) ?? 0) + 1);
    if (!expected.includes(res.status)) {
      tally.unexpected++;
      if (tally.samples.length < 10) tally.samples.push(`${kind}: ${res.status} ${body.slice(0, 200)}`);
    }
    return { status: res.status, headers: res.headers, body };
  } catch (e) {
    tally.requests++;
    tally.unexpected++;
    if (tally.samples.length < 10) tally.samples.push(`${kind}: ${(e as Error).message}`);
    return undefined;
  }
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function mint(base: string): Promise<string> {
  const res = await send('token mint', `${base}/api/oauth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${SA.id}:${SA.secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  }, [200]);
  return res ? (JSON.parse(res.body) as { access_token: string }).access_token : '';
}

async function client(index: number, base: string, deadline: number): Promise<void> {
  const random = rng(index + 1);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  let token = await mint(base);
  let tokenAt = performance.now();
  let sign: ((method: string, uri: string) => string) | undefined;
  const created: string[] = [];
  const bearer = () => ({ authorization: `Bearer ${token}` });

  while (performance.now() < deadline) {
    // Tokens live one hour of mock time: 60 s of wall time at speed 60.
    if (performance.now() - tokenAt > 30_000) {
      token = await mint(base);
      tokenAt = performance.now();
    }
    const r = random();
    if (r < 0.35) {
      await send('get job (Bearer)', `${base}${exportsPath}/${pick(JOBS)}`, { headers: { ...bearer(), accept: V2023 } }, [200]);
    } else if (r < 0.45) {
      const uri = `${exportsPath}/${pick(JOBS)}`;
      if (!sign) {
        const challenge = await send('digest challenge', base + uri, { headers: { accept: V2023 } }, [401]);
        sign = challenge ? digestSigner(KEY.user, KEY.password, parseChallenge(challenge.headers.get('www-authenticate') ?? '')) : undefined;
        continue;
      }
      const res = await send('get job (Digest)', base + uri, { headers: { accept: V2023, authorization: sign('GET', uri) } }, [200, 401]);
      // 401: the nonce went stale (5 min of mock time = 5 s of wall time): answer the new challenge.
      if (res?.status === 401) sign = digestSigner(KEY.user, KEY.password, parseChallenge(res.headers.get('www-authenticate') ?? ''));
    } else if (r < 0.57) {
      await send('list jobs', `${base}${exportsPath}?itemsPerPage=${pick([1, 10, 100])}&pageNum=${pick([1, 2, 3])}${random() < 0.3 ? '&pretty=true' : ''}`, { headers: { ...bearer(), accept: V2023 } }, [200]);
    } else if (r < 0.67) {
      const res = await send('create job', base + exportsPath, { method: 'POST', headers: { ...bearer(), accept: V2023, 'content-type': 'application/json' }, body: JSON.stringify({ snapshotId: SNAPSHOT, exportBucketId: BUCKET, customData: [{ key: 'soak', value: String(index) }] }) }, [200, 409, 404]);
      if (res?.status === 200) {
        created.push((JSON.parse(res.body) as { id: string }).id);
        if (created.length > 20) created.shift();
      }
    } else if (r < 0.77) {
      if (created.length > 0) await send('poll job', `${base}${exportsPath}/${pick(created)}`, { headers: { ...bearer(), accept: V2023 } }, [200, 404]);
    } else if (r < 0.82) {
      const res = await send('create bucket', base + bucketsPath, { method: 'POST', headers: { ...bearer(), accept: V2024, 'content-type': 'application/json' }, body: JSON.stringify({ cloudProvider: 'GCP', bucketName: `soak-${index}`, roleId: BUCKET }) }, [200, 409]);
      if (res?.status === 200) await send('delete bucket', `${base}${bucketsPath}/${(JSON.parse(res.body) as { _id: string })._id}`, { method: 'DELETE', headers: { ...bearer(), accept: V2023 } }, [204, 404]);
    } else if (r < 0.92) {
      const bad = pick([
        () => send('bad: no Accept', `${base}${exportsPath}/${JOBS[0]}`, { headers: bearer() }, [406]),
        () => send('bad: malformed id', `${base}${exportsPath}/not-an-id`, { headers: { ...bearer(), accept: V2023 } }, [404]),
        () => send('bad: malformed JSON', base + exportsPath, { method: 'POST', headers: { ...bearer(), accept: V2023, 'content-type': 'application/json' }, body: '{"snapshotId":' }, [400]),
        () => send('bad: wrong method', `${base}${exportsPath}/${JOBS[0]}`, { method: 'PUT', headers: { ...bearer(), accept: V2023 } }, [405]),
        () => send('bad: unknown token', `${base}${exportsPath}/${JOBS[0]}`, { headers: { authorization: 'Bearer nope', accept: V2023 } }, [401]),
        () => send('bad: unknown path', `${base}/api/atlas/v2/nothing/here`, { headers: { ...bearer(), accept: V2023 } }, [404]),
        () => send('bad: query', `${base}${exportsPath}?itemsPerPage=0`, { headers: { ...bearer(), accept: V2023 } }, [400]),
      ]);
      await bad();
    } else if (r < 0.95) {
      token = await mint(base);
      tokenAt = performance.now();
    } else {
      await send('control', `${base}${pick(['/__mock/health', '/__mock/requests?limit=5', '/__mock/clock'])}`, {}, [200]);
    }
  }
}

async function main(): Promise<void> {
  const child = spawn(process.execPath, [CLI, '--port', '0', '--host', '127.0.0.1', '--clock', 'system', '--speed', '60', '--queued', 'PT5S', '--running', 'PT10S', '--rate-limit-capacity', '1000000000', '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the mock did not start:\n${out}`)), 15_000);
    const poll = setInterval(() => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve(m[1]!);
      }
    }, 20);
  });
  const pid = child.pid!;
  const rssStartup = rssMiB(pid);
  const t0 = performance.now();
  const deadline = t0 + MINUTES * 60_000;
  process.stdout.write(`soak: ${MINUTES} min, ${CLIENTS} clients against ${base} (pid ${pid}), RSS at start-up ${rssStartup.toFixed(1)} MiB\n`);

  const resets = setInterval(() => void send('full reset', `${base}/__mock/reset`, { method: 'POST' }, [200]), 30_000);
  let rssWarm = NaN;
  let rssMax = 0;
  const samples: string[] = [];
  const sampler = setInterval(() => {
    const rss = rssMiB(pid);
    rssMax = Math.max(rssMax, rss);
    const elapsed = performance.now() - t0;
    if (Number.isNaN(rssWarm) && elapsed >= WARMUP_MS) rssWarm = rss;
    samples.push(`${Math.round(elapsed / 1000)}s ${rss.toFixed(1)}MiB ${tally.requests}req`);
    if (samples.length % 6 === 0) process.stdout.write(`  ${samples[samples.length - 1]}, unexpected ${tally.unexpected}\n`);
  }, 5_000);

  await Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i, base, deadline)));
  clearInterval(resets);
  clearInterval(sampler);
  const elapsedS = (performance.now() - t0) / 1000;
  const rssEnd = rssMiB(pid);
  if (Number.isNaN(rssWarm)) rssWarm = rssStartup;
  const health = await send('health', `${base}/__mock/health`, {}, [200]);

  child.kill('SIGTERM');
  const code = await new Promise<number | null>((r) => child.once('exit', r));

  const lat = Float64Array.from(tally.latencies).sort();
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] ?? NaN;
  const growth = ((rssEnd - rssWarm) / rssWarm) * 100;
  const lines = [
    '',
    `duration        ${elapsedS.toFixed(0)} s (${MINUTES} min), ${CLIENTS} clients`,
    `requests        ${tally.requests} (${(tally.requests / elapsedS).toFixed(0)}/s)`,
    `unexpected      ${tally.unexpected}${tally.samples.length ? `\n  ${tally.samples.join('\n  ')}` : ''}`,
    `latency         p50 ${q(0.5).toFixed(2)} ms, p99 ${q(0.99).toFixed(2)} ms, max ${q(1).toFixed(1)} ms`,
    `RSS             start-up ${rssStartup.toFixed(1)} MiB, after ${(WARMUP_MS / 1000).toFixed(0)} s warm-up ${rssWarm.toFixed(1)} MiB, end ${rssEnd.toFixed(1)} MiB (${growth >= 0 ? '+' : ''}${growth.toFixed(1)}%, bound +${MAX_RSS_GROWTH}%), max ${rssMax.toFixed(1)} MiB`,
    `mock            ${health?.status === 200 ? 'healthy at the end' : 'NOT healthy at the end'}, exit code ${code} on SIGTERM`,
    `mix             ${[...tally.byKind].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')}`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
  const ok = tally.unexpected === 0 && growth <= MAX_RSS_GROWTH && health?.status === 200 && code === 0;
  process.stdout.write(ok ? 'soak: PASS\n' : 'soak: FAIL\n');
  process.exit(ok ? 0 : 1);
}

main().catch((e: unknown) => {
  process.stderr.write(`soak: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
