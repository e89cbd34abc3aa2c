/**
 * The generic capture of world changes a shared mock replicates (src/replication/capture.ts, world.ts):
 * steps recorded at depth 0 only, a tape of time and randomness played back, JSON arguments only — and a
 * whole operation recorded on one app and applied to another gives the same state, ids included.
 */
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { createClock } from '../../src/core/clock.js';
import { createRandom } from '../../src/core/random.js';
import { Capture, NonJsonArgument } from '../../src/replication/capture.js';
import { World } from '../../src/replication/world.js';
import { IDS, T0 } from '../helpers/mock.js';

class Counter {
  value = 0;
  constructor(private readonly clock: { now(): number }) {}
  add(n: number): number {
    this.value += n;
    return this.value;
  }
  stamp(): number {
    this.value = this.clock.now();
    return this.value;
  }
  twice(n: number): number {
    this.add(n);
    return this.add(n);
  }
  reset(to?: number): void {
    this.value = to ?? -1;
  }
}

function pair() {
  const make = (start: number) => {
    const cap = new Capture();
    const clock = createClock({ mode: 'manual', start });
    const counter = new Counter(clock);
    cap.register('counter', counter);
    cap.tape(clock, 'now');
    return { cap, clock, counter };
  };
  return { a: make(T0), b: make(T0 + 99_000) };
}

describe('capture', () => {
  it('records calls made from outside the world only, and applies them elsewhere', () => {
    const { a, b } = pair();
    const { recording } = a.cap.record(() => a.counter.twice(2));
    expect(recording.steps).toEqual([{ o: 'counter', m: 'twice', a: '[2]' }]);
    expect(b.cap.apply(recording.steps, recording.tape)).toEqual([]);
    expect(b.counter.value).toBe(4);
  });

  it('plays the tape back: a time read inside a recorded call is the recording replica’s', () => {
    const { a, b } = pair();
    const { recording } = a.cap.record(() => a.counter.stamp());
    expect(recording.tape).toEqual([T0]);
    b.cap.apply(recording.steps, recording.tape);
    expect(b.counter.value).toBe(T0);
  });

  it('keeps undefined arguments (reset(undefined) is not reset(null))', () => {
    const { a, b } = pair();
    b.counter.value = 5;
    const { recording } = a.cap.record(() => a.counter.reset(undefined));
    b.cap.apply(recording.steps, recording.tape);
    expect(b.counter.value).toBe(-1);
  });

  it('refuses arguments that are not plain JSON', () => {
    const { a } = pair();
    expect(() => a.cap.record(() => a.counter.add(new Map() as unknown as number))).toThrow(NonJsonArgument);
  });

  it('costs nothing outside a write: calls go straight through', () => {
    const { a } = pair();
    expect(a.counter.add(3)).toBe(3);
    expect(a.cap.recordingNow).toBe(false);
  });
});

describe('world', () => {
  it('an export created on one app and applied to another gives the same job, id included', async () => {
    const apps = [0, 1].map(() => buildApp({}, { clock: createClock({ mode: 'manual', start: T0 }), random: createRandom(1) }));
    await Promise.all(apps.map((app) => app.ready()));
    const worlds = apps.map((app, i) => {
      const w = new World(app.mock, app.atlasAuth, app.control.faults);
      // Each replica its own stream: ids would differ without the tape.
      w.install(createRandom(100 + i));
      return w;
    });
    const { result, recording } = worlds[0]!.capture.record(() => apps[0]!.mock.exports.create(IDS.group, 'Cluster0', { snapshotId: IDS.snapshotReady, exportBucketId: IDS.bucket }));
    expect(recording.steps.map((s) => ('m' in s ? `${s.o}.${s.m}` : s.o))).toEqual(['exports.create']);
    expect(worlds[1]!.capture.apply(recording.steps, recording.tape)).toEqual([]);
    const copy = apps[1]!.mock.store.job(result.id);
    expect(copy?.id).toBe(result.id);
    expect(copy).toEqual(apps[0]!.mock.store.job(result.id));
    // And the next id each mints by itself differs (per-replica streams).
    expect(apps[0]!.mock.ids.next(T0)).not.toBe(apps[1]!.mock.ids.next(T0));
    await Promise.all(apps.map((app) => app.close()));
  });

  it('an assignment of a context property is a step', async () => {
    const app = buildApp({}, { clock: createClock({ mode: 'manual', start: T0 }), random: createRandom(1) });
    await app.ready();
    const w = new World(app.mock, app.atlasAuth, app.control.faults);
    w.install(createRandom(7));
    const plan = { ...app.mock.defaultPlan, outcome: 'Failed' as const };
    const { recording } = w.capture.record(() => (app.mock.defaultPlan = plan));
    expect(recording.steps).toEqual([{ o: 'ctx', p: 'defaultPlan', v: JSON.stringify(plan) }]);
    await app.close();
  });
});
