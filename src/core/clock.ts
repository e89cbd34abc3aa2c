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

/**
 * What a restart needs to go on with the same time (`--state-file`): mode, speed, the mock time and the wall
 * time it was taken at. A system clock goes on as if the mock had never stopped; a manual one stands where it was.
 */
export interface ClockImage {
  mode: ClockMode;
  speed: number;
  now: number;
  wall: number;
}

/**
 * The exact state of a clock: mode, speed and the anchor that maps wall time to mock time
 * (`mock = anchorMock + (wall - anchorWall) * speed`, or `anchorMock` in manual mode). Replicas of one
 * shared mock (`--store redis://…`) hold the same anchor, so that they compute the same time at the same
 * wall moment (their wall clocks agreeing, as NTP keeps them).
 */
export interface ClockAnchor {
  mode: ClockMode;
  speed: number;
  anchorMock: number;
  anchorWall: number;
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
  image(): ClockImage;
  /** Continues from an image: system time advanced by the wall time since (times speed), manual as it was. */
  restore(image: ClockImage): void;
  /** Told after every change made through this interface (a system clock's own progress is no change). */
  onChange(listener: () => void): void;
  anchor(): ClockAnchor;
  /** Takes another clock's anchor as it is (a replica following the shared clock). */
  setAnchor(anchor: ClockAnchor): void;
}

/** A wall-clock reader; injectable so that even the system clock can be driven in tests. */
export type WallClock = () => number;

const systemWall: WallClock = () => Date.now();

/**
 * Mock time stays where ObjectIds can carry it (their 4-byte timestamp: 1970-01-01 to 2106-02-07T06:28:15Z),
 * so that every id's time is its resource's `createdAt` and every date prints as ISO-8601 [I]. Moving the
 * clock outside is refused (RangeError → 400 on the control API; found by the property fuzz, which pushed
 * time past what `Date` can print and got 500s); a fast system clock stops at the end.
 */
export const MIN_MOCK_TIME = 0;
export const MAX_MOCK_TIME = 2 ** 32 * 1000 - 1;

function checkRange(ms: number, what: string): number {
  if (!(ms >= MIN_MOCK_TIME && ms <= MAX_MOCK_TIME)) {
    throw new RangeError(`${what} would put mock time at ${Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : ms}, outside 1970-01-01T00:00:00Z to 2106-02-07T06:28:15Z (ObjectId timestamps)`);
  }
  return ms;
}

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
  let anchorMock = checkRange(options.start ?? anchorWall, 'the start time');

  const now = (): number => (mode === 'manual' ? anchorMock : Math.min(MAX_MOCK_TIME, anchorMock + Math.floor((wall() - anchorWall) * speed)));
  const listeners: (() => void)[] = [];
  const reanchor = (mock: number): void => {
    anchorWall = wall();
    anchorMock = mock;
    for (const l of listeners) l();
  };

  return {
    now,
    mode: () => mode,
    speed: () => speed,
    advanceBy(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advanceBy needs a non-negative duration, got ${ms}`);
      reanchor(checkRange(now() + ms, `advanceBy ${ms} ms`));
    },
    setTo(epochMs) {
      if (!Number.isFinite(epochMs)) throw new RangeError('setTo needs a valid date');
      reanchor(checkRange(epochMs, 'setTo'));
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
    image() {
      return { mode, speed, now: now(), wall: wall() };
    },
    restore(image) {
      if (!(image.speed > 0) || !Number.isFinite(image.speed)) throw new RangeError(`clock speed must be a positive number, got ${image.speed}`);
      mode = image.mode;
      speed = image.speed;
      const elapsed = Math.max(0, wall() - image.wall);
      reanchor(checkRange(mode === 'manual' ? image.now : Math.min(MAX_MOCK_TIME, image.now + Math.floor(elapsed * speed)), 'the saved clock'));
    },
    onChange(listener) {
      listeners.push(listener);
    },
    anchor() {
      return { mode, speed, anchorMock, anchorWall };
    },
    setAnchor(a) {
      if (!(a.speed > 0) || !Number.isFinite(a.speed)) throw new RangeError(`clock speed must be a positive number, got ${a.speed}`);
      mode = a.mode;
      speed = a.speed;
      anchorMock = checkRange(a.anchorMock, 'the shared clock');
      anchorWall = a.anchorWall;
      for (const l of listeners) l();
    },
  };
}
