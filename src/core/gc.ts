/**
 * One full garbage collection, on demand: for the CLI process after building a large store (src/server.ts),
 * and after each large export file (src/export-files/writer.ts: a long export's garbage). Building a large store
 * (`--generate 1000000`, a big state file) leaves tens of MiB of garbage behind: the Map and the per-cluster
 * lists grow by doubling, and each growth drops the old table. Left alone, V8 collects it later, when the
 * process first turns idle (its "memory reducer"): a mark-compact of the whole heap, ~1.5 s of CPU for a
 * million jobs (`--trace-gc`), paid by whichever requests come next (GET throughput with 1M jobs
 * within 10 % of the default store). Collected before listening, it costs start-up instead.
 *
 * `--expose-gc` set at run time and `gc` taken from a fresh context: the pattern Jest uses for
 * `--logHeapUsage`; it changes nothing else (the flag only installs the `gc` function in new contexts).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export function collectGarbage(): boolean {
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    if (typeof gc !== 'function') return false;
    (gc as () => void)();
    return true;
  } catch {
    return false;
  }
}
