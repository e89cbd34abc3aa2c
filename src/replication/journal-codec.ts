/**
 * A journal entry as the shared journal keeps it in Redis: a JSON array, the project first (a project's
 * entries are found without parsing the rest, `mockJournalClear`).
 *
 * Every GET a replica answers carries its entry to Redis (`tick.ts`), so its size is paid on every request:
 * by the replica (encoding, the script's arguments) and by Redis (reading them, Lua strings, XADD, trimming).
 * The full entry of a GET of one job is ~325 bytes, of which the URL (~105), the operation alias and id
 * (~45), cluster and job (~35) and a duration with 16 digits repeat what the route and the other fields
 * already say; its short form below is ~165 bytes.
 *
 * So a request of a route whose URL is made of its project, cluster and job only (the route's pattern
 * filled with them gives the request's URL exactly: no query string, no encoded character, no trailing
 * slash) is kept in a short form: its route by its operation alias, its URL and operation id left out
 * (made again when read, from the same route table: every replica of a world runs the same version with
 * the same options, the world's fingerprint). Any other request keeps the full form. The duration is
 * kept rounded to what the journal shows (hundredths of a millisecond). Read back, both give exactly what
 * the journal showed of the entry that was written (test/redis/journal-entries.test.ts).
 */
import { shownDuration, type JournalSlot } from '../control/journal.js';

type Slot = Omit<JournalSlot, 'seq'>;

/** The full form: every field. */
type Full = [string | null, number, string, string, number, string | null, string | null, string | null, number, boolean, string | null, string | null, string | null, string | null];
/** The short form: a matched route's request, URL and operation id made again from the route, the duration in hundredths. */
type Short = [string | null, number, string, number, string | null, string | null, string | null, number, string | null, string | null, string | null];

/** The project, cluster and job of a request: the only parameters a short-form route may have. */
type Ids = Pick<Slot, 'groupId' | 'clusterName' | 'exportId'>;
const PARAMS = new Set(['groupId', 'clusterName', 'exportId']);

interface Route {
  operationId: string | null;
  pattern: string;
  /** Literals and parameter names in turn: [literal, name, literal, …, literal]. */
  parts: string[];
  /** The JSON around `at` and the duration of the route's last short entry, and what it was made of. */
  last?: Around;
}

/** What a short entry repeats from the previous one of its route when a client polls one resource. */
type Fixed = Pick<Slot, 'groupId' | 'method' | 'status' | 'state' | 'principal' | 'fault' | 'clusterName' | 'exportId'>;

interface Around extends Fixed {
  /** The URL of the entry (the route filled with its ids: `isUrlOf`). */
  url: string;
  /** `[groupId,` */
  head: string;
  /** `,method,status,state,principal,fault,` */
  middle: string;
  /** `,operation,clusterName,exportId]` */
  tail: string;
}

const sameFixed = (a: Fixed, s: Slot): boolean =>
  a.groupId === s.groupId && a.exportId === s.exportId && a.clusterName === s.clusterName && a.status === s.status && a.state === s.state && a.principal === s.principal && a.method === s.method && a.fault === s.fault;

/** The short entry's JSON without `at` and the duration: JSON.stringify of the whole array, cut around them. */
function around(s: Slot): Around {
  const json = JSON.stringify([s.groupId, 0, s.method, s.status, s.state, s.principal, s.fault, 0, s.operation, s.clusterName, s.exportId] satisfies Short);
  const head = `[${JSON.stringify(s.groupId)},`;
  const tail = `,${JSON.stringify([s.operation, s.clusterName, s.exportId]).slice(1)}`;
  // What lies between the two zeros.
  const middle = json.slice(head.length + 1, json.length - tail.length - 1);
  return { url: s.url, groupId: s.groupId, method: s.method, status: s.status, state: s.state, principal: s.principal, fault: s.fault, clusterName: s.clusterName, exportId: s.exportId, head, middle, tail };
}


/**
 * The parts of a route pattern (`/api/atlas/v2/groups/:groupId/…`), or undefined when the pattern has
 * another parameter, a wildcard or a regular expression (its requests keep the full form).
 */
function partsOf(pattern: string): string[] | undefined {
  const parts: string[] = [''];
  const segments = pattern.split('/');
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (i > 0) parts[parts.length - 1] += '/';
    if (segment.startsWith(':')) {
      const name = segment.slice(1);
      if (!PARAMS.has(name)) return undefined;
      parts.push(name, '');
    } else {
      if (/[:*(]/.test(segment)) return undefined;
      parts[parts.length - 1] += segment;
    }
  }
  return parts;
}

