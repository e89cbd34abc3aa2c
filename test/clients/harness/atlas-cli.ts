/**
 * Running the Atlas CLI against a World: a throwaway HOME with a profile pointing at the recorder (API key,
 * Digest), telemetry and update checks off, a bounded run time. `expectOk` and `expectAtlasError` turn a run
 * into an assertion whose message quotes the CLI's output and the requests that failed.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { realClients } from './provided.js';
import { failedExchanges, allExchanges } from './explain.js';
import { CLIENT_KEY, IDS, type World } from './world.js';
import type { Exchange } from './recorder.js';

export interface CliRun {
  args: string[];
  code: number | null;
  stdout: string;
  stderr: string;
  /** The exchanges this run made (through the recorder). */
  exchanges: readonly Exchange[];
  /** stdout parsed as JSON (the assertion fails with the output when it is not JSON). */
  json(): any;
}

export interface AtlasCli {
  run(args: string[], options?: { timeoutMs?: number }): Promise<CliRun>;
  /** Writes a file in the CLI's HOME (request bodies for `atlas api … --file`); answers its path. */
  file(name: string, content: unknown): string;
  /** Deletes the HOME. */
  dispose(): void;
}

export function atlasCli(world: World): AtlasCli {
  const home = mkdtempSync(join(tmpdir(), 'atlas-cli-home-'));
  const configDir = join(home, '.config', 'atlascli');
  mkdirSync(configDir, { recursive: true });
  writeFileSync(
    join(configDir, 'config.toml'),
    [
      'skip_update_check = true',
      'telemetry_enabled = false',
      '[default]',
      `  ops_manager_url = "${world.url}/"`,
      `  public_api_key = "${CLIENT_KEY.publicKey}"`,
      `  private_api_key = "${CLIENT_KEY.privateKey}"`,
      `  project_id = "${IDS.group}"`,
      `  org_id = "${IDS.org}"`,
      '  output = "json"',
      '',
    ].join('\n'),
  );
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    MONGODB_ATLAS_TELEMETRY_ENABLE: 'false',
    DO_NOT_TRACK: '1',
    CI: 'true',
  };
  return {
    run(args, { timeoutMs = 60_000 } = {}) {
      const from = world.exchanges().length;
      const child = spawn(realClients().atlasCli, args, { env, cwd: home, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          stderr += `\n[test harness: killed after ${timeoutMs} ms]`;
          child.kill('SIGKILL');
        }, timeoutMs);
        child.once('close', (code) => {
          clearTimeout(timer);
          const exchanges = world.exchanges().slice(from);
          const run: CliRun = {
            args,
            code,
            stdout,
            stderr,
            exchanges,
            json() {
              try {
                return JSON.parse(stdout);
              } catch {
                throw new Error(`\`atlas ${args.join(' ')}\` did not print JSON:\n${describeRun(run)}`);
              }
            },
          };
          resolve(run);
        });
      });
    },
    file(name, content) {
      const path = join(home, name);
      writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
      return path;
    },
    dispose: () => rmSync(home, { recursive: true, force: true }),
  };
}

export function describeRun(run: Pick<CliRun, 'args' | 'code' | 'stdout' | 'stderr' | 'exchanges'>): string {
  return [
    `atlas ${run.args.join(' ')} → exit ${run.code}`,
    `stdout: ${run.stdout.trim() || '(empty)'}`,
    `stderr: ${run.stderr.trim() || '(empty)'}`,
    failedExchanges(run.exchanges),
    'all requests:',
    allExchanges(run.exchanges),
  ].join('\n');
}

/** The run exited 0; answers it. */
export function expectOk(run: CliRun): CliRun {
  expect(run.code, describeRun(run)).toBe(0);
  return run;
}

/**
 * The run failed (non-zero exit) because the mock answered `status` with `errorCode`, and the CLI showed
 * the user Atlas's words: the answer's `detail` and its error code.
 */
export function expectAtlasError(run: CliRun, status: number, errorCode: string): { detail: string } {
  const why = describeRun(run);
  expect(run.code, why).not.toBe(0);
  const answer = [...run.exchanges].reverse().find((x) => x.status === status);
  expect(answer, `no answer ${status} among the run's requests\n${why}`).toBeDefined();
  const body = JSON.parse(answer!.responseBody) as { errorCode: string; detail: string };
  expect(body.errorCode, why).toBe(errorCode);
  const printed = run.stdout + run.stderr;
  expect(printed, `the CLI did not print the Atlas detail "${body.detail}"\n${why}`).toContain(body.detail);
  expect(printed, why).toContain(errorCode);
  return { detail: body.detail };
}

/** A page the client printed, read between two API reads `before` and `after` of the same list. */
export function expectBetween(printed: any, before: any, after: any): void {
  const ids = (page: any) => new Set<string>(page.results.map((s: any) => s.id));
  const seen = ids(printed);
  expect([...ids(before)].filter((id) => !seen.has(id)), 'listed by the API before the client ran, missing from its output').toEqual([]);
  expect([...seen].filter((id) => !ids(after).has(id)), 'in the client’s output, not listed by the API after it ran').toEqual([]);
  expect(printed.totalCount).toBeGreaterThanOrEqual(before.totalCount);
  expect(printed.totalCount).toBeLessThanOrEqual(after.totalCount);
}
