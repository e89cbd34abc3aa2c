/**
 * Reading and writing the `--state-file`:
 * - writes are atomic: the whole document goes to a temporary file in the same directory, is fsynced, renamed
 *   over the state file (atomic on POSIX file systems), and the directory is fsynced so the rename itself
 *   survives a crash. A `kill -9` or a power cut leaves either the previous file or the new one, never a
 *   torn one;
 * - reads validate the whole document (schema.ts); anything else — not JSON, truncated, another format or
 *   version, a bad reference — is refused with a StateFileError naming the file and the problem, and the
 *   file is left untouched (the caller does not start, so nothing overwrites it).
 */
// `fs.promises` rather than `node:fs/promises`: in the CLI bundle it is read at the first write, so a start
// without --state-file does not load it (start-up: it brings readline with it, ~1 ms).
import { existsSync, promises as fsp, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { zodProblems } from '../fixtures/load.js';
import { STATE_FORMAT, STATE_VERSION, stateSchemas, type StateFile } from './schema.js';

export class StateFileError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(
      `the state file ${file} cannot be used: ${problem}\n` +
        '  It is left as it is. Move it away (or fix it) to start from the fixtures, or point --state-file elsewhere.',
    );
    this.name = 'StateFileError';
  }
}

/** The saved state, or undefined when there is no file yet. Throws StateFileError for anything unusable. */
export function readStateFile(file: string): StateFile | undefined {
  if (!existsSync(file)) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new StateFileError(file, `cannot read it (${(e as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new StateFileError(file, `not valid JSON, truncated or corrupt (${(e as Error).message}; ${text.length} bytes)`);
  }
  const head = value as { format?: unknown; version?: unknown } | null;
  if (head === null || typeof head !== 'object' || head.format !== STATE_FORMAT) throw new StateFileError(file, `not a state file of atlas-export-mock (format is not "${STATE_FORMAT}")`);
  if (head.version !== STATE_VERSION) throw new StateFileError(file, `format version ${String(head.version)}; this atlas-export-mock reads version ${STATE_VERSION}`);
  const result = stateSchemas().stateFileSchema.safeParse(value);
  if (!result.success) {
    const problems = zodProblems(result.error);
    throw new StateFileError(file, `invalid content: ${problems.slice(0, 5).map((p) => `${p.path}: ${p.message}`).join('; ')}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}`);
  }
  return result.data;
}

const TMP_MARK = '.tmp-';
let tmpCounter = 0;

/** Temporary files a killed process left next to the state file (ours only: `<name>.tmp-<pid>-<n>`). */
export function removeStaleTemporaries(file: string): void {
  const dir = dirname(file);
  const prefix = basename(file) + TMP_MARK;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) {
    if (n.startsWith(prefix) && /^\d+-\d+$/.test(n.slice(prefix.length))) {
      try {
        unlinkSync(join(dir, n));
      } catch {
        // Another process's, or gone already.
      }
    }
  }
}

/** Writes `text` to `file` atomically (temporary file, fsync, rename, fsync of the directory). */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}${TMP_MARK}${process.pid}-${++tmpCounter}`;
  let handle;
  try {
    handle = await fsp.open(tmp, 'w', 0o600);
    await handle.writeFile(text, 'utf8');
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fsp.rename(tmp, file);
  } catch (e) {
    await handle?.close().catch(() => undefined);
    await fsp.unlink(tmp).catch(() => undefined);
    throw e;
  }
  // The rename is durable once the directory is (POSIX); some platforms cannot open a directory: best effort.
  try {
    const dir = await fsp.open(dirname(file), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  } catch {
    // e.g. Windows: the rename is as durable as the platform makes it.
  }
}
