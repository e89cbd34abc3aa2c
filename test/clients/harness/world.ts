/**
 * One mock per test, as a user runs it: the built CLI (`dist/cli.js`) on a free loopback port, behind the
 * recording proxy (recorder.ts), with a system clock that runs SPEED times faster than real time. The
 * clients poll on real-time intervals they hard-code (the Atlas CLI every 4 s, the provider after fixed
 * delays of 1 to 3 min), so a fast clock keeps their waits realistic — an export of 14.5 mock minutes takes
 * ~9 s — without changing what they see.
 *
 * The mock writes export files by default (docs/export-files.md): each World gives its mock a folder of its
 * own (`--export-dir`), removed on stop, so that the mocks running side by side never write into one
 * another's buckets (nor into the machine-wide default folder) and a test can read what an export wrote.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JournalEntry } from '../../../src/control/journal.js';
import { connectAtlasMock, type MockControl } from '../../../src/testing/client.js';
import { cliAuthHeaders, startCli, type RunningCli } from '../../helpers/cli.js';
import { IDS } from '../../helpers/ids.js';
import { startRecorder, type Exchange, type Recorder } from './recorder.js';

export { IDS };

/** Mock minutes per real minute. */
export const SPEED = 100;
/**
 * Mock time at start: a few minutes after the default dataset's snapshots were taken (2024-05-24 14:09–14:40
 * UTC), so they are within their retention and exportable, as a user of the dataset would find them.
 */
export const START_TIME = '2024-05-24T15:00:00Z';

/** The API key the clients use (Project Owner of the dataset's first project): the journal's `principal`. */
export const CLIENT_KEY = { publicKey: 'mockownr', privateKey: '11111111-2222-4333-8444-555555555555' } as const;

export const MEDIA = (version: string) => `application/vnd.atlas.${version}+json`;

export interface ApiAnswer {
  status: number;
  body: any;
  text: string;
}

export interface World {
  /** The URL the clients are pointed at (the recorder), no trailing slash. */
  url: string;
  /** The mock itself. */
  mockUrl: string;
  /** The mock's `--export-dir`: a folder bucket's objects are at `<exportDir>/<bucketName>/<key>`. */
  exportDir: string;
  control: MockControl;
  exchanges(): readonly Exchange[];
  /** Journal entries of the clients' requests (their API key), 401 challenges left out. */
  clientRequests(): Promise<JournalEntry[]>;
  /** A call of the Admin API made by the test itself (service account, straight to the mock). */
  api(method: string, path: string, options?: { version?: string; body?: unknown }): Promise<ApiAnswer>;
  stop(): Promise<void>;
}

export async function startWorld(extraArgs: readonly string[] = []): Promise<World> {
  const exportDir = mkdtempSync(join(tmpdir(), 'atlas-clients-exports-'));
  const removeExportDir = () => rmSync(exportDir, { recursive: true, force: true });
  let mock: RunningCli;
  try {
    mock = await startCli(
      ['--clock', 'system', '--speed', String(SPEED), '--start-time', START_TIME, '--journal-size', '20000', '--log-level', 'warn', '--export-dir', exportDir, ...extraArgs],
      {},
      60_000,
    );
  } catch (e) {
    removeExportDir();
    throw e;
  }
  let recorder: Recorder;
  try {
    recorder = await startRecorder(mock.url);
  } catch (e) {
    await mock.stop();
    removeExportDir();
    throw e;
  }
  const control = connectAtlasMock(mock.url);
  let auth: Record<string, string> | undefined;
  return {
    url: recorder.url,
    mockUrl: mock.url,
    exportDir,
    control,
    exchanges: () => recorder.exchanges(),
    clientRequests: async () => (await control.journal.list()).filter((e) => e.principal === CLIENT_KEY.publicKey),
    async api(method, path, { version = '2023-01-01', body } = {}) {
      auth ??= await cliAuthHeaders(mock.url);
      const res = await fetch(`${mock.url}/api/atlas/v2${path}`, {
        method,
        headers: { ...auth, accept: MEDIA(version), ...(body !== undefined && { 'content-type': MEDIA(version) }) },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: res.status, body: parsed, text };
    },
    async stop() {
      await recorder.close();
      await mock.stop();
      removeExportDir();
    },
  };
}
