/**
 * The routes the mock serves, per URL pattern: what a request that matched none of them gets (a 405 with
 * `Allow`, the answer to OPTIONS, or a 404), and the journal's hint for it.
 *
 * Atlas answers as Jersey (JAX-RS) does, and the recording shows it: `DELETE /api/atlas/v2/groups/` got
 * `405` with `Allow: POST,GET,OPTIONS` (EVIDENCE f.1) — the methods of `/groups` (the trailing slash names the
 * same resource), OPTIONS added, HEAD not listed, in the iteration order of Java's HashMap (Jersey's
 * MethodSelectingRouter puts the key set of its method map in the header). OPTIONS itself is answered by
 * Jersey's OptionsMethodProcessor: 200, `Allow` with HEAD too when GET is there (ModelProcessorUtil
 * .getAllowedMethods), no body. HEAD is served wherever GET is. FIDELITY.md: Routing.
 *
 * Where several templates match a path, JAX-RS (spec 3.7.2; Jersey's PathMatchingRouter) takes the one with
 * the most literal characters, then the most template variables, and looks for the method among that
 * template's methods only: `DELETE …/snapshots/shardedClusters` is a 405 (`Allow: GET,OPTIONS`), not the
 * deletion of a snapshot whose id is `shardedClusters`. Fastify's router would hand that request to
 * `…/snapshots/:snapshotId`; `methodGuards` lists the routes that keep it from doing so.
 */

export interface AllowedMethods {
  /** For a 405: the methods registered on the path, and OPTIONS. */
  notAllowed: string;
  /** For OPTIONS: the same, and HEAD when GET is there. */
  options: string;
}

/** Java's `String.hashCode`. */
function javaHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * `names` in the iteration order of a Java HashMap/HashSet holding them (default capacity 16, up to 12
 * entries): by bucket `(h ^ (h >>> 16)) & 15`, then insertion order within a bucket.
 */
export function javaHashSetOrder(names: readonly string[]): string[] {
  const bucket = (s: string) => {
    const h = javaHash(s);
    return (h ^ (h >>> 16)) & 15;
  };
  return names.map((name, i) => ({ name, i, b: bucket(name) })).sort((x, y) => x.b - y.b || x.i - y.i).map((x) => x.name);
}

/** A path as routed: one trailing slash names the same resource as the path without it. */
export function routedPath(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

interface Route {
  pattern: RegExp;
  method: string;
  segments: string[];
  rank: Rank;
}

const isParam = (seg: string) => seg.startsWith(':') || seg === '*';

/** JAX-RS's order of templates matching one path: literal characters, then template variables (more first). */
interface Rank {
  literals: number;
  params: number;
}

function rankOf(segments: readonly string[]): Rank {
  let literals = 0;
  let params = 0;
  for (const seg of segments) {
    if (isParam(seg)) params++;
    else literals += seg.length;
  }
  return { literals, params };
}

const compareRank = (a: Rank, b: Rank) => b.literals - a.literals || b.params - a.params;

/** Whether some path matches both templates (a literal segment fills a parameter; `*` matches the rest). */
function overlap(a: readonly string[], b: readonly string[]): boolean {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === '*' || y === '*') return true;
    if (x === undefined || y === undefined) return false;
    if (!isParam(x) && !isParam(y) && x !== y) return false;
  }
  return true;
}

/**
 * The routes to add so that a method a path's JAX-RS template lacks gets that template's 405, where Fastify
 * would give the request to a less specific template that has the method: for each template S and each
 * method of a template overlapping S that ranks below it, (method, S) when S lacks the method. HEAD is
 * Fastify's copy of GET and is never listed.
 */
export function methodGuards(routes: readonly { method: string; url: string }[]): { method: string; url: string }[] {
  const templates = new Map<string, { segments: string[]; rank: Rank; methods: Set<string> }>();
  for (const r of routes) {
    if (r.method === 'HEAD') continue;
    const url = routedPath(r.url);
    let t = templates.get(url);
    if (!t) {
      const segments = url.split('/');
      templates.set(url, (t = { segments, rank: rankOf(segments), methods: new Set() }));
    }
    t.methods.add(r.method);
  }
  const guards: { method: string; url: string }[] = [];
  for (const [url, s] of templates) {
    const missing = new Set<string>();
    for (const t of templates.values()) {
      if (t === s || compareRank(s.rank, t.rank) >= 0 || !overlap(s.segments, t.segments)) continue;
      for (const m of t.methods) if (!s.methods.has(m)) missing.add(m);
    }
    for (const method of missing) guards.push({ method, url });
  }
  return guards;
}

/**
 * Whether a path segment can stand for a route's parameter, for the hint: ids (`:groupId`, `:exportId` …)
 * are ObjectIds, so that a word (`schedule`) is not read as one; other parameters take any non-empty segment.
 */
