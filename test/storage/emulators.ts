/**
 * The storage emulators of the storage suite, each started by the tests on a free loopback port and killed
 * afterwards: moto's S3 server (PyPI, pinned; `MOTO_SERVER` or `.venv-storage/bin/moto_server`), Azurite's
 * Blob service (npm, pinned devDependency) and fake-gcs-server (built from the Go module proxy, pinned;
 * `FAKE_GCS_SERVER` or `.cache/storage/bin/fake-gcs-server`). `scripts/ci/storage.sh` installs the first
 * and the last. An emulator that is missing or does not start fails the suite with what to do, never skips it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll } from 'vitest';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export interface Emulator {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** A port nobody listens on right now (loopback). */
export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => done(port));
    });
  });
}

function binary(env: string, fallback: string, install: string): string {
  const path = process.env[env] ?? join(ROOT, fallback);
  if (!existsSync(path)) throw new Error(`${path} is missing: ${install} (or set ${env}). The storage suite needs it; it does not skip.`);
  return path;
}

/** Starts `cmd`, waits until `ready()` answers (up to 30 s), kills it on `stop()`. */
async function launch(name: string, cmd: string, args: string[], port: number, ready: (url: string) => Promise<boolean>, cleanup?: () => void): Promise<Emulator> {
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (b: Buffer) => (output = (output + b.toString()).slice(-4000)));
  child.stderr?.on('data', (b: Buffer) => (output = (output + b.toString()).slice(-4000)));
  let exited: string | undefined;
  child.on('exit', (code, signal) => (exited = `exited with ${code ?? signal}`));
  child.on('error', (e) => (exited = e.message));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 3000);
      await gone;
      clearTimeout(t);
    }
    cleanup?.();
  };
  for (let i = 0; i < 300; i++) {
    if (exited) break;
    if (await ready(url).catch(() => false)) return { url, port, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`${name} did not start on ${url} (${exited ?? 'no answer in 30 s'}):\n${output}`);
}

const answers = async (url: string): Promise<boolean> => {
  const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
  await res.arrayBuffer();
  return res.status < 500;
};

export async function startMoto(): Promise<Emulator> {
  const cmd = binary('MOTO_SERVER', '.venv-storage/bin/moto_server', 'run `bash scripts/ci/storage.sh` (installs moto[server] from PyPI into .venv-storage)');
  const port = await freePort();
  return launch('moto', cmd, ['-H', '127.0.0.1', '-p', String(port)], port, (url) => answers(`${url}/moto-api/`));
}

export async function startAzurite(): Promise<Emulator> {
  const cmd = binary('AZURITE_BLOB', 'node_modules/.bin/azurite-blob', 'run `npm ci` (azurite is a devDependency)');
  const port = await freePort();
  // Its database and blob files go to a folder of its own, removed afterwards.
  const location = mkdtempSync(join(tmpdir(), 'azurite-'));
  return launch(
    'Azurite',
    cmd,
    ['--blobHost', '127.0.0.1', '--blobPort', String(port), '--location', location, '--silent', '--skipApiVersionCheck', '--loose'],
    port,
    // Any answer of the Blob service (400 for a bare GET) means it listens.
    (url) => answers(`${url}/devstoreaccount1?comp=list`),
    () => rmSync(location, { recursive: true, force: true }),
  );
}

export async function startFakeGcs(): Promise<Emulator> {
  const cmd = binary('FAKE_GCS_SERVER', '.cache/storage/bin/fake-gcs-server', 'run `bash scripts/ci/storage.sh` (builds fake-gcs-server from the Go module proxy)');
  const port = await freePort();
  return launch('fake-gcs-server', cmd, ['-scheme', 'http', '-host', '127.0.0.1', '-port', String(port), '-backend', 'memory', '-public-host', `127.0.0.1:${port}`, '-log-level', 'error'], port, (url) =>
    answers(`${url}/storage/v1/b`),
  );
}

/** Azurite's well-known development account (its documentation), on the given Blob endpoint. */
export const azuriteConnectionString = (url: string): string =>
  `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=${url}/devstoreaccount1;`;

/**
 * moto for one test file, started before its tests with `buckets` created and stopped after, and the AWS
 * SDK's environment credentials set (the mock in the test process finds them through the standard chain).
 */
export function useMoto(...buckets: string[]): { readonly url: string; readonly s3: S3Client } {
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  let moto: Emulator | undefined;
  let s3: S3Client | undefined;
  beforeAll(async () => {
    moto = await startMoto();
    s3 = new S3Client({ region: 'us-east-1', endpoint: moto.url, forcePathStyle: true });
    for (const b of buckets) await s3.send(new CreateBucketCommand({ Bucket: b }));
  });
  afterAll(async () => {
    s3?.destroy();
    await moto?.stop();
  });
  return {
    get url() {
      return moto!.url;
    },
    get s3() {
      return s3!;
    },
  };
}
