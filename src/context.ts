/**
 * Everything one app instance owns: options, clock, random source, store, the loaded fixtures (the
 * baseline a reset returns to) and the services. Handlers and plugins reach it through `app.mock`.
 */
import type { Clock } from './core/clock.js';
import type { RandomSource } from './core/random.js';
import { createObjectIdFactory, type ObjectIdFactory } from './core/objectid.js';
import { applyDataset, datasetForProject, recordsOf, type DatasetRecords } from './fixtures/apply.js';
import { DATASET_KEYS, type Dataset } from './fixtures/schema.js';
import { generateJobs } from './fixtures/generate.js';
import { Store } from './store/store.js';
import type { ExportJob, JobPlan, SnapshotPlan, SnapshotTimedPlan, TimedPlan } from './store/model.js';
import { defaultTimedPlan } from './exports/lifecycle.js';
import { createExportService, type ExportService } from './exports/service.js';
import { createBucketService, type BucketService } from './buckets/service.js';
import { createSnapshotService, type SnapshotService } from './snapshots/service.js';
import { createAccessService, type AccessService } from './access/service.js';
import { NextPlans } from './exports/plans.js';
import { NextPlans as GenericNextPlans } from './core/next-plans.js';
import { defaultSnapshotPlan } from './snapshots/lifecycle.js';
import { createScheduleService, type ScheduleService } from './schedules/service.js';
import { createAutoExports, type AutoExports } from './exports/auto.js';
import type { AppOptions } from './options.js';
import { ExportProgress } from './export-files/progress.js';
import type { ExportFilesWriter } from './export-files/writer.js';

export interface MockContext {
  readonly options: AppOptions;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly ids: ObjectIdFactory;
  readonly store: Store;
  /** The fixtures loaded at start (plus `POST /__mock/fixtures` additions): what a reset returns to. */
  readonly baseline: Dataset[];
  /** Plan given to newly created jobs (replace it, never mutate it: jobs loaded without a plan share it). */
  defaultPlan: TimedPlan;
  /** Plans queued per cluster for the next jobs created there (`exports/plans.ts` planFor; control API). */
  readonly nextPlans: NextPlans;
  /** Plan given to snapshots taken on demand (replace it, never mutate it). */
  defaultSnapshotPlan: SnapshotTimedPlan;
  /** Plans queued per cluster for the next on-demand snapshots taken there (control API). */
  readonly nextSnapshotPlans: GenericNextPlans<SnapshotPlan>;
  readonly exports: ExportService;
  readonly buckets: BucketService;
  readonly snapshots: SnapshotService;
  /** Cloud provider access roles (what export buckets name). */
  readonly access: AccessService;
  readonly schedules: ScheduleService;
  /** Auto-export jobs derived from backup schedules (`exports/auto.ts`). */
  readonly autoExports: AutoExports;
  /** Adds a dataset (validated) to the store and, unless `transient`, to the baseline. */
  load(dataset: Dataset, opts?: { transient?: boolean }): void;
  /** Back to the baseline: everything, or only one project (other projects are not touched). */
  reset(groupId?: string): void;
  /**
   * As `createContext` left it, at the clock's time now: the start's dataset only (what `fixtures.load`
   * added goes), the start's plans, no next-plan, nothing written, the ids drawn again from where they were
   * (`startAtlasMock` reuses the app of a closed mock for the next one: `testing/pool.ts`).
   */
  renew(): void;
  /** Subsystems with state of their own (rate-limit buckets, …) are told of every reset. */
  onReset(listener: (groupId?: string) => void): void;
  /** What the export-files writer has written (src/export-files/progress.ts; kept by the state file). */
  readonly exportProgress: ExportProgress;
  /**
   * Whether a job is one of the `--generate` jobs: load-test data the export-files writer leaves alone (a
   * million of them would write millions of files). By id, so a job restored from the state file counts.
   */
  isGenerated(job: Pick<ExportJob, 'id' | 'createdAt'>): boolean;
  /** The export-files writer, when the mock writes export files (`options.exportFiles`; set by buildApp). */
  exportFiles: ExportFilesWriter | undefined;
}

