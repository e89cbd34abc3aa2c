/**
 * The embedded storage: a folder per bucket, `DIR/<bucketName>/<key>`, created on first use (so `npm start`
 * writes exports with nothing else running). An object appears whole: it is written to
 * `DIR/.atlas-export-mock-tmp/` and renamed into place (atomic on one file system). A mock stopped mid-write
 * (killed) leaves its temporary file there: the first write of the next mock removes those of processes that
 * no longer run (and those named with its own pid, which only a dead process can have used before it).
 *
 * A bucket name that no object store accepts (S3, Azure and GCS rules together: lower-case letters, digits,
 * `.`, `_`, `-`, starting and ending with a letter or digit, 3–63 characters, no `..`) is a bucket that
 * does not exist: the export fails as it would in Atlas, and nothing is written outside `DIR`. A key segment
 * a file system cannot hold as a name (empty, `.`, `..`, or holding `%` or `\`) is stored as `%` and the hex
 * of its bytes, and listed back as it was.
 */
import { mkdir, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { ExportBucket } from '../../store/model.js';
import { StorageError, type ObjectStorage, type StoredObject } from './types.js';

const BUCKET_NAME = /^(?!.*\.\.)[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/;
const TMP = '.atlas-export-mock-tmp';
let counter = 0;

const encodeSegment = (s: string): string => (s === '' || s === '.' || s === '..' || s.includes('%') || s.includes('\\') ? `%${Buffer.from(s).toString('hex')}` : s);
const decodeSegment = (s: string): string => (s.startsWith('%') ? Buffer.from(s.slice(1), 'hex').toString() : s);

/** Whether a process of this pid runs (signal 0 only checks; EPERM: it runs, as another user). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the temporary files left in `tmpDir` by processes that stopped mid-write. */
async function removeStaleTemporaries(tmpDir: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(tmpDir);
  } catch {
    return;
  }
  for (const n of names) {
    const pid = Number(/^(\d+)-\d+$/.exec(n)?.[1]);
    if (!Number.isInteger(pid) || (pid !== process.pid && running(pid))) continue;
    await unlink(join(tmpDir, n)).catch(() => undefined);
  }
}

/** Once per process and folder: a second storage on the same folder must not take the first one's files. */
const cleaned = new Map<string, Promise<void>>();

export function folderStorage(dir: string): ObjectStorage {
  const root = resolve(dir);
  const bucketDir = (bucket: ExportBucket): string => {
    if (!BUCKET_NAME.test(bucket.bucketName)) throw new StorageError('no-bucket', `no bucket can be named ${JSON.stringify(bucket.bucketName)}`);
    return join(root, bucket.bucketName);
  };
  const pathOf = (bucket: ExportBucket, key: string): string => join(bucketDir(bucket), ...key.split('/').map(encodeSegment));
  const fail = (e: unknown, what: string): never => {
    if (e instanceof StorageError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw new StorageError('denied', `${what}: permission denied (${code})`, { cause: e });
    throw new StorageError('unreachable', `${what}: ${(e as Error).message}`, { cause: e });
  };

  return {
    kind: 'folder',
    async put(bucket, key, body) {
      const target = pathOf(bucket, key);
      const tmpDir = join(root, TMP);
      if (!cleaned.has(tmpDir)) cleaned.set(tmpDir, removeStaleTemporaries(tmpDir));
      await cleaned.get(tmpDir);
      const tmp = join(root, TMP, `${process.pid}-${++counter}`);
      try {
        await mkdir(dirname(tmp), { recursive: true });
        await writeFile(tmp, body);
        await mkdir(dirname(target), { recursive: true });
        await rename(tmp, target);
      } catch (e) {
        await unlink(tmp).catch(() => undefined);
        fail(e, `cannot write ${target}`);
      }
    },
    async list(bucket, prefix) {
      const base = bucketDir(bucket);
      // The deepest folder wholly named by the prefix; keys under it are filtered by the whole prefix.
      const segments = prefix.split('/');
      segments.pop();
      const start = join(base, ...segments.map(encodeSegment));
      const out: StoredObject[] = [];
      const walk = async (path: string, keyPrefix: string): Promise<void> => {
        let entries;
        try {
          entries = await readdir(path, { withFileTypes: true });
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return;
          fail(e, `cannot list ${path}`);
          return;
        }
        for (const entry of entries) {
          const key = keyPrefix + decodeSegment(entry.name);
          const full = join(path, entry.name);
          if (entry.isDirectory()) await walk(full, `${key}/`);
          else if (entry.isFile() && key.startsWith(prefix)) out.push({ key, size: (await stat(full)).size });
        }
      };
      await walk(start, segments.length > 0 ? `${segments.join('/')}/` : '');
      return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },
    location(bucket, key) {
      try {
        return pathOf(bucket, key);
      } catch {
        return `${root}${sep}${bucket.bucketName}${sep}${key}`;
      }
    },
  };
}
