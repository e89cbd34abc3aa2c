/**
 * The apps of closed `startAtlasMock()` mocks, kept for the next start with the same options: a test file
 * that starts a fresh mock per test builds one app, not one per test. Building an app — Fastify registering
 * its ~120 routes and their hooks above all — is almost all of a start (~90 ms of a 92 ms start measured on
 * the 2-core test machine; `docs/performance.md`); a kept app is renewed instead (`renewApp`: store, clock,
 * random position, ids, tokens, nonces, rate limits, faults, journal, plans, export files as new) and
 * listens on a new port. A mock that is not closed keeps its app; so does one whose options cannot be told
 * equal (a logger instance or other non-JSON value), a state file or generated jobs (`renewable`).
 *
 * A closed mock on a port the system picked keeps listening there, parked: its clients (the test's `fetch`
 * and its keep-alive connections above all) reach the next mock, which takes that app, on the same
 * address. A new connection to a new port was most of what a fresh mock per test cost beyond a shared one
 * (a GET over it 1.24 ms against 0.56 ms, measured in one process). Parked, a server answers every request
 * 503 and closes the connection; it does not keep the process alive. Only one start takes a kept app: two
 * open mocks never share a port.
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { errorBody, serializeErrorBody } from '../errors/atlas-error.js';
import { ERROR_CONTENT_TYPE } from '../http/headers.js';
import type { AppOptions } from '../options.js';

/**
 * A kept app and the export-files folder it owns (emptied between mocks, removed when the process exits);
 * `parked`: the host its server still listens on, parked (`park`), or undefined when it stopped listening.
 */
export interface Kept {
  app: FastifyInstance;
  ownDir: string | undefined;
  parked?: string | undefined;
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
    // Kept apps hold no handle that keeps the process alive (a parked server is unref'd); their folders go
    // with the process.
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

/** What a request reaching a parked port gets: a clear 503, then the connection is closed. */
const CLOSED_BODY = Buffer.from(
  serializeErrorBody(
    errorBody(503, 'SERVICE_UNAVAILABLE', 'This atlas-export-mock was closed (close()); its port waits for the next startAtlasMock() of this process.', []),
  ),
);

function answerClosed(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  res.writeHead(503, { 'content-type': ERROR_CONTENT_TYPE, 'content-length': CLOSED_BODY.length, 'x-error-code': 'SERVICE_UNAVAILABLE', connection: 'close' });
  res.end(CLOSED_BODY);
}

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/** The request listeners (Fastify's) of parked servers, put back by `unpark`. */
const parkedListeners = new WeakMap<Server, RequestListener[]>();
/** The open connections of each server `startAtlasMock` built: a parked server's must not hold the process. */
const openSockets = new WeakMap<Server, Set<Socket>>();

/** Follows the server's connections (once per app, when it is built). */
export function trackConnections(app: FastifyInstance): void {
  const server = app.server;
  const sockets = new Set<Socket>();
  openSockets.set(server, sockets);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    if (parkedListeners.has(server)) socket.unref();
  });
}

/**
 * The server keeps listening, and its connections stay open, but no request reaches the app: each is
 * answered `answerClosed`. Neither the server nor its connections keep the process alive.
 */
export function park(app: FastifyInstance): void {
  const server = app.server;
  if (parkedListeners.has(server)) return;
  parkedListeners.set(server, server.listeners('request') as RequestListener[]);
  server.removeAllListeners('request');
  server.on('request', answerClosed);
  server.unref();
  for (const s of openSockets.get(server) ?? []) s.unref();
}

/** The app serves its port again. */
export function unpark(app: FastifyInstance): void {
  const server = app.server;
  const listeners = parkedListeners.get(server);
  if (!listeners) return;
  parkedListeners.delete(server);
  server.removeListener('request', answerClosed);
  for (const l of listeners) server.on('request', l);
  server.ref();
  for (const s of openSockets.get(server) ?? []) s.ref();
}
