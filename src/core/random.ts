/**
 * The mock's only source of randomness: one seeded generator per app instance, so that a run with the same
 * seed makes the same ids, nonces, generated jobs and probabilistic faults. `Math.random()` is never used.
 * The faker instance shares the seed, for realistic generated data (`--seed N --generate N`).
 */
import { createRequire } from 'node:module';
import type { Faker } from '@faker-js/faker';

/**
 * faker (all its locales) costs ~180 ms and ~30 MiB to load: it is required on first use only, so a mock
 * that generates no data never pays for it (the start-up target).
 */
function loadFaker(): typeof import('@faker-js/faker') {
  return createRequire(import.meta.url)('@faker-js/faker') as typeof import('@faker-js/faker');
}

export interface RandomSource {
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max] (inclusive). */
  int(min: number, max: number): number;
  /** `n` random bytes. */
  bytes(n: number): Uint8Array;
  /** A string of `length` characters drawn from `alphabet`. */
  string(length: number, alphabet: string): string;
  /** A faker instance seeded from the same seed (created on first use: start-up does not pay for it). */
  faker(): Faker;
  /**
   * The generator's position, and a return to one: a mock that `startAtlasMock` reuses for the next test
   * draws what a new one would (`testing/pool.ts`). Optional: a source of one's own need not have them.
   */
  image?(): RandomImage;
  restore?(image: RandomImage): void;
}

/** The four 32-bit words of the generator's state. */
export type RandomImage = readonly [number, number, number, number];

/** sfc32: a small, fast, well-distributed 32-bit generator; good enough for a test double, not for crypto. */
function sfc32(a: number, b: number, c: number, d: number): () => number {
  return sfc32Of([a, b, c, d]);
}

/** sfc32 on a state array the caller may read and set (`image` / `restore`). */
function sfc32Of(st: number[]): () => number {
  return () => {
    let a = st[0]! | 0;
    let b = st[1]! | 0;
    let c = st[2]! | 0;
    let d = st[3]! | 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    st[0] = a;
    st[1] = b;
    st[2] = c;
    st[3] = d;
    return (t >>> 0) / 4294967296;
  };
}

/** The draws of `RandomSource` without faker: what a forked generator offers. */
export type Draws = Pick<RandomSource, 'next' | 'int' | 'bytes' | 'string'>;

/** The draws made from a warmed-up generator `next`. */
function drawsOf(next: () => number): Draws {
  for (let i = 0; i < 15; i++) next(); // warm up: spread a small seed over the whole state
  return {
    next,
    int(min, max) {
      return min + Math.floor(next() * (max - min + 1));
    },
    bytes(n) {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = Math.floor(next() * 256);
      return out;
    },
    string(length, alphabet) {
      // Character codes, then one flat string: appending character by character made a chain of `length`
      // string pieces per nonce (a 401 challenge draws one), kept until the string was first hashed.
      const codes = new Array<number>(length);
      for (let i = 0; i < length; i++) codes[i] = alphabet.charCodeAt(Math.floor(next() * alphabet.length));
      return String.fromCharCode(...codes);
    },
  };
}

export function createRandom(seed = 1): RandomSource {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  let fakerInstance: Faker | undefined;
  const state = [0x9e3779b9, seed | 0, Math.floor(seed / 4294967296) | 0, 0x6a09e667];
  const source: RandomSource = {
    seed,
    ...drawsOf(sfc32Of(state)),
    image: () => [state[0]!, state[1]!, state[2]!, state[3]!],
    restore(image) {
      for (let i = 0; i < 4; i++) state[i] = image[i]!;
    },
    faker() {
      if (!fakerInstance) {
        const { Faker, base, en } = loadFaker();
        fakerInstance = new Faker({ locale: [en, base] });
        fakerInstance.seed(seed);
      }
      return fakerInstance;
    },
  };
  return source;
}

/** 32-bit FNV-1a of a string, with a second pass from another offset: 64 bits to seed a fork. */
function hashKey(key: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ key.length;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return [a >>> 0, b >>> 0];
}

/**
 * An independent generator for one purpose, seeded from the mock's seed and a `key`: the same seed and key
 * always draw the same numbers, whatever else the mock drew before (export files: each collection's
 * documents are the same bytes in every export, however many ids or nonces were made in between). It does
 * not move the mock's own random source.
 */
export function forkRandom(seed: number, key: string): Draws {
  const [h1, h2] = hashKey(key);
  return drawsOf(sfc32(0x9e3779b9 ^ h1, seed | 0, (Math.floor(seed / 4294967296) | 0) ^ h2, 0x6a09e667));
}
