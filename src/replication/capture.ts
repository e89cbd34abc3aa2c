/**
 * Capturing changes of the world as plain JSON, generically, so that every replica of a shared mock
 * (`--store redis://…`) can apply them in the same order (`replication/replica.ts`).
 *
 * The world is a set of named objects: the context's registries and services (`ctx.store`, `ctx.nextPlans`,
 * `ctx.exports`, … every property of the context that has methods), the context itself (`load`, `reset`),
 * and a few registries held elsewhere (issued tokens, fault rules). Their methods are wrapped in place:
 *
 * - while a write runs (`record`), each call made from outside the world (depth 0) is written down as a
 *   step `{o, m, a}`: object name, method name, arguments as JSON. Calls made inside a recorded call are
 *   not (the outer call makes them again when it is applied); so a reset is one small step, not a million;
 * - a property of the context assigned during a write (`ctx.defaultPlan = …`) is a step `{o, p, v}`;
 * - what a recorded call reads from the clock (`now`) and the random source (`next`, `int`, `bytes`,
 *   `string`, `ids.next`) goes on a tape, in order. Applying the steps elsewhere plays the tape back, so a
 *   call that mints an id or reads the time makes the same id and time on every replica.
 *
 * Outside a write or a replay, a wrapped method costs one comparison: GETs pay next to nothing.
 *
 * The rules this relies on (docs/shared-service.md, "For developers"): every change of the world is a call
 * of a world object's method with plain-JSON arguments (or an assignment of a context property), made while
 * a write runs; it reads time and randomness only through `ctx.clock`, `ctx.random`, `ctx.ids`; and it is
 * deterministic otherwise (same state + same arguments + same tape → same result).
 */

/** A method call or a property assignment of the world, as JSON. */
export type Step = { o: string; m: string; a: string; x?: 1 } | { o: string; p: string; v: string };

export interface Recording {
  steps: Step[];
  /** What recorded calls read from the clock and the random source, in order (JSON values). */
  tape: unknown[];
  /** `store.changed()` (or a registry's own change signal) was called while recording. */
  changed: boolean;
}

/** `undefined` survives as a marker (JSON drops it, and `reset(undefined)` is not `reset(null)`). */
const UNDEFINED = '$undefined';

function replacer(this: unknown, key: string, value: unknown): unknown {
  if (value === undefined) return { [UNDEFINED]: 1 };
  if (typeof value === 'function') throw new NonJsonArgument(`a function${key ? ` at ${key}` : ''}`);
  if (typeof value === 'bigint') throw new NonJsonArgument(`a bigint at ${key}`);
  if (value !== null && typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) throw new NonJsonArgument(`a ${proto?.constructor?.name ?? 'non-plain'} object${key ? ` at ${key}` : ''}`);
  }
  return value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && (value as Record<string, unknown>)[UNDEFINED] === 1 && Object.keys(value).length === 1) return undefined;
  return value;
}

export class NonJsonArgument extends Error {
  constructor(what: string) {
    super(`a world method was called with ${what}: world methods take plain JSON (docs/shared-service.md)`);
    this.name = 'NonJsonArgument';
  }
}

export const encode = (value: unknown): string => JSON.stringify(value, replacer) ?? JSON.stringify({ [UNDEFINED]: 1 });
export const decode = (text: string): unknown => JSON.parse(text, reviver);

/** What the replayed tape did not match (a replica of another version, or a non-deterministic method). */
export class TapeMismatch extends Error {
  override name = 'TapeMismatch';
}

type AnyFn = (...args: unknown[]) => unknown;

export class Capture {
  /** The write being recorded, or null. */
  private recording: Recording | null = null;
  /** Tape being played back, with its read position, or null. */
  private replayTape: unknown[] | null = null;
  private tapePos = 0;
  /** Nesting of world calls while recording or replaying (0: outside the world). */
  private depth = 0;
  private readonly objects = new Map<string, Record<string, unknown>>();
  /** Mismatches seen while replaying (health, logs). */
  mismatches = 0;

  get recordingNow(): boolean {
    return this.recording !== null;
  }

  get replaying(): boolean {
    return this.replayTape !== null;
  }

  /** Wraps every method of `obj` (own and inherited, not Object's): its calls become steps named `name.method`. */
  register(name: string, obj: object): void {
    if (this.objects.has(name)) throw new Error(`world object ${name} registered twice`);
    const target = obj as Record<string, unknown>;
    this.objects.set(name, target);
    for (const method of methodNames(obj)) {
      const orig = target[method] as AnyFn;
      // eslint-disable-next-line @typescript-eslint/no-this-alias -- the wrapper's own `this` is the wrapped object
      const cap = this;
      target[method] = function worldMethod(this: unknown): unknown {
        const rec = cap.recording;
        // Outside writes and replays (every GET): straight through, no array of the arguments built.
        // eslint-disable-next-line prefer-rest-params
        if (rec === null && cap.replayTape === null) return orig.apply(this, arguments as unknown as unknown[]);
        // eslint-disable-next-line prefer-rest-params
        const args = Array.prototype.slice.call(arguments) as unknown[];
        if (rec === null || cap.depth > 0) {
          cap.depth++;
          try {
            return orig.apply(this, args);
          } finally {
            cap.depth--;
          }
        }
        const step: Step = { o: name, m: method, a: encode(args) };
        rec.steps.push(step);
        cap.depth++;
        try {
          return orig.apply(this, args);
        } catch (e) {
          step.x = 1;
          throw e;
        } finally {
          cap.depth--;
        }
      };
    }
  }

