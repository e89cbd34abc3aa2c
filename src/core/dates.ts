/** Date formats of the Atlas wire format, all in UTC. */

/** `2026-08-10T03:28:25Z`: ISO-8601 with seconds and `Z`, as Atlas writes `createdAt` / `finishedAt` (contract §7). */
export function isoSeconds(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** `2026-08-10T0327`: the snapshot date inside an export `prefix` (contract §7). */
export function prefixDate(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  return `${iso.slice(0, 13)}${iso.slice(14, 16)}`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * `Thu, 1 Jul 2027 00:00:00 GMT`: Java's RFC_1123_DATE_TIME, whose day of month is **not** zero-padded,
 * unlike `Date.prototype.toUTCString()` (contract §2, recorded `Deprecation` / `Sunset` headers).
 */
export function rfc1123(epochMs: number): string {
  const d = new Date(epochMs);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} GMT`;
}

/** Epoch ms of a `YYYY-MM-DD` date at 00:00 UTC, or NaN when it is not a real calendar date. */
export function parseDay(day: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return NaN;
  const ms = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== day ? NaN : ms;
}

const DURATION = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/**
 * A duration as milliseconds: a number (ms), an ISO-8601 duration (`PT20M`, `P1DT2H`), or a short form
 * (`150s`, `12m`, `2h`, `500ms`). Returns NaN when it is none of these.
 */
export function parseDuration(value: string | number): number {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : NaN;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v);
  const short = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/i.exec(v);
  if (short) {
    const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[short[2]!.toLowerCase() as 'ms'];
    return Number(short[1]) * unit;
  }
  const m = DURATION.exec(v);
  if (!m || v.toUpperCase() === 'P' || v.toUpperCase().endsWith('T')) return NaN;
  const [, d, h, min, s] = m;
  return Math.round((Number(d ?? 0) * 86_400 + Number(h ?? 0) * 3_600 + Number(min ?? 0) * 60 + Number(s ?? 0)) * 1000);
}
