/**
 * The world of a shared mock: which objects' method calls are its changes (`capture.ts`), and its whole
 * state as one JSON document (a checkpoint of the log), built from the `--state-file` document of
 * `src/state/` (so whatever round-trips through the state file is shared too) plus the fault rules and the
 * exact clock anchor.
 *
 * World objects, found rather than listed: every property of the context that has methods (`store`,
 * `nextPlans`, the services, and any registry a later feature puts there), the context's own methods
 * (`load`, `reset`), its other data properties as assignable steps (`defaultPlan`), and the two registries
 * held outside it: issued tokens (`tokens`) and fault rules (`faults`). Not world objects: `clock` (shared
 * as its anchor after each write), `random` and `ids` (on the tape), `options` (the same on every replica:
 * checked by the world's fingerprint), `baseline` (changed by `load` only) and `exportFiles` (the writer, a
 * machine of the process: its progress, `exportProgress`, is the world's; writer-lease.ts).
 */
import type { AuthService } from '../auth/service.js';
import type { ClockAnchor } from '../core/clock.js';
import { createObjectIdFactory } from '../core/objectid.js';
import type { RandomSource } from '../core/random.js';
import type { MockContext } from '../context.js';
import type { FaultRegistry, FaultsImage } from '../control/faults.js';
import { captureState, restoreState } from '../state/snapshot.js';
import type { StateFile } from '../state/schema.js';
import { Capture, hasMethods } from './capture.js';

/** Context properties that are not world objects (see above). */
export const NOT_WORLD = new Set(['options', 'clock', 'random', 'ids', 'baseline', 'exportFiles']);

export interface WorldImage {
  state: StateFile;
  faults: FaultsImage;
  clock: ClockAnchor;
}

export class World {
  readonly capture = new Capture();
  private installed = false;

  constructor(
    readonly ctx: MockContext,
    readonly auth: AuthService,
    /** Set before `install` when the control plane exists. */
    public faults: FaultRegistry,
  ) {}

  /**
   * Wraps the world objects and puts time and randomness on the tape. From now on ids and nonces come from
   * `replicaRandom` (a stream of this replica's own: two replicas never mint the same id), while the
   * start-up fixtures and `--generate` jobs, made before, are the same on every replica.
   */
  install(replicaRandom: RandomSource): void {
    if (this.installed) return;
    this.installed = true;
    const { ctx, capture } = this;
    const record = ctx as unknown as Record<string, unknown>;
    const data: string[] = [];
    for (const key of Object.keys(ctx)) {
      if (NOT_WORLD.has(key)) continue;
      const value = record[key];
      if (typeof value === 'function') continue;
      if (hasMethods(value)) capture.register(key, value);
      else data.push(key);
    }
    capture.register('ctx', ctx);
    capture.registerProperties('ctx', ctx, data);
    capture.register('tokens', this.auth.tokens);
    capture.register('faults', this.faults);

    const random = ctx.random as unknown as Record<string, unknown>;
    for (const m of ['next', 'int', 'bytes', 'string'] as const) random[m] = replicaRandom[m];
    capture.tape(ctx.random, 'next');
    capture.tape(ctx.random, 'int');
    capture.tape(ctx.random, 'string');
    capture.tape(ctx.random, 'bytes', (v) => Array.from(v as Uint8Array), (v) => Uint8Array.from(v as number[]));
    const replicaIds = createObjectIdFactory(replicaRandom);
    (ctx.ids as { next: (ms: number) => string }).next = replicaIds.next;
    capture.tape(ctx.ids, 'next');
    capture.tape(ctx.clock, 'now');
  }

  image(): WorldImage {
    return { state: captureState(this.ctx, this.auth), faults: this.faults.image(), clock: this.ctx.clock.anchor() };
  }

  /** Replaces the whole state with an image (a replica joining, or one that lost track). */
  restore(image: WorldImage): void {
    this.ctx.baseline.length = Math.min(this.ctx.baseline.length, 1);
    const plan = restoreState(this.ctx, this.auth, image.state);
    this.ctx.defaultPlan = plan;
    this.faults.restore(image.faults);
    this.ctx.clock.setAnchor(image.clock);
  }
}
