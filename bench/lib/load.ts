/**
 * Load generators: wrk (C, when installed) and autocannon (always). Both run as their own processes, pinned
 * to the loader CPUs when pinning is on, so that they never share a CPU with the server under test nor with
 * this orchestrator (autocannon in-process would: it is JavaScript and CPU-heavy). 50 connections, bounded
 * duration, loopback only.
 */
import { execFile, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { pinned, type Placement } from './procs.js';

const execFileP = promisify(execFile);

export type Tool = 'wrk' | 'autocannon';

export interface LoadResult {
  tool: Tool;
  /** Responses per second over the run. */
  rps: number;
  /** Latency percentiles, ms. */
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
}

/** What autocannon sends, besides plain GETs with fixed headers. */
export type LoadMode =
  | { kind: 'plain' }
  /** HTTP Digest as clients do it: per connection, a first request that gets the challenge, then its nonce reused with `nc` increasing. */
  | { kind: 'digest'; user: string; password: string }
  /** A POST that creates a job, then `polls` GETs of the job it returned. */
  | { kind: 'create-poll'; createPath: string; body: string; contentType: string; pollPrefix: string; polls: number };

export interface LoadSpec {
  /** Origin and path. */
  url: string;
  headers: Record<string, string>;
  connections: number;
  durationS: number;
  mode: LoadMode;
}

export function wrkAvailable(): boolean {
  return spawnSync('wrk', ['--version']).error === undefined;
}

export const WRK_INSTALL_HINT = 'wrk is not installed, so only autocannon runs. Install it for the C load generator: `apt-get install -y wrk` (Debian/Ubuntu), `brew install wrk` (macOS), or build https://github.com/wg/wrk.';

function ms(value: string, unit: string): number {
  const n = Number(value);
  return unit === 'us' ? n / 1000 : unit === 's' ? n * 1000 : n;
}

export async function runWrk(spec: LoadSpec, place: Placement): Promise<LoadResult> {
  if (spec.mode.kind !== 'plain') throw new Error(`wrk cannot run the ${spec.mode.kind} load`);
  const args = [`-t${place.loaderCpus}`, `-c${spec.connections}`, `-d${spec.durationS}s`, '--latency'];
  for (const [k, v] of Object.entries(spec.headers)) args.push('-H', `${k}: ${v}`);
  args.push(spec.url);
  const [cmd, argv] = pinned(place.loader, 'wrk', args);
  const { stdout: out } = await execFileP(cmd, argv, { encoding: 'utf8' });
  const total = /(\d+) requests in ([\d.]+)(us|ms|s|m)/.exec(out);
  const lat = (p: string) => {
    const m = new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)`).exec(out);
    return m ? ms(m[1]!, m[2]!) : NaN;
  };
  const errs = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    tool: 'wrk',
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN),
    p50: lat('50'),
    p99: lat('99'),
    requests: Number(total?.[1] ?? NaN),
    non2xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0),
    errors: errs ? errs.slice(1).reduce((a, b) => a + Number(b), 0) : 0,
  };
}

const CHILD = fileURLToPath(new URL('./autocannon-child.ts', import.meta.url));

export async function runAutocannon(spec: LoadSpec, place: Placement): Promise<LoadResult> {
  const [cmd, argv] = pinned(place.loader, process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(spec)]);
  const { stdout } = await execFileP(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as LoadResult;
}

export function runLoad(tool: Tool, spec: LoadSpec, place: Placement): Promise<LoadResult> {
  return tool === 'wrk' ? runWrk(spec, place) : runAutocannon(spec, place);
}
