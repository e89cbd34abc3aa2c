/**
 * src/core/gc.ts: the full collection the CLI runs after building a large store really collects.
 * Judged by reachability (a WeakRef cleared), not by heap figures: `heapUsed` right after a collection
 * depends on the concurrent sweeper threads and on whatever else the worker allocates, which a busy machine
 * changes.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../../src/core/gc.js';

describe('collectGarbage', () => {
  it('runs a full collection: garbage in the old generation, which a minor collection leaves, is gone after it', async () => {
    let garbage: { i: number }[] | undefined = Array.from({ length: 10_000 }, (_, i) => ({ i }));
    const ref = new WeakRef(garbage);
    // Survives a full collection while referenced: V8 then moves it to the old generation.
    expect(collectGarbage()).toBe(true);
    expect(ref.deref()).toBe(garbage);
    garbage = undefined;
    // A WeakRef keeps its target alive until the end of the turn that created or read it (ECMA-262
    // ClearKeptObjects): collect in a later turn.
    await nextTurn();
    expect(collectGarbage()).toBe(true);
    expect(ref.deref()).toBeUndefined();
  });
});