export function createContext(options: AppOptions, dataset: Dataset, clock: Clock, random: RandomSource): MockContext {
  const store = new Store();
  const ids = createObjectIdFactory(random);
  const startCounter = ids.counter();
  const defaultPlan: TimedPlan = { ...defaultTimedPlan(), ...definedPlan(options) };
  const startSnapshotPlan = defaultSnapshotPlan();
  // `--generate` jobs go into the store as they are (a copy each doubled the objects of a
  // million-job store, ~120 B per job, and slowed every garbage collection of the young generation).
  // Of a job, only the plan is ever edited in place (control API), so a reset puts the plan back.
  let generated: ExportJob[] = [];
  let generatedPlans: JobPlan[] = [];
  const addGenerated = (groupId?: string): void => {
    for (let i = 0; i < generated.length; i++) {
      const j = generated[i]!;
      if (groupId !== undefined && j.groupId !== groupId) continue;
      j.plan = generatedPlans[i]!;
      store.addJob(j);
    }
  };
  const resetListeners: ((groupId?: string) => void)[] = [];
  /**
   * The baseline datasets a full reset applied, in order, all of whose references held: applied again in the
   * same order to an empty store they hold again, so a full reset checks only what is new (the reference
   * checks were 40 % of a reset of the default dataset).
   */
  const checkedBaseline: Dataset[] = [];
  /**
   * The store records of each baseline dataset, built once (`recordsOf`): a full reset puts the same
   * records back. By the dataset object: a baseline dataset is never edited (a load adds a new one).
   */
  const records = new WeakMap<Dataset, DatasetRecords>();
  const baselineRecordsOf = (ds: Dataset): DatasetRecords => {
    let r = records.get(ds);
    if (r === undefined) records.set(ds, (r = recordsOf(ds)));
    return r;
  };
  const ctx: MockContext = {
    options,
    clock,
    random,
    ids,
    store,
    baseline: [],
    defaultPlan,
    nextPlans: new NextPlans(),
    defaultSnapshotPlan: startSnapshotPlan,
    nextSnapshotPlans: new GenericNextPlans<SnapshotPlan>(),
    exports: undefined as unknown as ExportService,
    buckets: undefined as unknown as BucketService,
    snapshots: undefined as unknown as SnapshotService,
    access: undefined as unknown as AccessService,
    schedules: undefined as unknown as ScheduleService,
    autoExports: createAutoExports(store, clock),
    load(ds, opts = {}) {
      applyDataset(ds, store, { now: clock.now(), ids, defaultPlan: ctx.defaultPlan }, false, opts.transient ? recordsOf : baselineRecordsOf);
      if (!opts.transient) ctx.baseline.push(ds);
    },
    reset(groupId) {
      if (groupId === undefined) {
        store.clear();
        let same = true;
        ctx.baseline.forEach((ds, i) => {
          same &&= checkedBaseline[i] === ds;
          applyDataset(ds, store, { now: clock.now(), ids, defaultPlan: ctx.defaultPlan }, same, baselineRecordsOf);
          checkedBaseline[i] = ds;
        });
        checkedBaseline.length = ctx.baseline.length;
        addGenerated();
      } else {
        store.removeProject(groupId);
        for (const ds of ctx.baseline) {
          const part = datasetForProject(ds, groupId);
          if (DATASET_KEYS.some((k) => part[k].length > 0)) applyDataset(part, store, { now: clock.now(), ids, defaultPlan: ctx.defaultPlan });
        }
        addGenerated(groupId);
      }
      for (const l of resetListeners) l(groupId);
      store.changed();
    },
    onReset(listener) {
      resetListeners.push(listener);
    },
    renew() {
      ctx.baseline.length = 1;
      ctx.defaultPlan = defaultPlan;
      ctx.defaultSnapshotPlan = startSnapshotPlan;
      ctx.nextPlans.clear();
      ctx.nextSnapshotPlans.clear();
      ctx.exportProgress.restore({ horizon: null, jobs: {}, buckets: [] });
      ids.setCounter(startCounter);
      ctx.reset();
    },
    exportProgress: new ExportProgress(),
    exportFiles: undefined,
    isGenerated(job) {
      // `generated` is sorted by createdAt: a binary search to the first job of that second, then its ids.
      let lo = 0;
      let hi = generated.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (generated[mid]!.createdAt < job.createdAt) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < generated.length && generated[i]!.createdAt === job.createdAt; i++) if (generated[i]!.id === job.id) return true;
      return false;
    },
  };
  const services = ctx as { exports: ExportService; buckets: BucketService; snapshots: SnapshotService; access: AccessService; schedules: ScheduleService };
  services.schedules = createScheduleService(ctx);
  services.snapshots = createSnapshotService(ctx);
  services.access = createAccessService(ctx);
  services.buckets = createBucketService(ctx);
  services.exports = createExportService(ctx);
  ctx.load(dataset);
  if (options.generate) {
    generated = generateJobs(ctx, options.generate);
    generatedPlans = generated.map((j) => j.plan);
    addGenerated();
  }
  return ctx;
}

function definedPlan(options: AppOptions): Partial<TimedPlan> {
  const p = options.plan ?? {};
  return {
    ...(p.queuedMs !== undefined && { queuedMs: p.queuedMs }),
    ...(p.runningMs !== undefined && { runningMs: p.runningMs }),
    ...(p.outcome !== undefined && { outcome: p.outcome }),
    ...(p.stateReason !== undefined && { stateReason: p.stateReason }),
  };
}
