/**
 * `npm run contract:fetch`: downloads the pinned upstream files of `manifest.json` from their public location
 * (`<baseUrl>/<repo>/<commit>/<path in the repo>`, raw.githubusercontent.com by default), checks each one's
 * sha256, derives the two official subsets from the spec (extract.ts) and puts the whole into the cache that
 * the tests look in (evidence.ts). The cache is built in a temporary folder beside it and moved into place
 * only once complete: a failed fetch leaves the previous cache (or none), never a partial one.
 *
 * `ATLAS_CONTRACT_BASE_URL` (or `--base-url`) replaces raw.githubusercontent.com with a server of the same
 * layout, e.g. a mirror, or the local server the tests start.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CACHE_MARKER, MANIFEST_FILE, REQUIRED_ENTRIES, sha256 } from './evidence.js';
import { deriveSubsets, UPSTREAM_SPEC } from './extract.js';

export interface PinnedFile {
  /** Where it goes in the evidence folder, e.g. `upstream/recorded/export-job-get-200-queued.http`. */
  path: string;
  /** Its path in the repository. */
  from: string;
  sha256: string;
  bytes: number;
}

export interface Manifest {
  baseUrl: string;
  sources: { repo: string; commit: string; files: PinnedFile[] }[];
}

export function readManifest(file = MANIFEST_FILE): Manifest {
  return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
}

/** Every pinned file with the URL it is fetched from under `baseUrl`. */
export function pinnedFiles(manifest: Manifest, baseUrl = manifest.baseUrl): (PinnedFile & { url: string })[] {
  const base = baseUrl.replace(/\/+$/, '');
  return manifest.sources.flatMap((s) =>
    s.files.map((f) => ({ ...f, url: `${base}/${s.repo}/${s.commit}/${f.from.split('/').map(encodeURIComponent).join('/')}` })),
  );
}

export interface FetchOptions {
  cacheDir: string;
  baseUrl?: string;
  manifestFile?: string;
  /** Parallel downloads (default 8). */
  concurrency?: number;
  /** Per request, in ms (default 60 s). */
  timeoutMs?: number;
  log?: (line: string) => void;
}

export interface FetchResult {
  downloaded: number;
  reused: number;
  bytes: number;
}

async function download(url: string, timeoutMs: number): Promise<Buffer> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
      if (res.ok) return Buffer.from(await res.arrayBuffer());
      lastError = new Error(`${url}: HTTP ${res.status}`);
      // A 4xx will not change on retry.
      if (res.status < 500) break;
    } catch (e) {
      lastError = new Error(`${url}: ${(e as Error).message}${(e as { cause?: Error }).cause ? ` (${(e as { cause: Error }).cause.message})` : ''}`);
    }
  }
  throw lastError;
}

/** Fetches, checks and derives the evidence into `cacheDir`. Rejects, leaving `cacheDir` as it was, on any problem. */
export async function fetchEvidence(opts: FetchOptions): Promise<FetchResult> {
  const manifestFile = opts.manifestFile ?? MANIFEST_FILE;
  const manifest = readManifest(manifestFile);
  const files = pinnedFiles(manifest, opts.baseUrl ?? manifest.baseUrl);
  const log = opts.log ?? (() => {});
  const staging = `${opts.cacheDir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const result: FetchResult = { downloaded: 0, reused: 0, bytes: 0 };
  try {
    const queue = [...files];
    const failures: string[] = [];
    const worker = async () => {
      for (let f = queue.shift(); f; f = queue.shift()) {
        // A file already in the cache with the pinned hash is kept rather than downloaded again.
        const cached = join(opts.cacheDir, f.path);
        let data: Buffer | undefined = existsSync(cached) ? readFileSync(cached) : undefined;
        if (data && sha256(data) === f.sha256) result.reused++;
        else {
          try {
            data = await download(f.url, opts.timeoutMs ?? 60_000);
          } catch (e) {
            failures.push(`${f.path}: ${(e as Error).message}`);
            continue;
          }
          const got = sha256(data);
          if (got !== f.sha256) {
            failures.push(`${f.path} (${f.url}): sha256 ${got}, pinned ${f.sha256} (${data.length} bytes, pinned ${f.bytes})`);
            continue;
          }
          result.downloaded++;
        }
        result.bytes += data.length;
        const target = join(staging, f.path);
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, data);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 8) }, worker));
    if (failures.length > 0) throw new Error(`could not fetch ${failures.length} of ${files.length} pinned files:\n  ${failures.join('\n  ')}`);
    log(`${files.length} files checked (${result.downloaded} downloaded, ${result.reused} already in the cache), ${(result.bytes / 1048576).toFixed(1)} MiB`);

    const spec = files.find((f) => f.path === UPSTREAM_SPEC);
    if (!spec) throw new Error(`the manifest pins no ${UPSTREAM_SPEC}`);
    const subsets = deriveSubsets(readFileSync(join(staging, UPSTREAM_SPEC), 'utf8'), spec.sha256);
    for (const [name, text] of Object.entries(subsets)) writeFileSync(join(staging, name), text);
    log(`derived ${Object.keys(subsets).join(', ')} from ${UPSTREAM_SPEC}`);

    const missing = REQUIRED_ENTRIES.filter((e) => !existsSync(join(staging, e)));
    if (missing.length > 0) throw new Error(`the fetched evidence lacks ${missing.join(', ')}`);
    writeFileSync(join(staging, CACHE_MARKER), JSON.stringify({ manifestSha256: sha256(readFileSync(manifestFile)), files: files.length }, null, 2) + '\n');
    rmSync(opts.cacheDir, { recursive: true, force: true });
    mkdirSync(dirname(opts.cacheDir), { recursive: true });
    renameSync(staging, opts.cacheDir);
    return result;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
