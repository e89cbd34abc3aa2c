/**
 * The documents of a collection in its exports, as lines of canonical Extended JSON (bson's `EJSON`, the
 * format real exports hold: `{"$numberInt": "5"}`, `{"$oid": …}`, one document a line):
 * - generated: `documents` of a `shape` (shapes.ts), from a generator forked off the mock's seed for the
 *   cluster, collection and replica set — the same seed writes the same bytes;
 * - a file: Extended JSON, one document a line (JSON Lines; read as a stream) or one array (read whole).
 * A sharded cluster's collection is spread over its shards, document i on shard i mod n [I].
 */
import { closeSync, createReadStream, openSync, readFileSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { forkRandom } from '../core/random.js';
import type { Cluster, CollectionData, DocumentShape } from '../store/model.js';
import { databasesOf } from '../store/namespaces.js';
import { documentMaker, shapeForName } from './shapes.js';

type Bson = typeof import('bson');

export interface CollectionSpec {
  db: string;
  collection: string;
  /** What the fixture said (null: generated with the defaults). */
  data: CollectionData | null;
}

/** Every collection of the cluster in export order (the order of `namespacesOf`), with its data. */
export function collectionSpecs(cluster: Cluster): CollectionSpec[] {
  return databasesOf(cluster).flatMap((d) => d.collections.map((collection, i) => ({ db: d.name, collection, data: d.data?.[i] ?? null })));
}

/** A documents file the mock cannot use: the export fails with this message. */
export class DocumentsError extends Error {
  override name = 'DocumentsError';
}

export interface LineOptions {
  seed: number;
  clusterId: string;
  /** Generated documents when the spec gives no count. */
  defaultDocuments: number;
  shardIndex: number;
  shardCount: number;
}

/** How many of `total` documents shard `s` of `n` holds (document i on shard i mod n). */
export const shardShare = (total: number, s: number, n: number): number => (total > s ? Math.floor((total - 1 - s) / n) + 1 : 0);

/** Lines handed on at once: one step of the pipeline per batch rather than per document (CPU, garbage). */
export const BATCH = 256;

/** The Extended JSON lines (without newline) of one replica set's part of a collection, in batches. */
export function documentLines(bson: Bson, spec: CollectionSpec, o: LineOptions): AsyncIterable<string[]> {
  if (spec.data?.file !== undefined) return fileLines(bson, resolve(spec.data.file), o);
  return generatedLines(bson, spec, o);
}

async function* generatedLines(bson: Bson, spec: CollectionSpec, o: LineOptions): AsyncGenerator<string[]> {
  const total = spec.data?.documents ?? o.defaultDocuments;
  const shape: DocumentShape = spec.data?.shape ?? shapeForName(spec.collection);
  const r = forkRandom(o.seed, `export-documents/${o.clusterId}/${spec.db}.${spec.collection}/${o.shardIndex}`);
  const make = documentMaker(bson, shape, r);
  const { EJSON } = bson;
  const count = shardShare(total, o.shardIndex, o.shardCount);
  for (let j = 0; j < count; ) {
    const batch: string[] = [];
    for (const end = Math.min(count, j + BATCH); j < end; j++) batch.push(EJSON.stringify(make(j * o.shardCount + o.shardIndex), { relaxed: false }));
    yield batch;
  }
}

async function* fileLines(bson: Bson, file: string, o: LineOptions): AsyncGenerator<string[]> {
  const { EJSON } = bson;
  const canonical = (value: unknown, where: string): string => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new DocumentsError(`${where}: a document must be a JSON object`);
    return EJSON.stringify(value as Record<string, unknown>, { relaxed: false });
  };
  const parse = (text: string, where: string): unknown => {
    try {
      return EJSON.parse(text, { relaxed: false });
    } catch (e) {
      throw new DocumentsError(`${where}: not Extended JSON (${(e as Error).message})`);
    }
  };
  let first: string;
  try {
    const head = Buffer.alloc(256);
    const fd = openSync(file, 'r');
    let n: number;
    try {
      n = readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
    first = head.subarray(0, n).toString('utf8').trimStart().charAt(0);
  } catch (e) {
    throw new DocumentsError(`cannot read ${file} (${(e as Error).message})`);
  }
  if (first === '[') {
    // One array: read whole (JSON Lines files stream; an array cannot be split without parsing it all).
    const docs = parse(readFileSync(file, 'utf8'), file);
    if (!Array.isArray(docs)) throw new DocumentsError(`${file}: not an array of documents`);
    let batch: string[] = [];
    for (let k = o.shardIndex; k < docs.length; k += o.shardCount) {
      batch.push(canonical(docs[k], `${file} [${k}]`));
      if (batch.length >= BATCH) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
    return;
  }
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let k = 0;
  let lineNo = 0;
  let batch: string[] = [];
  try {
    for await (const line of lines) {
      lineNo++;
      if (line.trim() === '') continue;
      if (k++ % o.shardCount !== o.shardIndex) continue;
      batch.push(canonical(parse(line, `${file}:${lineNo}`), `${file}:${lineNo}`));
      if (batch.length >= BATCH) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  } catch (e) {
    if (e instanceof DocumentsError) throw e;
    throw new DocumentsError(`cannot read ${file} (${(e as Error).message})`);
  } finally {
    lines.close();
  }
}
