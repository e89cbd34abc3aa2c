/**
 * The mock's only source of time. Every rule that depends on time (job lifecycle, nonce expiry, token
 * expiry, rate-limit refill, version sunset) reads `clock.now()`; nothing else in `src/` reads the wall
 * clock. One object covers the three modes the issues ask for:
 *
 * - `system`: mock time follows the wall clock (speed 1), optionally shifted by `setTo` / `advanceBy`;
 * - `system` with `speed` n: mock time runs n times faster than the wall clock (a 15-minute export in 15 s
 *   at speed 60);
 * - `manual`: mock time stands still until `advanceBy` / `setTo` moves it (deterministic tests).
 *
 * Mock time is `anchorMock + (wall - anchorWall) * speed`; switching mode or speed re-anchors at the
 * current mock time, so time never jumps backwards when a mode changes.
 */
export type ClockMode = 'system' | 'manual';

export interface ClockState {
  /** ISO-8601 mock time with milliseconds. */
  now: string;
  mode: ClockMode;
  speed: number;
}

export interface Clock {
  /** Mock time in epoch milliseconds. */
  now(): number;
  mode(): ClockMode;
  speed(): number;
  advanceBy(ms: number): void;
  setTo(epochMs: number): void;
  setMode(mode: ClockMode, speed?: number): void;
  state(): ClockState;
}

/** A wall-clock reader; injectable so that even the system clock can be driven in tests. */
export type WallClock = () => number;

const systemWall: WallClock = () => Date.now();

export interface ClockOptions {
  mode?: ClockMode;
  speed?: number;
  /** Initial mock time in epoch ms (default: the wall clock). */
  start?: number;
  wall?: WallClock;
}

export function createClock(options: ClockOptions = {}): Clock {
  const wall = options.wall ?? systemWall;
  let mode: ClockMode = options.mode ?? 'system';
  let speed = options.speed ?? 1;
  if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`clock speed must be a positive number, got ${speed}`);
  let anchorWall = wall();
  let anchorMock = options.start ?? anchorWall;

  const now = (): number => (mode === 'manual' ? anchorMock : anchorMock + Math.floor((wall() - anchorWall) * speed));
  const reanchor = (mock: number): void => {
    anchorWall = wall();
    anchorMock = mock;
  };

  return {
    now,
    mode: () => mode,
    speed: () => speed,
    advanceBy(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advanceBy needs a non-negative duration, got ${ms}`);
      reanchor(now() + ms);
    },
    setTo(epochMs) {
      if (!Number.isFinite(epochMs)) throw new RangeError('setTo needs a valid date');
      reanchor(epochMs);
    },
    setMode(next, nextSpeed) {
      const current = now();
      if (nextSpeed !== undefined) {
        if (!(nextSpeed > 0) || !Number.isFinite(nextSpeed)) throw new RangeError(`clock speed must be a positive number, got ${nextSpeed}`);
        speed = nextSpeed;
      } else if (next === 'system' && mode === 'manual') {
        speed = 1;
      }
      mode = next;
      reanchor(current);
    },
    state() {
      return { now: new Date(now()).toISOString(), mode, speed };
    },
  };
}
