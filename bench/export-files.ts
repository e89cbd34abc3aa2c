/**
 * Scenario `export-files` of `npm run bench`: how fast the mock writes export files, and in how much
 * memory. The built CLI with a manual clock and a fixture cluster whose collections hold many generated
 * documents; one export job, then one clock move past its end — the control API answers once every file
 * is written, so the move's wall time is the export's. Reported: documents/s, MB/s of gzip written and of
 * Extended JSON made, files, and the process's peak RSS (VmHWM).
 *   1. throughput to the folder storage (1 000 000 documents in 4 collections);
 *   2. the same to S3 in moto (needs moto: `bash scripts/ci/storage.sh` installs it; else not measured);
 *   3. a 1 GiB export (uncompressed Extended JSON, one collection) to the folder: peak RSS, goal < 150 MiB.
 */
import { cpSync, createReadStream, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { startMoto, type Emulator } from '../test/storage/emulators.js';
import { send } from './lib/http.js';
import { startServer, type Server } from './lib/procs.js';

const GROUP = '6650a0c1f1d2e3a4b5c6d7e1';
const CLUSTER = 'BenchFiles';
const SNAPSHOT = '6650a0c1f1d2e3a4b5c6db03';
const FOLDER_BUCKET = '6650a0c1f1d2e3a4b5c6db10';
const S3_BUCKET = '6650a0c1f1d2e3a4b5c6db11';
const SA = { id: 'mdb_sa_id_6650a0c1f1d2e3a4b5c6d830', secret: 'mdb_sa_sk_mockmockmockmockmockmockmockmock' };
/** Extended JSON of the `generic` shape: about this many bytes a document (measured by run 1, this is the first guess). */
const GUESS_BYTES_PER_DOC = 260;

export interface ExportFilesRow {
  label: string;
  storage: string;
  documents: number;
  files: number;
  seconds: number;
  gzMiB: number;
  /** Uncompressed Extended JSON (folder runs only: read back from the files). */
  rawMiB?: number;
  peakRssMiB: number;
}

interface Ctx {
  cli: string;
  root: string;
  env: Record<string, string>;
  cpus: string | undefined;
  log(line: string): void;
}

function fixtures(root: string, dir: string, collections: { name: string; documents: number }[]): void {
  cpSync(join(root, 'fixtures', 'default'), dir, { recursive: true });
  writeFileSync(
    join(dir, 'zz-bench-export-files.json'),
    JSON.stringify({
      clusters: [{ id: '6650a0c1f1d2e3a4b5c6db01', groupId: GROUP, name: CLUSTER, databases: [{ name: 'bench', collections: collections.map((c) => ({ ...c, shape: 'generic' })) }] }],
      snapshots: [{ id: SNAPSHOT, groupId: GROUP, clusterName: CLUSTER, createdAt: '2024-05-24T14:40:12Z', status: 'completed' }],
      exportBuckets: [
        { id: FOLDER_BUCKET, groupId: GROUP, cloudProvider: 'AWS', bucketName: 'bench-folder', iamRoleId: '6650a0c1f1d2e3a4b5c6d811' },
        { id: S3_BUCKET, groupId: GROUP, cloudProvider: 'AWS', bucketName: 'bench-s3', iamRoleId: '6650a0c1f1d2e3a4b5c6d811' },
      ],
    }),
  );
}

async function token(url: string): Promise<string> {
  const res = await send('POST', `${url}/api/oauth/token`, { authorization: `Basic ${Buffer.from(`${SA.id}:${SA.secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' }, 'grant_type=client_credentials');
  return (JSON.parse(res.body.toString()) as { access_token: string }).access_token;
}

function peakRssMiB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Bytes of the gunzipped files under a folder. */
async function rawBytes(dir: string): Promise<number> {
  let total = 0;
  for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (!f.endsWith('.json.gz')) continue;
    await new Promise<void>((resolve, reject) =>
      createReadStream(join(dir, f))
        .pipe(createGunzip())
        .on('data', (b: Buffer) => (total += b.length))
        .on('end', resolve)
        .on('error', reject),
    );
  }
  return total;
}

/** One export of the cluster to a bucket, timed from the clock move to its answer. */
async function runOne(ctx: Ctx, label: string, storage: string, bucketId: string, collections: { name: string; documents: number }[], extraArgs: string[], env: Record<string, string> = {}): Promise<ExportFilesRow> {
  const work = mkdtempSync(join(tmpdir(), 'bench-export-files-'));
  let server: Server | undefined;
  try {
    fixtures(ctx.root, join(work, 'fixtures'), collections);
    const exportDir = join(work, 'exports');
    server = await startServer(process.execPath, [ctx.cli, '--port', '0', '--clock', 'manual', '--fixtures', join(work, 'fixtures'), '--export-dir', exportDir, ...extraArgs], { env: { ...ctx.env, ...env }, ...(ctx.cpus !== undefined && { cpus: ctx.cpus }) });
    const auth = { authorization: `Bearer ${await token(server.url)}`, accept: 'application/vnd.atlas.2023-01-01+json', 'content-type': 'application/json' };
    const created = await send('POST', `${server.url}/api/atlas/v2/groups/${GROUP}/clusters/${CLUSTER}/backup/exports`, auth, JSON.stringify({ snapshotId: SNAPSHOT, exportBucketId: bucketId }));
    if (created.status !== 200) throw new Error(`create answered ${created.status}: ${created.body.toString()}`);
    const job = JSON.parse(created.body.toString()) as { id: string; prefix: string };
    // Let the start-up writes (the default dataset's pinned job) and the job's .permissioncheck go first.
    await send('GET', `${server.url}/__mock/exports/${job.id}/files`);
    const t0 = performance.now();
    const moved = await send('POST', `${server.url}/__mock/clock`, { 'content-type': 'application/json' }, JSON.stringify({ advanceBy: 'PT15M' }));
    const seconds = (performance.now() - t0) / 1000;
    if (moved.status !== 200) throw new Error(`clock move answered ${moved.status}`);
    const files = JSON.parse((await send('GET', `${server.url}/__mock/exports/${job.id}/files`)).body.toString()) as { state: string; files: { key: string; size: number }[] };
    if (files.state !== 'Successful') throw new Error(`the export ended ${files.state}`);
    const data = files.files.filter((f) => f.key.endsWith('.json.gz'));
    const documents = collections.reduce((n, c) => n + c.documents, 0);
    const row: ExportFilesRow = { label, storage, documents, files: data.length, seconds, gzMiB: data.reduce((n, f) => n + f.size, 0) / 2 ** 20, peakRssMiB: peakRssMiB(server.child.pid!) };
    if (storage === 'folder') row.rawMiB = (await rawBytes(join(exportDir, 'bench-folder', job.prefix))) / 2 ** 20;
    ctx.log(`export-files: ${label}: ${documents} documents, ${row.files} files in ${seconds.toFixed(1)} s, ${row.gzMiB.toFixed(1)} MiB gzip${row.rawMiB !== undefined ? ` (${row.rawMiB.toFixed(0)} MiB Extended JSON)` : ''}, peak RSS ${row.peakRssMiB.toFixed(1)} MiB`);
    return row;
  } finally {
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

export async function runExportFiles(ctx: Ctx): Promise<{ rows: ExportFilesRow[]; notes: string[] }> {
  const rows: ExportFilesRow[] = [];
  const notes: string[] = [];
  const four = Array.from({ length: 4 }, (_, i) => ({ name: `c${i}`, documents: 250_000 }));
  const folder = await runOne(ctx, 'throughput, folder', 'folder', FOLDER_BUCKET, four, []);
  rows.push(folder);

  let moto: Emulator | undefined;
  try {
    moto = await startMoto();
  } catch (e) {
    notes.push(`S3 not measured: ${(e as Error).message.split('\n')[0]}`);
  }
  if (moto) {
    try {
      const aws = { AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_EC2_METADATA_DISABLED: 'true' };
      const s3 = new S3Client({ region: 'us-east-1', endpoint: moto.url, forcePathStyle: true, credentials: { accessKeyId: aws.AWS_ACCESS_KEY_ID, secretAccessKey: aws.AWS_SECRET_ACCESS_KEY } });
      await s3.send(new CreateBucketCommand({ Bucket: 'bench-s3' }));
      s3.destroy();
      rows.push(await runOne(ctx, 'throughput, S3 (moto)', 's3 (moto)', S3_BUCKET, four, ['--export-storage', 'bucket:bench-s3=s3', '--export-s3-endpoint', moto.url], aws));
    } finally {
      await moto.stop();
    }
  }

  const perDoc = folder.rawMiB !== undefined ? (folder.rawMiB * 2 ** 20) / folder.documents : GUESS_BYTES_PER_DOC;
  const big = Math.ceil(2 ** 30 / perDoc);
  rows.push(await runOne(ctx, '1 GiB export, folder', 'folder', FOLDER_BUCKET, [{ name: 'big', documents: big }], []));
  return { rows, notes };
}

/** The scenario's section of bench/RESULTS.md. */
export function exportFilesSection(rows: ExportFilesRow[], notes: string[]): string {
  if (rows.length === 0) return '';
  const fmt = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  const lines = [
    '',
    '## Export files',
    '',
    'One export job written by one clock move (the control API answers once every file is written); Extended JSON of the `generic` shape, 16 MiB files.',
    '',
    '| run | storage | documents | files | seconds | documents/s | MB/s gzip | MB/s Extended JSON | peak RSS MiB |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.label} | ${r.storage} | ${fmt(r.documents)} | ${r.files} | ${fmt(r.seconds, 1)} | ${fmt(r.documents / r.seconds)} | ${fmt((r.gzMiB * 1.048576) / r.seconds, 1)} | ${r.rawMiB !== undefined ? fmt((r.rawMiB * 1.048576) / r.seconds, 1) : '–'} | ${fmt(r.peakRssMiB, 1)} |`),
  ];
  const gib = rows.find((r) => r.label.startsWith('1 GiB'));
  if (gib) lines.push('', `Peak RSS of a 1 GiB export: ${fmt(gib.peakRssMiB, 1)} MiB (goal < 150 MiB: ${gib.peakRssMiB < 150 ? 'met' : 'NOT met'}).`);
  for (const n of notes) lines.push('', n);
  return lines.join('\n') + '\n';
}
