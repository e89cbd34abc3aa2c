/**
 * Export files from the command line: the flags and their `ATLAS_MOCK_*` variables, the banner line, and
 * the start-up cost — the CLI writes exports by default, yet loads bson only for its first data file and
 * no cloud SDK unless a bucket is stored there.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from '../../src/cli/flags.js';
import { defaultExportDir, parseStorageSpec } from '../../src/export-files/options.js';
import type { ExportFilesView } from '../../src/export-files/writer.js';
import { cliAuthHeaders, startCli } from '../helpers/cli.js';
import { folderReader } from '../helpers/export-files.js';
import { IDS, V2023 } from '../helpers/mock.js';

const tmp = mkdtempSync(join(tmpdir(), 'export-files-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const TRACE = join(import.meta.dirname, 'fixtures', 'trace-requires.cjs');

describe('flags', () => {
  it('map onto exportFiles, flags over variables', () => {
    const c = parseArgs(
      ['--export-dir', '/data/exports', '--export-storage', 'aws=s3,gcp=gcs,bucket:special=azure', '--export-s3-endpoint', 'http://127.0.0.1:5000', '--export-s3-path-style', 'off', '--export-chunk-size', '4096', '--export-documents', '7'],
      { ATLAS_MOCK_EXPORT_DIR: '/ignored', ATLAS_MOCK_EXPORT_GCS_ENDPOINT: 'http://127.0.0.1:4443', ATLAS_MOCK_EXPORT_FILES: 'on' },
    );
    expect(c.app.exportFiles).toEqual({
      enabled: true,
      dir: '/data/exports',
      storage: { providers: { AWS: 's3', GCP: 'gcs' }, buckets: { special: 'azure' } },
      s3: { endpoint: 'http://127.0.0.1:5000', forcePathStyle: false },
      gcs: { endpoint: 'http://127.0.0.1:4443' },
      chunkBytes: 4096,
      documentsPerCollection: 7,
    });
    expect(parseArgs(['--export-files', 'off'], {}).app.exportFiles).toEqual({ enabled: false });
  });

  it('refuse what cannot be used, naming the flag', () => {
    for (const [args, text] of [
      [['--export-storage', 'aws=ftp'], "unknown storage 'ftp'"],
      [['--export-storage', 'mars=s3'], "unknown cloud provider 'mars'"],
      [['--export-storage', 's3'], "'s3' is not PROVIDER=KIND"],
      [['--export-s3-endpoint', 'localhost:5000'], 'needs an http(s) URL'],
      [['--export-chunk-size', '10'], '--export-chunk-size needs an integer'],
      [['--export-files', 'maybe'], '--export-files needs on or off'],
    ] as const) {
      expect(() => parseArgs(args, {}), args.join(' ')).toThrow(UsageError);
      expect(() => parseArgs(args, {})).toThrow(text);
    }
    expect(parseStorageSpec('folder')).toEqual({ providers: {}, buckets: {} });
  });

  it('default to a folder in the temporary directory', () => {
    expect(defaultExportDir()).toBe(join(tmpdir(), 'atlas-export-mock', 'exports'));
  });
});

describe('the CLI', () => {
  it('writes exports by default and says where; loads bson only to write one, and no cloud SDK; cold and cached', async () => {
    // Two starts with one temp folder: the first leaves V8's code cache (src/cli.ts), the second runs from it.
    const cacheTmp = join(tmp, 'cache');
    mkdirSync(cacheTmp);
    for (const run of ['cold', 'cached']) {
      const dir = join(tmp, `default-${run}`);
      const cli = await startCli(['--clock', 'manual', '--export-dir', dir], { NODE_OPTIONS: `--require ${TRACE}`, TMPDIR: cacheTmp });
      const imported = () => new Set([...cli.output().matchAll(/^IMPORT (\S+)$/gm)].map((m) => m[1]!));
      try {
        expect(cli.stdout()).toContain(`export files: ${dir}/<bucketName>/`);
        // Started, nothing to write yet: nothing loaded.
        await fetch(`${cli.url}/__mock/exports/${IDS.jobInProgress}/files`);
        expect(imported(), run).not.toContain('bson');
        const auth = await cliAuthHeaders(cli.url);
        const res = await fetch(`${cli.url}/api/atlas/v2/groups/${IDS.group}/clusters/Cluster0/backup/exports`, {
          method: 'POST',
          headers: { ...auth, accept: V2023, 'content-type': 'application/json' },
          body: JSON.stringify({ snapshotId: IDS.snapshotReady, exportBucketId: IDS.bucket }),
        });
        const job = (await res.json()) as { id: string; prefix: string };
        await fetch(`${cli.url}/__mock/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceBy: 'PT15M' }) });
        const files = (await (await fetch(`${cli.url}/__mock/exports/${job.id}/files`)).json()) as ExportFilesView;
        expect(files, run).toMatchObject({ state: 'Successful', complete: true, written: { collections: 42 } });
        expect((await folderReader(dir).keys('mock-export-bucket', `${job.prefix}/`)).length, run).toBe(42 * 2 + 1);
      } finally {
        expect(await cli.stop()).toBe(0);
      }
      expect(imported(), run).toContain('bson');
      for (const sdk of ['@aws-sdk/client-s3', '@azure/storage-blob', '@google-cloud/storage']) expect(imported(), run).not.toContain(sdk);
    }
  });

  it('with --export-files off, writes nothing and loads neither bson nor an SDK', async () => {
    const cli = await startCli(['--clock', 'manual', '--export-files', 'off', '--export-dir', join(tmp, 'off')], { NODE_OPTIONS: `--require ${TRACE}` });
    try {
      expect(cli.stdout()).toContain('export files: off');
      expect((await fetch(`${cli.url}/__mock/exports/${IDS.jobInProgress}/files`)).status).toBe(404);
    } finally {
      expect(await cli.stop()).toBe(0);
    }
    expect(cli.output()).not.toMatch(/^IMPORT (bson|@aws-sdk|@azure|@google-cloud)/m);
    expect(await folderReader(join(tmp, 'off')).keys('mock-export-bucket', '')).toEqual([]);
  });
});
