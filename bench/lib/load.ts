/** Load generators: autocannon (always) and wrk (when installed). 50 connections, bounded duration, loopback only. */
import { execFileSync, spawnSync } from 'node:child_process';
import autocannon from 'autocannon';

export interface LoadResult {
  tool: 'autocannon' | 'wrk';
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

export interface LoadSpec {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** autocannon only: a sequence of requests per connection (e.g. create then poll). */
  requests?: autocannon.Request[];
  /** autocannon only: per-request header factory (Digest's increasing nc). */
  setupRequest?: (req: autocannon.Request, context: object) => autocannon.Request;
  connections: number;
  durationS: number;
}

export async function runAutocannon(spec: LoadSpec): Promise<LoadResult> {
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.durationS,
    method: spec.method ?? 'GET',
    headers: spec.headers,
    body: spec.body,
    requests: spec.requests ?? (spec.setupRequest ? [{ setupRequest: spec.setupRequest }] : undefined),
  });
  return { tool: 'autocannon', rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors + result.timeouts };
}

export function wrkAvailable(): boolean {
  return spawnSync('wrk', ['--version']).error === undefined;
}

function ms(value: string, unit: string): number {
  const n = Number(value);
  return unit === 'us' ? n / 1000 : unit === 's' ? n * 1000 : n;
}

export function runWrk(spec: LoadSpec): LoadResult {
  const args = ['-t2', `-c${spec.connections}`, `-d${spec.durationS}s`, '--latency'];
  for (const [k, v] of Object.entries(spec.headers ?? {})) args.push('-H', `${k}: ${v}`);
  args.push(spec.url);
  const out = execFileSync('wrk', args, { encoding: 'utf8' });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN);
  const lat = (p: string) => {
    const m = new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)`).exec(out);
    return m ? ms(m[1]!, m[2]!) : NaN;
  };
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const errs = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return { tool: 'wrk', rps, p50: lat('50'), p99: lat('99'), non2xx, errors: errs ? errs.slice(1).reduce((a, b) => a + Number(b), 0) : 0 };
}
