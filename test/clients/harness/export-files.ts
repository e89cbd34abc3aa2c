/**
 * What an export a client started left in its bucket, read from the World's export folder as a user's
 * pipeline reads a bucket (docs/export-files.md): `exported_snapshots/.permissioncheck`, then under the job's
 * `prefix` the `.json.gz` data files (gzip, one canonical Extended JSON document a line), a `metadata.json`
 * per collection and `.complete` last, whose `totalFiles` counts the others and whose `customData` is the
 * job's. The control API's listing waits for the writes the mock clock implies, so no sleep is needed.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect } from 'vitest';
import { IDS, type World } from './world.js';

export interface ExportedJob {
  id: string;
  clusterName: string;
  prefix: string;
  customData: { key: string; value: string }[];
}

/** Every file under `dir`, as `/`-separated paths relative to it. */
function filesUnder(dir: string): string[] {
  const walk = (path: string): string[] =>
    readdirSync(path, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(path, e.name)) : [join(path, e.name)]));
  return existsSync(dir) ? walk(dir).map((f) => relative(dir, f).split(sep).join('/')) : [];
}

/** The job ended Successful and its bucket folder holds a complete export of it; answers the data file keys. */
export async function expectExportFiles(world: World, job: ExportedJob, bucketName: string): Promise<string[]> {
  const listed = await world.control.exportFiles.list(job.id);
  expect(listed, JSON.stringify(listed)).toMatchObject({ state: 'Successful', complete: true, prefix: job.prefix, bucket: { name: bucketName, storage: 'folder' } });

  const bucket = join(world.exportDir, bucketName);
  expect(existsSync(join(bucket, 'exported_snapshots', '.permissioncheck')), `${bucket}/exported_snapshots/.permissioncheck`).toBe(true);
  const dir = join(bucket, ...job.prefix.split('/'));
  const files = filesUnder(dir);
  expect(files, dir).toContain('.complete');
  const complete = JSON.parse(readFileSync(join(dir, '.complete'), 'utf8'));
  expect(complete).toMatchObject({ orgId: IDS.org, groupId: IDS.group, clusterName: job.clusterName, customData: job.customData });
  expect(complete.totalFiles, files.join('\n')).toBe(files.length - 1);

  const data = files.filter((f) => f.endsWith('.json.gz'));
  expect(data.length, files.join('\n')).toBeGreaterThan(0);
  expect(files.filter((f) => f.endsWith('/metadata.json')).length).toBeGreaterThan(0);
  const lines = gunzipSync(readFileSync(join(dir, data[0]!))).toString('utf8').split('\n').filter(Boolean);
  expect(lines.length, data[0]).toBeGreaterThan(0);
  for (const line of lines) expect(JSON.parse(line)).toBeTypeOf('object');
  return data;
}
