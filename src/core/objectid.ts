/**
 * MongoDB ObjectIds: 4 bytes of seconds since the epoch, 5 random bytes, a 3-byte counter. Atlas ids are
 * ObjectIds whose timestamp is the resource's `createdAt` (contract §7, seen in every recording), so the mock
 * makes them the same way, from its clock and its seeded random source.
 */
import { createHash } from 'node:crypto';
import type { RandomSource } from './random.js';

export const OBJECT_ID = /^([a-f0-9]{24})$/;

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

export interface ObjectIdFactory {
  /** A new ObjectId whose timestamp is `epochMs` (truncated to seconds). */
  next(epochMs: number): string;
  /** The counter part of the last id (saved by `--state-file`, so that ids made after a restart never repeat). */
  counter(): number;
  setCounter(value: number): void;
}

export function createObjectIdFactory(random: RandomSource): ObjectIdFactory {
  const processPart = Array.from(random.bytes(5), (b) => hex(b, 2)).join('');
  let counter = random.int(0, 0xffffff);
  return {
    next(epochMs) {
      counter = (counter + 1) & 0xffffff;
      return hex(Math.floor(epochMs / 1000) >>> 0, 8) + processPart + hex(counter, 6);
    },
    counter: () => counter,
    setCounter(value) {
      counter = value & 0xffffff;
    },
  };
}

/** The creation time of an ObjectId, in epoch milliseconds. */
export function objectIdTime(id: string): number {
  return parseInt(id.slice(0, 8), 16) * 1000;
}

/**
 * The id `offset` steps after `id` in the counter part: how Atlas numbers the per-shard component exports
 * of a sharded export job (docs fixture: 60675896c37241327a557130, …132), derived instead of stored.
 */
export function objectIdPlus(id: string, offset: number): string {
  const counter = (parseInt(id.slice(18), 16) + offset) & 0xffffff;
  return id.slice(0, 18) + hex(counter, 6);
}

/**
 * An ObjectId for a fixture record that names none, the same on every load: the timestamp of `parentId` (a
 * cluster cannot be older than its project) and 8 bytes of the MD5 of `key`. No draw from the random source,
 * so adding such a record never shifts the ids made after it.
 */
export function derivedObjectId(parentId: string, key: string): string {
  return parentId.slice(0, 8) + createHash('md5').update(key).digest('hex').slice(0, 16);
}
