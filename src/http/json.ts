/**
 * JSON output as Atlas writes it. Compact by default (every recording); with `pretty=true`, Jackson's
 * DefaultPrettyPrinter (contract §3, recorded Digest challenge): two-space indent, `" : "` between key and
 * value, arrays on one line as `[ a, b ]` with objects inside them opened in place (`[ {` … `}, {` … `} ]`),
 * empty containers as `[ ]` and `{ }`.
 */
/**
 * A serializer of a response body: text, or its UTF-8 bytes (a large body assembled from cached bytes is
 * then sent without being measured and encoded again).
 */
export type BodySerializer = (body: any) => string | Buffer;

export function compact(value: unknown): string {
  return JSON.stringify(value);
}

/**
 * A number Atlas writes as a Java `double`: always with a fraction (`10.0`, recorded `diskSizeGB`), where
 * JSON.stringify writes `10`. Views put one in a body; `javaJson` and the pretty printer write it as Java does,
 * plain JSON.stringify as the number.
 */
export class JavaDouble {
  constructor(readonly value: number) {}
  toJSON(): number {
    return this.value;
  }
  toString(): string {
    if (!Number.isFinite(this.value)) return 'null';
    // Double.toString: a fraction always; scientific notation from 10^7 (not reached by the mock's values).
    return Number.isInteger(this.value) && Math.abs(this.value) < 1e7 ? this.value.toFixed(1) : String(this.value);
  }
}

/** Marks a JavaDouble in JSON.stringify's output; nothing else in a body the mock writes holds U+0001. */
const DOUBLE_MARK = '\u0001d';
const DOUBLE_MARKED = /"\\u0001d([^"]*)"/g;

function markDoubles(this: unknown, key: string, value: unknown): unknown {
  const original = (this as Record<string, unknown>)[key];
  return original instanceof JavaDouble ? DOUBLE_MARK + original.toString() : value;
}

/** Compact JSON like `compact`, with JavaDoubles written as Java does. */
export function javaJson(value: unknown): string {
  return JSON.stringify(value, markDoubles).replace(DOUBLE_MARKED, '$1');
}

/** A character JSON.stringify escapes: `"`, `\\`, a control character, or a surrogate (lone ones are escaped). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * `JSON.stringify(s)` for a string, without the call for the common case (ids, dates, names): the building
 * block of the compiled serializers, which must write exactly what JSON.stringify writes.
 */
export function jsonString(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/** `JSON.stringify(n)` for a number: NaN and ±Infinity are `null`. */
export function jsonNumber(n: number): string {
  return Number.isFinite(n) ? String(n) : 'null';
}

export function pretty(value: unknown): string {
  return write(value, 0);
}

function write(value: unknown, depth: number): string {
  if (value === null || typeof value !== 'object') {
    const s = JSON.stringify(value);
    return s === undefined ? 'null' : s;
  }
  if (value instanceof JavaDouble) return value.toString();
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return write((value as { toJSON(): unknown }).toJSON(), depth);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[ ]';
    return `[ ${value.map((v) => write(v === undefined ? null : v, depth)).join(', ')} ]`;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function');
  if (entries.length === 0) return '{ }';
  const inner = '  '.repeat(depth + 1);
  const body = entries.map(([k, v]) => `${inner}${JSON.stringify(k)} : ${write(v, depth + 1)}`).join(',\n');
  return `{\n${body}\n${'  '.repeat(depth)}}`;
}