const fitsParam = (seg: string, got: string) => got !== '' && (!/^:\w*Id$/.test(seg) || /^[a-f0-9]{24}$/.test(got));

/** Optimal string alignment distance (Levenshtein with adjacent transpositions), case-insensitive. */
function distance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** Whether `got` is a typo of the literal segment `want`: same letters in another case, or a few edits for its length. */
function closeLiteral(want: string, got: string): number | undefined {
  const dist = distance(want, got);
  return dist <= Math.max(1, Math.floor(want.length / 4)) ? dist : undefined;
}

export class RouteTable {
  private readonly routes: Route[] = [];

  add(method: string | string[], url: string): void {
    const segments = routedPath(url).split('/');
    const source = segments.map((seg) => (seg.startsWith(':') ? '[^/]+' : seg === '*' ? '.*' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/');
    const pattern = new RegExp(`^${source}$`);
    const rank = rankOf(segments);
    for (const m of Array.isArray(method) ? method : [method]) if (m !== 'HEAD') this.routes.push({ pattern, method: m, segments, rank });
  }

  /** The `Allow` values for a path (the methods of the template JAX-RS picks for it), or undefined when no route has it. */
  allowed(path: string): AllowedMethods | undefined {
    const p = routedPath(path);
    let best: Rank | undefined;
    let methods: string[] = [];
    for (const r of this.routes) {
      if (!r.pattern.test(p)) continue;
      const order = best === undefined ? -1 : compareRank(r.rank, best);
      if (order < 0) {
        best = r.rank;
        methods = [];
      }
      if (order <= 0 && !methods.includes(r.method)) methods.push(r.method);
    }
    if (methods.length === 0) return undefined;
    const withOptions = [...methods, 'OPTIONS'];
    return {
      notAllowed: javaHashSetOrder(withOptions).join(','),
      options: javaHashSetOrder(methods.includes('GET') ? [...withOptions, 'HEAD'] : withOptions).join(','),
    };
  }

  /**
   * The route a path was most likely meant for, when it is one edit away from one: a literal segment
   * mistyped (`exportz`, `exportbuckets`, `v1`), or one segment too many or missing; an id parameter takes
   * an ObjectId, any other parameter any non-empty segment. Otherwise undefined: a hint from an unrelated
   * route would mislead. Parameters are shown as `{}`.
   */
  nearest(path: string): string | undefined {
    const want = routedPath(path).split('/');
    let best: { segments: string[]; edits: number; chars: number } | undefined;
    for (const r of this.routes) {
      const m = this.alignment(r.segments, want);
      if (m && m.edits <= 1 && (!best || m.edits < best.edits || (m.edits === best.edits && m.chars < best.chars))) best = { segments: r.segments, ...m };
    }
    return best?.segments.map((s) => (isParam(s) ? '{}' : s)).join('/');
  }

  /** Segment edits (and the character edits inside them) turning the route into the path; undefined beyond one. */
  private alignment(route: string[], path: string[]): { edits: number; chars: number } | undefined {
    if (Math.abs(route.length - path.length) > 1) return undefined;
    type Cell = { edits: number; chars: number };
    const INF: Cell = { edits: Infinity, chars: Infinity };
    const better = (a: Cell, b: Cell) => (a.edits < b.edits || (a.edits === b.edits && a.chars < b.chars) ? a : b);
    const add = (c: Cell, edits: number, chars: number): Cell => ({ edits: c.edits + edits, chars: c.chars + chars });
    const d: Cell[][] = Array.from({ length: route.length + 1 }, () => new Array<Cell>(path.length + 1).fill(INF));
    d[0]![0] = { edits: 0, chars: 0 };
    for (let i = 0; i <= route.length; i++) {
      for (let j = 0; j <= path.length; j++) {
        const here = d[i]![j]!;
        if (here.edits > 1) continue;
        if (i < route.length) d[i + 1]![j] = better(d[i + 1]![j]!, add(here, 1, 0));
        if (j < path.length) d[i]![j + 1] = better(d[i]![j + 1]!, add(here, 1, 0));
        if (i < route.length && j < path.length) {
          const seg = route[i]!;
          const got = path[j]!;
          let step: Cell | undefined;
          if (isParam(seg)) step = fitsParam(seg, got) ? add(here, 0, 0) : undefined;
          else if (seg === got) step = add(here, 0, 0);
          else {
            const chars = closeLiteral(seg, got);
            if (chars !== undefined) step = add(here, 1, chars);
          }
          if (step) d[i + 1]![j + 1] = better(d[i + 1]![j + 1]!, step);
        }
      }
    }
    const end = d[route.length]![path.length]!;
    return end.edits <= 1 ? end : undefined;
  }
}
