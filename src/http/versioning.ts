/**
 * Media-type versioning (contract §2). `Accept: application/vnd.atlas.YYYY-MM-DD+json` picks the newest
 * resource version of the operation dated on or before the requested date; anything else (no Accept,
 * `application/json`, `* / *`, a malformed date, a date before the first version) resolves to nothing and
 * the caller answers 406 `INVALID_VERSION_DATE`. A list of media types is tried in q-value order.
 */
import { parseDay, rfc1123 } from '../core/dates.js';

export interface VersionSpec {
  /** `YYYY-MM-DD` of the resource version. */
  date: string;
  /** `x-sunset` of the spec: from this day on (mock clock) the version answers 410. */
  sunset?: string;
  /** Day the version was deprecated (release of the next version): sends `Deprecation` / `Sunset`. */
  deprecated?: string;
}

export interface ResourceVersion {
  readonly date: string;
  readonly dateMs: number;
  readonly sunsetMs: number;
  readonly contentType: string;
  /** Headers every response served at this version carries, errors included (contract §2). */
  readonly headers: Readonly<Record<string, string>>;
}

export function compileVersions(specs: readonly VersionSpec[]): ResourceVersion[] {
  return specs
    .map((s) => {
      const headers: Record<string, string> = {};
      if (s.deprecated) headers['deprecation'] = rfc1123(parseDay(s.deprecated));
      if (s.sunset && s.deprecated) headers['sunset'] = rfc1123(parseDay(s.sunset));
      return {
        date: s.date,
        dateMs: parseDay(s.date),
        sunsetMs: s.sunset ? parseDay(s.sunset) : Infinity,
        contentType: `application/vnd.atlas.${s.date}+json;charset=utf-8`,
        headers,
      };
    })
    .sort((a, b) => a.dateMs - b.dateMs);
}

const ATLAS_MEDIA = /^application\/vnd\.atlas\.([^+;\s]+)\+json$/i;

interface MediaRange {
  type: string;
  q: number;
  index: number;
}

function parseAccept(accept: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  accept.split(',').forEach((part, index) => {
    const [type = '', ...params] = part.split(';').map((p) => p.trim());
    if (!type) return;
    let q = 1;
    for (const p of params) {
      const m = /^q\s*=\s*([0-9.]+)$/i.exec(p);
      if (m) q = Number(m[1]);
    }
    if (Number.isFinite(q) && q > 0) ranges.push({ type, q, index });
  });
  return ranges.sort((a, b) => b.q - a.q || a.index - b.index);
}

/** The newest version dated on or before `day`, or undefined. */
function atOrBefore(versions: readonly ResourceVersion[], dayMs: number): ResourceVersion | undefined {
  let found: ResourceVersion | undefined;
  for (const v of versions) if (v.dateMs <= dayMs) found = v;
  return found;
}

export function resolveVersion(accept: string | undefined, versions: readonly ResourceVersion[]): ResourceVersion | undefined {
  if (!accept) return undefined;
  for (const range of parseAccept(accept)) {
    const m = ATLAS_MEDIA.exec(range.type);
    if (!m) continue;
    const dayMs = parseDay(m[1]!);
    if (Number.isNaN(dayMs)) continue;
    const v = atOrBefore(versions, dayMs);
    if (v) return v;
  }
  return undefined;
}

/**
 * A resolver with a small memo per operation: clients send the same Accept string on every request, so the
 * parse happens once per distinct header (bounded, so arbitrary headers cannot grow it without limit).
 */
export function versionResolver(versions: readonly ResourceVersion[], maxEntries = 64): (accept: string | undefined) => ResourceVersion | undefined {
  const memo = new Map<string, ResourceVersion | null>();
  return (accept) => {
    if (accept === undefined) return undefined;
    const hit = memo.get(accept);
    if (hit !== undefined) return hit ?? undefined;
    const v = resolveVersion(accept, versions);
    if (memo.size < maxEntries) memo.set(accept, v ?? null);
    return v;
  };
}
