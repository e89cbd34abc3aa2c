/**
 * The real engine for the shared-mock suite (`npm run test:redis`): a `redis-server` of this machine on a
 * free loopback port (no persistence unless asked), and mock replicas (`dist/cli.js --store redis://…`) on
 * it. A missing redis-server fails the suite with what to install; it is never skipped.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pinned } from '../../bench/lib/procs.js';
import { startCli, type RunningCli } from '../helpers/cli.js';

export const REDIS_SERVER = process.env.REDIS_SERVER ?? 'redis-server';

export function requireRedisServer(): string {
  const r = spawnSync(REDIS_SERVER, ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(
      `redis-server is not installed (or REDIS_SERVER does not name it): the shared-mock suite needs the real engine.\n` +
        '  Debian/Ubuntu: apt-get install redis-server (.ci/run does it); macOS: brew install redis. Then npm run test:redis.',
    );
  }
  return r.stdout.trim();
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function pingOnce(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = new Socket();
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(500, () => done(false));
    sock.once('error', () => done(false));
    sock.connect(port, '127.0.0.1', () => sock.write('PING\r\n'));
    sock.once('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

export interface RedisServer {
  port: number;
  url: string;
  dir: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts redis-server (AOF with fsync always when `aof`; in `dir`, a new temporary folder by default), on the
 * CPUs `cpus` when given (`taskset -c`, which execs it: the child's pid is redis-server's).
 */
export async function startRedis(opts: { port?: number; aof?: boolean; dir?: string; cpus?: string } = {}): Promise<RedisServer> {
  requireRedisServer();
  const port = opts.port ?? (await freePort());
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'atlas-mock-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir, '--appendonly', opts.aof ? 'yes' : 'no', '--appendfsync', 'always', '--protected-mode', 'yes'];
  const [command, argv] = pinned(opts.cpus, REDIS_SERVER, args);
  const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  for (let i = 0; i < 100; i++) {
    if (await pingOnce(port)) {
      return {
        port,
        url: `redis://127.0.0.1:${port}/0`,
        dir,
        child,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      };
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not answer on port ${port}:\n${log}`);
}

export const SA = { id: 'mdb_sa_id_6650a0c1f1d2e3a4b5c6d830', secret: 'mdb_sa_sk_mockmockmockmockmockmockmockmock' };
export const SA_OTHER = { id: 'mdb_sa_id_6650a0c1f1d2e3a4b5c6d831', secret: 'mdb_sa_sk_othrothrothrothrothrothrothrothr' };
export const KEY = { user: 'mockownr', password: '11111111-2222-4333-8444-555555555555' };

/**
 * One export folder per world, removed when the suite's process ends: the replicas of a world share their
 * options (`--export-dir` is one of them), and `startCli` would give each server a folder of its own.
 */
const exportDirs = new Map<string, string>();
process.once('exit', () => {
  for (const dir of exportDirs.values()) rmSync(dir, { recursive: true, force: true });
});

/** Starts `n` replicas of one world (manual clock unless the args say otherwise). */
export async function startReplicas(n: number, redisUrl: string, prefix: string, args: readonly string[] = []): Promise<RunningCli[]> {
  const out: RunningCli[] = [];
  let dir = exportDirs.get(prefix);
  if (!args.includes('--export-dir') && dir === undefined) exportDirs.set(prefix, (dir = mkdtempSync(join(tmpdir(), 'redis-world-exports-'))));
  const exports = args.includes('--export-dir') ? [] : ['--export-dir', dir!];
  // One after the other: the first creates the world, the others join it.
  try {
    for (let i = 0; i < n; i++) out.push(await startCli(['--store', redisUrl, '--store-prefix', prefix, '--clock', 'manual', '--log-level', 'warn', ...exports, ...args]));
  } catch (e) {
    // A replica that did not start leaves none running (the suite's afterAll never saw them).
    await Promise.all(out.map((r) => r.stop()));
    throw e;
  }
  return out;
}

export async function token(url: string, account = SA): Promise<string> {
  const res = await fetch(`${url}/api/oauth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${account.id}:${account.secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  if (res.status !== 200) throw new Error(`token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** Sends one command to Redis (RESP) and resolves with the raw reply. */
export function redisCommand(port: number, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = new Socket();
    let reply = '';
    sock.setTimeout(2000, () => {
      sock.destroy();
      reject(new Error('no reply from Redis'));
    });
    sock.once('error', reject);
    sock.connect(port, '127.0.0.1', () => sock.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`));
    sock.on('data', (d) => {
      reply += d.toString();
      if (reply.endsWith('\r\n')) {
        sock.destroy();
        resolve(reply);
      }
    });
  });
}
