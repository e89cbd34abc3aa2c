/**
 * Running the built CLI (`dist/cli.js`) as a child process on a free loopback port, for end-to-end tests of
 * the command line. `npm test` builds before vitest; a missing build fails loudly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** Extra CLI flags every test server gets (none: test servers authenticate for real). */
export const CLI_AUTH_ARGS: readonly string[] = [];

/** Bearer credentials of the default service account (Project Owner), minted from the server's token endpoint. */
export async function cliAuthHeaders(url: string): Promise<Record<string, string>> {
  const res = await fetch(`${url}/api/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from('mdb_sa_id_6650a0c1f1d2e3a4b5c6d830:mdb_sa_sk_mockmockmockmockmockmockmockmock').toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    },
    body: 'grant_type=client_credentials',
  });
  if (res.status !== 200) throw new Error(`token endpoint of ${url} answered ${res.status}: ${await res.text()}`);
  return { authorization: `Bearer ${((await res.json()) as { access_token: string }).access_token}` };
}

export interface RunningCli {
  url: string;
  child: ChildProcess;
  /** Everything the process printed on stdout so far. */
  stdout(): string;
  /** Everything the process printed on stdout and stderr so far. */
  output(): string;
  /** SIGTERM (or `signal`), then waits for the exit (SIGKILL after 5 s); resolves with the exit code (null if killed). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts `node dist/cli.js --port 0 --host 127.0.0.1 …args` and resolves once it prints where it listens
 * (within `startTimeoutMs`: suites that start many servers side by side on a busy machine give more).
 */
export function startCli(args: readonly string[] = [], env: Record<string, string> = {}, startTimeoutMs = 10_000): Promise<RunningCli> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
  // Export files go to a folder of this server's own, removed when it stops, unless the test names one: the
  // default (<temp>/atlas-export-mock/exports) is shared by every mock of the machine.
  const ownExports = args.includes('--export-dir') || env.ATLAS_MOCK_EXPORT_DIR !== undefined ? undefined : mkdtempSync(join(tmpdir(), 'cli-exports-'));
  const child = spawn(process.execPath, [CLI, '--port', '0', '--host', '127.0.0.1', ...CLI_AUTH_ARGS, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...(ownExports && { ATLAS_MOCK_EXPORT_DIR: ownExports }), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      if (ownExports) rmSync(ownExports, { recursive: true, force: true });
      resolve(code);
    }),
  );
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    }
    return child.exitCode;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the CLI did not report its URL within ${startTimeoutMs / 1000} s\nstdout: ${out}\nstderr: ${err}`));
    }, startTimeoutMs);
    const early = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`the CLI exited with ${code} before listening\nstdout: ${out}\nstderr: ${err}`));
    };
    child.once('exit', early);
    const onData = () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.off('exit', early);
        child.stdout!.off('data', onData);
        resolve({ url: m[1]!, child, stdout: () => out, output: () => out + err, stop });
      }
    };
    child.stdout!.on('data', onData);
  });
}

/** Runs the CLI to completion (for --help, bad arguments, bad fixtures). */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}
