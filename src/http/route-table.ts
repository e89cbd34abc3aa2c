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
}

const isParam = (seg: string) => seg.startsWith(':') || seg === '*';

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
    for (const m of Array.isArray(method) ? method : [method]) if (m !== 'HEAD') this.routes.push({ pattern, method: m, segments });
  }

  /** The `Allow` values for a path, or undefined when no route has it. */
  allowed(path: string): AllowedMethods | undefined {
    const p = routedPath(path);
    const methods: string[] = [];
    for (const r of this.routes) if (r.pattern.test(p) && !methods.includes(r.method)) methods.push(r.method);
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
