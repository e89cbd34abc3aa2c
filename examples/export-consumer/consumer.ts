/**
 * A small consumer of Atlas snapshot exports, the kind of code that loads an export into a lake or a
 * warehouse: it waits for the export's `.complete` file, checks that every file it announces is there,
 * then reads each collection's `.json.gz` files (gzip of MongoDB Extended JSON, one document a line) with
 * bson's EJSON. It reads a bucket through a small `Bucket` interface: a folder (the mock's default storage)
 * or S3 through the AWS SDK (real S3, or the mock writing to an S3 emulator).
 *
 *   npx tsx examples/export-consumer/consumer.ts <folder-or-s3://bucket> <prefix>
 *   e.g. … s3://my-exports exported_snapshots/<orgId>/<groupId>/Cluster0/2024-05-24T1440/1716561612
 *
 * The prefix is the export job's `prefix` in the Atlas API. Nothing here knows about the mock.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { EJSON, type Document } from 'bson';

/** What the consumer needs of a bucket. */
export interface Bucket {
  /** Keys under a prefix. */
  list(prefix: string): Promise<string[]>;
  /** The object, or undefined when there is none. */
  get(key: string): Promise<Buffer | undefined>;
}

/** A folder holding a bucket's objects (`<folder>/<key>`). */
export function folderBucket(folder: string): Bucket {
  const walk = async (dir: string): Promise<string[]> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    const out: string[] = [];
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDirectory()) out.push(...(await walk(path)));
      else if (e.isFile()) out.push(relative(folder, path).split(sep).join('/'));
    }
    return out;
  };
  return {
    list: async (prefix) => (await walk(folder)).filter((k) => k.startsWith(prefix)),
    get: (key) => readFile(join(folder, ...key.split('/'))).catch(() => undefined),
  };
}

/** An S3 bucket; the client comes from the AWS SDK's standard configuration unless given. */
export async function s3Bucket(name: string, client?: import('@aws-sdk/client-s3').S3Client): Promise<Bucket> {
  const s3 = await import('@aws-sdk/client-s3');
  const c = client ?? new s3.S3Client({});
  return {
    async list(prefix) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await c.send(new s3.ListObjectsV2Command({ Bucket: name, Prefix: prefix, ContinuationToken: token }));
        for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return keys;
    },
    async get(key) {
      try {
        const o = await c.send(new s3.GetObjectCommand({ Bucket: name, Key: key }));
        return Buffer.from(await o.Body!.transformToByteArray());
      } catch (e) {
        if ((e as { name?: string }).name === 'NoSuchKey') return undefined;
        throw e;
      }
    },
  };
}

/** The `.complete` file Atlas writes last (Atlas docs, "Export Cloud Backup Snapshot"). */
export interface CompleteFile {
  orgId: string;
  orgName: string;
  groupId: string;
  groupName: string;
  clusterUniqueId: string;
  clusterName: string;
  snapshotInitiationDate: string;
  totalFiles: number;
  labels: { key: string; value: string }[];
  customData: { key: string; value: string }[];
}

/** Polls for `<prefix>/.complete` until it exists; rejects after `timeoutMs`. */
export async function waitForComplete(bucket: Bucket, prefix: string, opts: { pollMs?: number; timeoutMs?: number } = {}): Promise<CompleteFile> {
  const deadline = Date.now() + (opts.timeoutMs ?? 60 * 60_000);
  for (;;) {
    const body = await bucket.get(`${prefix}/.complete`);
    if (body) return JSON.parse(body.toString('utf8')) as CompleteFile;
    if (Date.now() > deadline) throw new Error(`no ${prefix}/.complete after ${opts.timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 5_000));
  }
}

export interface LoadedExport {
  complete: CompleteFile;
  /** Documents per `db.collection`. */
  collections: Map<string, Document[]>;
}

/**
 * Loads a finished export: every `<db>/<collection>/*.json.gz` under the prefix, parsed with EJSON
 * (canonical: ObjectIds, dates, int64 and decimals come back as their bson types). Refuses an export whose
 * files do not add up to `.complete`'s `totalFiles` (data files and metadata.json files).
 */
export async function loadExport(bucket: Bucket, prefix: string, complete: CompleteFile): Promise<LoadedExport> {
  const keys = (await bucket.list(`${prefix}/`)).filter((k) => !k.endsWith('/.complete')).sort();
  if (keys.length !== complete.totalFiles) throw new Error(`.complete announces ${complete.totalFiles} files, the bucket has ${keys.length}`);
  const collections = new Map<string, Document[]>();
  for (const key of keys) {
    const m = /^([^/]+)\/(.+)\/[^/]+\.\d+\.json\.gz$/.exec(key.slice(prefix.length + 1));
    if (!m) continue;
    const ns = `${m[1]}.${m[2]}`;
    const docs = collections.get(ns) ?? [];
    const text = gunzipSync((await bucket.get(key))!).toString('utf8');
    for (const line of text.split('\n')) if (line) docs.push(EJSON.parse(line, { relaxed: false }) as Document);
    collections.set(ns, docs);
  }
  // Collections without documents have a metadata.json and no data file.
  for (const key of keys) {
    const m = /^([^/]+)\/(.+)\/metadata\.json$/.exec(key.slice(prefix.length + 1));
    if (m && !collections.has(`${m[1]}.${m[2]}`)) collections.set(`${m[1]}.${m[2]}`, []);
  }
  return { complete, collections };
}

async function main(): Promise<void> {
  const [where, prefix] = process.argv.slice(2);
  if (!where || !prefix) throw new Error('usage: consumer.ts <folder-or-s3://bucket> <prefix>');
  const bucket = where.startsWith('s3://') ? await s3Bucket(where.slice('s3://'.length)) : folderBucket(where);
  const complete = await waitForComplete(bucket, prefix);
  const { collections } = await loadExport(bucket, prefix, complete);
  console.log(`${complete.clusterName} of ${complete.groupName}, snapshot of ${complete.snapshotInitiationDate}, custom data ${JSON.stringify(complete.customData)}`);
  for (const [ns, docs] of collections) console.log(`  ${ns}: ${docs.length} documents`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    console.error((e as Error).message);
    process.exit(1);
  });
}
