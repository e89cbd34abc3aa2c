/** The injected clock: system, scaled by a speed factor, manual; switching never jumps back. */
import { describe, expect, it } from 'vitest';
import { createClock } from '../../src/core/clock.js';
import { parseDuration, rfc1123, isoSeconds, prefixDate } from '../../src/core/dates.js';

describe('clock', () => {
  let wall = 1_000_000;
  const tick = (ms: number) => (wall += ms);
  const options = { wall: () => wall };

  it('system follows the wall clock, scaled by speed', () => {
    const c = createClock({ ...options, start: 0, speed: 60 });
    tick(1000);
    expect(c.now()).toBe(60_000);
    expect(c.state()).toEqual({ now: '1970-01-01T00:01:00.000Z', mode: 'system', speed: 60 });
  });

  it('manual stands still until advanced or set; switching modes re-anchors at the current time', () => {
    const c = createClock({ ...options, mode: 'manual', start: 5000 });
    tick(10_000);
    expect(c.now()).toBe(5000);
    c.advanceBy(1500);
    expect(c.now()).toBe(6500);
    c.setTo(100_000);
    expect(c.now()).toBe(100_000);
    c.setMode('system', 2);
    tick(1000);
    expect(c.now()).toBe(102_000);
    c.setMode('manual');
    tick(1000);
    expect(c.now()).toBe(102_000);
    c.setMode('system');
    expect(c.speed()).toBe(1);
    expect(() => c.advanceBy(-1)).toThrow(RangeError);
    expect(() => c.setMode('system', 0)).toThrow(RangeError);
  });
});

describe('dates', () => {
  it('formats the Atlas wire dates', () => {
    const t = Date.UTC(2027, 6, 1, 3, 4, 5, 678);
    expect(isoSeconds(t)).toBe('2027-07-01T03:04:05Z');
    expect(prefixDate(t)).toBe('2027-07-01T0304');
    expect(rfc1123(t)).toBe('Thu, 1 Jul 2027 03:04:05 GMT');
  });

  it('parses durations in every accepted form', () => {
    expect(parseDuration('PT20M')).toBe(1_200_000);
    expect(parseDuration('P1DT2H')).toBe(93_600_000);
    expect(parseDuration('PT2M30S')).toBe(150_000);
    expect(parseDuration('150s')).toBe(150_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('1500')).toBe(1500);
    expect(parseDuration(42)).toBe(42);
    for (const bad of ['', 'P', 'PT', '20 minutes', '-5', 'PTXM']) expect(parseDuration(bad)).toBeNaN();
    expect(parseDuration(-1)).toBeNaN();
  });
});