  /** Makes the data properties `props` of `obj` accessors whose assignments during a write are steps. */
  registerProperties(name: string, obj: object, props: readonly string[]): void {
    if (!this.objects.has(name)) this.objects.set(name, obj as Record<string, unknown>);
    for (const p of props) {
      let value = (obj as Record<string, unknown>)[p];
      // eslint-disable-next-line @typescript-eslint/no-this-alias -- the setter's own `this` is the context
      const cap = this;
      Object.defineProperty(obj, p, {
        enumerable: true,
        configurable: true,
        get: () => value,
        set(v: unknown) {
          if (cap.recording !== null && cap.depth === 0) cap.recording.steps.push({ o: name, p, v: encode(v) });
          value = v;
        },
      });
    }
  }

  /**
   * Puts `method` of `obj` (a reader of time or randomness) on the tape: its results are recorded inside
   * recorded calls and played back inside replayed ones. `toJson` / `fromJson` convert results that are
   * not JSON (bytes).
   */
  tape(obj: object, method: string, toJson: (v: unknown) => unknown = (v) => v, fromJson: (v: unknown) => unknown = (v) => v): void {
    const target = obj as Record<string, unknown>;
    const orig = target[method] as AnyFn;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the wrapper's own `this` is the wrapped object
    const cap = this;
    target[method] = function taped(this: unknown, ...args: unknown[]): unknown {
      if (cap.depth === 0) return orig.apply(this, args);
      if (cap.replayTape !== null) {
        if (cap.tapePos < cap.replayTape.length) return fromJson(cap.replayTape[cap.tapePos++]);
        cap.mismatches++;
        return orig.apply(this, args);
      }
      const v = orig.apply(this, args);
      cap.recording?.tape.push(toJson(v));
      return v;
    };
  }

  /** Notes a change signal (store.changed and the like) of the write being recorded. */
  noteChange(): void {
    if (this.recording) this.recording.changed = true;
  }

  /** Runs `fn` (synchronously) with its world calls recorded. */
  record<T>(fn: () => T): { result: T; recording: Recording } {
    if (this.recording || this.replayTape) throw new Error('a write started inside another write or a replay');
    const recording: Recording = { steps: [], tape: [], changed: false };
    this.recording = recording;
    this.depth = 0;
    try {
      return { result: fn(), recording };
    } catch (e) {
      (e as { recording?: Recording }).recording = recording;
      throw e;
    } finally {
      this.recording = null;
    }
  }

  /**
   * Applies recorded steps (a replica following the log). Errors of steps that failed when recorded are
   * expected; any other error, or a tape left over or run out, counts as a mismatch and is returned.
   */
  apply(steps: readonly Step[], tape: readonly unknown[]): string[] {
    const problems: string[] = [];
    this.replayTape = tape as unknown[];
    this.tapePos = 0;
    this.depth = 0;
    const before = this.mismatches;
    try {
      for (const step of steps) {
        const obj = this.objects.get(step.o);
        if (!obj) {
          problems.push(`unknown world object ${step.o}`);
          continue;
        }
        if ('p' in step) {
          obj[step.p] = decode(step.v);
          continue;
        }
        const fn = obj[step.m] as AnyFn | undefined;
        if (typeof fn !== 'function') {
          problems.push(`unknown method ${step.o}.${step.m}`);
          continue;
        }
        try {
          fn.apply(obj, decode(step.a) as unknown[]);
          if (step.x) problems.push(`${step.o}.${step.m} failed when recorded but not here`);
        } catch (e) {
          if (!step.x) problems.push(`${step.o}.${step.m}: ${(e as Error).message}`);
        }
      }
      if (this.tapePos !== tape.length) problems.push(`tape: ${tape.length - this.tapePos} values left over`);
      if (this.mismatches !== before) problems.push('tape ran out');
    } finally {
      this.replayTape = null;
      this.depth = 0;
    }
    this.mismatches += problems.length > 0 && this.mismatches === before ? 1 : 0;
    return problems;
  }
}

/** Methods of an object and its prototypes (not Object's, not the constructor, not accessors). */
export function methodNames(obj: object): string[] {
  const names = new Set<string>();
  for (let o: object | null = obj; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const key of Object.getOwnPropertyNames(o)) {
      if (key === 'constructor' || names.has(key)) continue;
      const d = Object.getOwnPropertyDescriptor(o, key);
      if (d && typeof d.value === 'function') names.add(key);
    }
  }
  return [...names];
}

/** Whether a value is a registry or service (an object with methods) rather than data. */
export function hasMethods(value: unknown): value is object {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && methodNames(value).length > 0;
}
