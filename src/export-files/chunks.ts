/**
 * Lines of Extended JSON cut into `.json.gz` files: a file takes lines until the next one would pass
 * `chunkBytes` of uncompressed text (at least one line each), compressed as it fills. Only the compressed
 * file in progress is held in memory, so an export of any size runs in constant memory (bench: peak RSS of
 * a 1 GB export). Atlas's own cut is not documented: real exports show one file for a 25 MB collection and
 * several for larger ones [I: 16 MiB by default, `--export-chunk-size`].
 */
import { once } from 'node:events';
import type { Gzip } from 'node:zlib';

type Zlib = typeof import('node:zlib');

export interface Chunk {
  /** 0, 1, 2, … within one replica set's part of a collection. */
  increment: number;
  /** The gzip file. */
  body: Buffer;
  documents: number;
  /** Uncompressed bytes. */
  bytes: number;
}

/** Input written to gzip in slices of about this many characters (fewer calls into zlib). */
const SLICE = 64 * 1024;

export async function* gzipChunks(zlib: Zlib, batches: AsyncIterable<readonly string[]>, chunkBytes: number): AsyncGenerator<Chunk> {
  let gz: Gzip | undefined;
  let out: Buffer[] = [];
  let pending = '';
  let bytes = 0;
  let documents = 0;
  let increment = 0;
  let failure: Error | undefined;
  const open = (): Gzip => {
    const g = zlib.createGzip();
    out = [];
    g.on('data', (b: Buffer) => out.push(b));
    g.on('error', (e) => (failure = e));
    return g;
  };
  const flush = async (g: Gzip): Promise<void> => {
    if (pending === '') return;
    const ok = g.write(pending);
    pending = '';
    if (!ok) await once(g, 'drain');
    if (failure) throw failure;
  };
  const close = async (g: Gzip): Promise<Buffer> => {
    await flush(g);
    const ended = once(g, 'end');
    g.end();
    await ended;
    if (failure) throw failure;
    return Buffer.concat(out);
  };
  for await (const batch of batches) {
    for (const line of batch) {
      const size = Buffer.byteLength(line) + 1;
      if (gz && documents > 0 && bytes + size > chunkBytes) {
        const body = await close(gz);
        yield { increment: increment++, body, documents, bytes };
        gz = undefined;
        bytes = 0;
        documents = 0;
      }
      gz ??= open();
      pending += line + '\n';
      bytes += size;
      documents++;
      if (pending.length >= SLICE) await flush(gz);
    }
  }
  if (gz && documents > 0) yield { increment, body: await close(gz), documents, bytes };
}
