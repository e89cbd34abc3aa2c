/**
 * The apps of closed `startAtlasMock()` mocks, kept for the next start with the same options: a test file
 * that starts a fresh mock per test builds one app, not one per test. Building an app — Fastify registering
 * its ~120 routes and their hooks above all — is almost all of a start (~90 ms of a 92 ms start measured on
 * the 2-core test machine; `docs/performance.md`); a kept app is renewed instead (`renewApp`: store, clock,
 * random position, ids, tokens, nonces, rate limits, faults, journal, plans, export files as new) and
 * listens on a new port. A mock that is not closed keeps its app; so does one whose options cannot be told
 * equal (a logger instance or other non-JSON value), a state file or generated jobs (`renewable`).
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { AppOptions } from '../options.js';

/** A kept app and the export-files folder it owns (emptied between mocks, removed when the process exits). */
export interface Kept {
  app: FastifyInstance;
  ownDir: string | undefined;
}

/** Kept apps per key, and in all: a test file rarely has more than a few mocks open at once. */
const MAX_PER_KEY = 4;
const MAX_KEPT = 16;

const kept = new Map<string, Kept[]>();
let count = 0;
let cleanupInstalled = false;

/**
 * What decides that two starts can share an app: every option and the seed, as JSON; a fixture folder by
 * its path and its files' sizes and times (a folder rewritten between two tests is read again). Undefined
 * when the options hold something JSON cannot compare (a function, a logger or stream instance).
 */
export function poolKey(options: AppOptions, seed: number): string | undefined {
  if (options.stateFile !== undefined || options.store !== undefined || options.generate) return undefined;
  let plain = true;
  const json = JSON.stringify({ seed, options }, (_key, v: unknown) => {
    if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') plain = false;
    else if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const proto = Object.getPrototypeOf(v) as unknown;
      if (proto !== Object.prototype && proto !== null) plain = false;
    }
    return plain ? v : undefined;
  });
  if (!plain) return undefined;
  if (typeof options.fixtures !== 'string') return json;
  const folder = folderFingerprint(options.fixtures);
  return folder === undefined ? undefined : `${json}\n${folder}`;
}

/** The JSON files of a fixture folder with their sizes and modification times; undefined if unreadable. */
function folderFingerprint(dir: string): string | undefined {
  try {
    const abs = resolve(dir);
    const names = readdirSync(abs).filter((n) => n.endsWith('.json')).sort();
    return [abs, ...names.map((n) => {
      const st = statSync(join(abs, n));
      return `${n}:${st.size}:${st.mtimeMs}`;
    })].join('\n');
  } catch {
    return undefined;
  }
}

/** A kept app for this key, if there is one (it leaves the pool). */
export function take(key: string): Kept | undefined {
  const list = kept.get(key);
  const k = list?.pop();
  if (k) count--;
  return k;
}

/** Keeps an app for a later start; false when the pool is full (the caller closes it). */
export function keep(key: string, k: Kept): boolean {
  const list = kept.get(key) ?? [];
  if (list.length >= MAX_PER_KEY || count >= MAX_KEPT) return false;
  list.push(k);
  kept.set(key, list);
  count++;
  if (!cleanupInstalled) {
    cleanupInstalled = true;
    // Kept apps hold no socket, timer or handle; their folders go with the process.
    process.once('exit', () => {
      for (const l of kept.values()) for (const x of l) if (x.ownDir !== undefined) rmSync(x.ownDir, { recursive: true, force: true });
    });
  }
  return true;
}

/** Empties a folder, keeping it. */
export function emptyFolder(dir: string): void {
  for (const name of readdirSync(dir)) rmSync(join(dir, name), { recursive: true, force: true });
}
