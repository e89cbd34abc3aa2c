/** Date formats of the Atlas wire format, all in UTC. */

/**
 * Calendar fields of an epoch-second count, by integer arithmetic (Howard Hinnant's `civil_from_days`):
 * no Date object, no toISOString() string to cut up. These formatters run on every job a response shows
 * (a Date round trip cost more than the rest of the view). Valid for years 0000–9999, the range
 * where toISOString() writes four-digit years; outside it (and for NaN) the callers use Date itself.
 */
const MIN_SECONDS = -62_167_219_200; // 0000-01-01T00:00:00Z
const MAX_SECONDS = 253_402_300_799; // 9999-12-31T23:59:59Z
const P2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

/** Calendar fields of the last `civil()` call: written in place, no object per call. */
const c = { y: 0, m: 0, d: 0, hh: 0, mi: 0, ss: 0 };

function civil(seconds: number): void {
  const days = Math.floor(seconds / 86_400);
  const sod = seconds - days * 86_400;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  c.m = mp < 10 ? mp + 3 : mp - 9;
  c.y = yoe + era * 400 + (c.m <= 2 ? 1 : 0);
  c.d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const minutes = Math.floor(sod / 60);
  c.hh = Math.floor(minutes / 60);
  c.mi = minutes % 60;
  c.ss = sod % 60;
}

const year4 = (y: number): string => (y >= 1000 ? String(y) : String(y).padStart(4, '0'));

/** `2026-08-10T03:28:25Z`: ISO-8601 with seconds and `Z`, as Atlas writes `createdAt` / `finishedAt` (contract §7). */
export function isoSeconds(epochMs: number): string {
  const seconds = Math.floor(epochMs / 1000);
  if (!(seconds >= MIN_SECONDS && seconds <= MAX_SECONDS)) return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
  civil(seconds);
  return `${year4(c.y)}-${P2[c.m]}-${P2[c.d]}T${P2[c.hh]}:${P2[c.mi]}:${P2[c.ss]}Z`;
}

/** `2026-08-10T0327`: the snapshot date inside an export `prefix` (contract §7). */
export function prefixDate(epochMs: number): string {
  // A Date truncates a fractional time value towards zero before anything else (ECMA-262 TimeClip).
  const seconds = Math.floor(Math.trunc(epochMs) / 1000);
  if (!(seconds >= MIN_SECONDS && seconds <= MAX_SECONDS)) {
    const iso = new Date(epochMs).toISOString();
    return `${iso.slice(0, 13)}${iso.slice(14, 16)}`;
  }
  civil(seconds);
  return `${year4(c.y)}-${P2[c.m]}-${P2[c.d]}T${P2[c.hh]}${P2[c.mi]}`;
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