/** The URL the route's pattern gives with these parameters. */
function urlOf(parts: string[], ids: Ids): string {
  let url = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) url += (ids[parts[i] as keyof Ids] ?? '') + parts[i + 1]!;
  return url;
}

/** True when `url` is exactly what the pattern gives with these parameters (compared in place: no string made). */
function isUrlOf(parts: string[], ids: Ids, url: string): boolean {
  let pos = parts[0]!.length;
  if (!url.startsWith(parts[0]!)) return false;
  for (let i = 1; i < parts.length; i += 2) {
    const value = ids[parts[i] as keyof Ids];
    if (value === null || !url.startsWith(value, pos)) return false;
    pos += value.length;
    const literal = parts[i + 1]!;
    if (!url.startsWith(literal, pos)) return false;
    pos += literal.length;
  }
  return pos === url.length;
}

/** The journal's routes (by operation alias) and the two forms of an entry. */
export class JournalCodec {
  /** Operation alias → route; null when two patterns share an alias (their requests keep the full form). */
  private readonly routes = new Map<string, Route | null>();

  /** A route the journal writes entries of (control/plugin.ts, as each route is registered). */
  addRoute(operation: string | null, operationId: string | null, pattern: string): void {
    if (operation === null) return;
    const parts = partsOf(pattern);
    const known = this.routes.get(operation);
    if (known === undefined) this.routes.set(operation, parts ? { operationId, pattern, parts } : null);
    // The same alias again: the HEAD route Fastify adds to a GET (the same pattern), or another pattern.
    else if (known !== null && (known.pattern !== pattern || known.operationId !== operationId)) this.routes.set(operation, null);
  }

  encode(s: Slot): string {
    const route = s.matched && s.operation !== null ? this.routes.get(s.operation) : undefined;
    if (route === undefined || route === null || route.operationId !== s.operationId) return this.full(s);
    // The duration in whole hundredths: an integer is written in a third of the time of a fraction.
    const hundredths = Math.round(s.durationMs * 100);
    // A client polling a job makes the same entry again but for its time and duration: the JSON around them
    // is the last one's, and so is the URL check when the URL is the last one's (the check alone, seven
    // `startsWith` at a position, cost ~0.65 µs; encoding was ~2 µs of a replica's GET, micro-benchmarked,
    // and the most of any function of the shared path in its profile). The numbers are written as JSON
    // writes them (finite numbers; anything else goes through JSON.stringify).
    let last = route.last;
    if (last === undefined || s.url !== last.url || !sameFixed(last, s)) {
      if (!isUrlOf(route.parts, s, s.url)) return this.full(s);
      last = route.last = around(s);
    }
    if (Number.isFinite(s.at) && Number.isFinite(hundredths)) return last.head + s.at + last.middle + hundredths + last.tail;
    const short: Short = [s.groupId, s.at, s.method, s.status, s.state, s.principal, s.fault, hundredths, s.operation, s.clusterName, s.exportId];
    return JSON.stringify(short);
  }

  private full(s: Slot): string {
    const full: Full = [s.groupId, s.at, s.method, s.url, s.status, s.state, s.principal, s.fault, shownDuration(s.durationMs), s.matched, s.operation, s.operationId, s.clusterName, s.exportId];
    return JSON.stringify(full);
  }

  decode(v: Full | Short, seq: number): JournalSlot {
    if (v.length === 14) {
      const f = v as Full;
      return { seq, groupId: f[0], at: f[1], method: f[2], url: f[3], status: f[4], state: f[5], principal: f[6], fault: f[7], durationMs: f[8], matched: f[9], operation: f[10], operationId: f[11], clusterName: f[12], exportId: f[13] };
    }
    const s = v as Short;
    const ids: Ids = { groupId: s[0], clusterName: s[9], exportId: s[10] };
    const route = this.routes.get(s[8]!);
    return {
      seq,
      ...ids,
      at: s[1],
      method: s[2],
      // Written by a replica of this world (the same routes); an alias unknown here is shown as written.
      url: route ? urlOf(route.parts, ids) : '',
      status: s[3],
      state: s[4],
      principal: s[5],
      fault: s[6],
      // Whole hundredths: the same number as `shownDuration` gives (k / 100 either way).
      durationMs: s[7] / 100,
      matched: true,
      operation: s[8],
      operationId: route ? route.operationId : s[8],
    };
  }
}

export type EncodedEntry = Full | Short;
