/**
 * src/core/gc.ts: the full collection the CLI runs after building a large store (issue 7) really collects.
 */
import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../../src/core/gc.js';

describe('collectGarbage', () => {
  it('runs a full collection: garbage left in the old generation is gone after it', () => {
    // Survives long enough to be promoted, then dropped: only a full (mark-compact) collection frees it.
    let keep: number[][] | undefined = Array.from({ length: 200_000 }, (_, i) => [i, i + 1, i + 2]);
    for (let i = 0; i < 5; i++) new Array(1_000_000).fill(i);
    expect(keep.length).toBe(200_000);
    collectGarbage();
    const before = process.memoryUsage().heapUsed;
    keep = undefined;
    expect(collectGarbage()).toBe(true);
    const after = process.memoryUsage().heapUsed;
    // 200 000 arrays of 3 numbers: well over 10 MB.
    expect(before - after).toBeGreaterThan(10 * 1024 * 1024);
  });
});
