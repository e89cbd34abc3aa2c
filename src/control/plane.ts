/**
 * The control plane's state beside the mock context: fault rules, the request journal, and the default
 * plan of start-up (what a full reset restores). One per app instance (`app.control`).
 */
import type { MockContext } from '../context.js';
import type { SnapshotTimedPlan, TimedPlan } from '../store/model.js';
import { FaultRegistry } from './faults.js';
import { DEFAULT_JOURNAL_SIZE, Journal } from './journal.js';
import type { SharedJournal } from '../replication/shared.js';
import type { RedisEngine } from '../replication/engine.js';
import { memoryEngine, type StoreEngine } from '../store/engine.js';

export interface ControlPlane {
  readonly ctx: MockContext;
  readonly faults: FaultRegistry;
  /** null when the journal is off (`--journal-size 0`); in Redis with a shared mock. */
  readonly journal: Journal | SharedJournal | null;
  /** Where the world lives (health); `shared` when it is Redis. */
  readonly engine: StoreEngine;
  readonly shared: RedisEngine | undefined;
  readonly initialDefaultPlan: TimedPlan;
  readonly initialDefaultSnapshotPlan: SnapshotTimedPlan;
  readonly version: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The control plane of this instance (faults, journal). */
    control: ControlPlane;
  }
}

export function createControlPlane(ctx: MockContext, opts: { version: string; hint?: (path: string) => string | undefined; shared?: RedisEngine | undefined }): ControlPlane {
  const size = ctx.options.journalSize ?? DEFAULT_JOURNAL_SIZE;
  return {
    ctx,
    faults: new FaultRegistry(ctx.random, ctx.options.maxFaultRules),
    journal: opts.shared ? opts.shared.journal : size > 0 ? new Journal(size, opts.hint) : null,
    engine: opts.shared ?? memoryEngine,
    shared: opts.shared,
    initialDefaultPlan: ctx.defaultPlan,
    initialDefaultSnapshotPlan: ctx.defaultSnapshotPlan,
    version: opts.version,
  };
}
