/**
 * zod schemas of the control API (`/__mock`): they validate requests (failures answer 400
 * CONTROL_INVALID_REQUEST with the JSON path) and document the API in OpenAPI under the `Mock control` tag.
 * Plans, pins, durations and dates use the validators of the fixture format, so a value that is valid in a
 * fixture file is valid here.
 */
import { z } from 'zod';
import { CATALOGUE, type ErrorCode } from '../errors/catalogue.js';
import { clusterName, duration, isoDate, objectId, pinFixture, stateReason } from '../fixtures/schema.js';
import { schemaFamily } from '../core/lazy-schema.js';
import { EXPORT_STATES, OUTCOMES, SNAPSHOT_OUTCOMES, SNAPSHOT_STATUSES } from '../store/model.js';

const ERROR_CODES = Object.keys(CATALOGUE) as [ErrorCode, ...ErrorCode[]];
const exactlyOne = (keys: readonly string[]) => (o: Record<string, unknown>) => keys.filter((k) => o[k] !== undefined).length === 1;

/** `{groupId, clusterName, plan | pin, times}`: a plan queued for the next resources created on a cluster. */
function nextPlanInputOf<A extends z.ZodType, B extends z.ZodType>(plan: A, pin: B, id: string, what: string) {
  return z
    .strictObject({
      groupId: objectId,
      clusterName,
      plan: plan.optional(),
      pin: pin.optional(),
      times: z.number().int().min(1).max(1_000_000).default(1).meta({ description: `How many of the next ${what} get this plan.` }),
    })
    .refine(exactlyOne(['plan', 'pin']), { message: 'give exactly one of plan or pin', path: ['plan'] })
    .meta({ id });
}

const nextPlansViewOf = (plan: z.ZodObject, id: string) =>
  z.object({ queues: z.array(z.object({ groupId: z.string(), clusterName: z.string(), plans: z.array(plan.extend({ remaining: z.number().int() })) })) }).meta({ id });

/**
 * The control API's schemas, built on the first control request or document (core/lazy-schema.ts: ~15 ms of
 * CPU at every start of the CLI otherwise). The ids are those the family registers, in its order.
 */
export const controlSchemas = schemaFamily(
  () => {
    const flag = z.stringbool({ truthy: ['true', '1'], falsy: ['false', '0'], case: 'insensitive' }).meta({ type: 'boolean' });

    // ---- clock --------------------------------------------------------------------------------------
    const clockStateSchema = z
      .object({ now: z.string().meta({ format: 'date-time' }), mode: z.enum(['system', 'manual']), speed: z.number() })
      .meta({ id: 'MockClockState' });

    const clockChangeSchema = z
      .strictObject({
        advanceBy: duration.optional().meta({ description: 'Moves mock time forward: milliseconds, ISO-8601 (PT20M) or 150s / 12m / 2h.' }),
        setTo: isoDate.optional().meta({ description: 'Sets mock time (it may move backwards).' }),
        mode: z.enum(['system', 'manual']).optional().meta({ description: 'manual: time only moves through this API; system: it follows the wall clock.' }),
        speed: z.number().positive().max(1_000_000).optional().meta({ description: 'With mode system: mock time runs this many times faster.' }),
      })
      .refine((c) => c.advanceBy !== undefined || c.setTo !== undefined || c.mode !== undefined || c.speed !== undefined, {
        message: 'give advanceBy, setTo, mode or speed',
      })
      .refine((c) => !(c.mode === 'manual' && c.speed !== undefined), { message: 'speed applies to mode system only', path: ['speed'] })
      .meta({ id: 'MockClockChange' });

    // ---- plans --------------------------------------------------------------------------------------
    /** A timed plan; missing fields take the current default plan's values. */
    const timedPlanInput = z
      .strictObject({
        queued: duration.optional().meta({ description: 'Time Queued (default: the default plan).' }),
        running: duration.optional().meta({ description: 'Time InProgress (default: the default plan).' }),
        outcome: z.enum(OUTCOMES).optional(),
        stateReason: stateReason.optional(),
      })
      .meta({ id: 'MockTimedPlan' });

    const finishInput = z
      .strictObject({
        outcome: z.enum(['Successful', 'Failed', 'Cancelled']),
        after: duration.default(0).meta({ description: 'Mock time from now until the job ends (default 0: now).' }),
        stateReason: stateReason.optional(),
      })
      .meta({ id: 'MockFinish', description: 'Ends a job `after` from now, keeping what it has done so far.' });

    const planView = z
      .object({
        plan: z.object({ queued: z.number(), running: z.number(), outcome: z.enum(OUTCOMES), stateReason: stateReason.optional() }).optional(),
        pin: pinFixture.optional(),
      })
      .meta({ id: 'MockPlan', description: 'A timed plan (durations in ms, from the job creation) or a pin.' });

    const defaultPlanView = z
      .object({ queued: z.number(), running: z.number(), outcome: z.enum(OUTCOMES), stateReason: stateReason.optional() })
      .meta({ id: 'MockDefaultPlan' });

    const nextPlanInput = nextPlanInputOf(timedPlanInput, pinFixture, 'MockNextPlan', 'jobs');
    const nextPlansView = nextPlansViewOf(planView, 'MockNextPlans');

    const jobPlanInput = z
      .strictObject({ plan: timedPlanInput.optional(), pin: pinFixture.optional(), finish: finishInput.optional() })
      .refine(exactlyOne(['plan', 'pin', 'finish']), { message: 'give exactly one of plan, pin or finish', path: ['plan'] })
      .meta({ id: 'MockJobPlan' });

    const exportIdParams = z.object({ exportId: objectId });

    const timelineView = z
      .object({
        exportId: z.string(),
        groupId: z.string(),
        clusterName: z.string(),
        now: z.string().meta({ format: 'date-time' }),
        state: z.enum(EXPORT_STATES),
        exportStatus: z.object({ exportedCollections: z.number().int(), totalCollections: z.number().int() }),
        plan: planView,
        timeline: z.array(
          z.object({
            state: z.enum(EXPORT_STATES),
            at: z.string().nullable().meta({ format: 'date-time', description: 'When the job enters (entered) the state; null for a pin without date.' }),
            reached: z.boolean(),
          }),
        ),
      })
      .meta({ id: 'MockTimeline' });

    // ---- snapshot plans (on-demand snapshots; one snapshot, stored or scheduled) --------------------------
    const snapshotTimedPlanInput = z
      .strictObject({
        queued: duration.optional().meta({ description: 'Time queued from the request (default: the default snapshot plan).' }),
        running: duration.optional().meta({ description: 'Time in progress (default: the default snapshot plan).' }),
        outcome: z.enum(SNAPSHOT_OUTCOMES).optional(),
      })
      .meta({ id: 'MockSnapshotTimedPlan' });

    const snapshotPinInput = z.strictObject({ status: z.enum(SNAPSHOT_STATUSES) }).meta({ id: 'MockSnapshotPin' });

    const snapshotFinishInput = z
      .strictObject({ outcome: z.enum(['completed', 'failed']), after: duration.default(0).meta({ description: 'Mock time from now until the snapshot ends (default 0: now).' }) })
      .meta({ id: 'MockSnapshotFinish' });

    const snapshotPlanView = z
      .object({
        plan: z.object({ queued: z.number(), running: z.number(), outcome: z.enum(SNAPSHOT_OUTCOMES) }).optional(),
        pin: snapshotPinInput.optional(),
      })
      .meta({ id: 'MockSnapshotPlan', description: 'A timed plan (durations in ms, from the request) or a pinned status.' });

    const defaultSnapshotPlanView = z.object({ queued: z.number(), running: z.number(), outcome: z.enum(SNAPSHOT_OUTCOMES) }).meta({ id: 'MockDefaultSnapshotPlan' });

    const nextSnapshotPlanInput = nextPlanInputOf(snapshotTimedPlanInput, snapshotPinInput, 'MockNextSnapshotPlan', 'on-demand snapshots');
    const nextSnapshotPlansView = nextPlansViewOf(snapshotPlanView, 'MockNextSnapshotPlans');

    const snapshotPlanInput = z
      .strictObject({ plan: snapshotTimedPlanInput.optional(), pin: snapshotPinInput.optional(), finish: snapshotFinishInput.optional() })
      .refine(exactlyOne(['plan', 'pin', 'finish']), { message: 'give exactly one of plan, pin or finish', path: ['plan'] })
      .meta({ id: 'MockOneSnapshotPlan' });

    const snapshotIdParams = z.object({ snapshotId: objectId });

    const snapshotTimelineView = z
      .object({
        snapshotId: z.string(),
        groupId: z.string(),
        clusterName: z.string(),
        now: z.string().meta({ format: 'date-time' }),
        status: z.enum(SNAPSHOT_STATUSES),
        scheduled: z.boolean().meta({ description: 'Taken by the backup schedule (derived until a client changes it).' }),
        plan: snapshotPlanView,
        timeline: z.array(
          z.object({
            status: z.enum(SNAPSHOT_STATUSES),
            at: z.string().nullable().meta({ format: 'date-time', description: 'When the snapshot enters (entered) the status; null for a pinned status.' }),
            reached: z.boolean(),
          }),
        ),
      })
      .meta({ id: 'MockSnapshotTimeline' });
    // ---- export files ---------------------------------------------------------------------------------
    const exportFilesView = z
      .object({
        exportId: z.string(),
        groupId: z.string(),
        clusterName: z.string(),
        state: z.enum(EXPORT_STATES),
        prefix: z.string(),
        bucket: z
          .object({ id: z.string(), name: z.string(), cloudProvider: z.string(), storage: z.enum(['folder', 's3', 'azure', 'gcs']) })
          .nullable()
          .meta({ description: 'The bucket and the storage the mock writes it to; null once the bucket was deleted.' }),
        permissionCheck: z.boolean().meta({ description: 'exported_snapshots/.permissioncheck exists in the bucket.' }),
        complete: z.boolean().meta({ description: '<prefix>/.complete exists.' }),
        files: z.array(z.object({ key: z.string(), size: z.number().int(), location: z.string().meta({ description: 'A file path, s3://…, a blob URL or gs://….' }) })),
        written: z.object({ collections: z.number().int(), files: z.number().int(), metadata: z.number().int(), complete: z.boolean(), failed: z.boolean() }),
        error: z.string().optional().meta({ description: 'Why the objects could not be listed.' }),
      })
      .meta({ id: 'MockExportFiles', description: 'The objects an export job has in its bucket, once the writes due at the mock clock are done.' });

    // ---- reset and fixtures ---------------------------------------------------------------------------
    const resetInput = z.strictObject({ groupId: objectId.optional() }).nullish().meta({ id: 'MockReset' });
    const fixturesQuery = z.object({
      groupId: objectId.optional().meta({ description: 'Everything in the dataset must belong to this project.' }),
      transient: flag.optional().meta({ description: 'true: a reset drops the data instead of restoring it.' }),
    });
    const counts = z.record(z.string(), z.number().int());

    // ---- faults -------------------------------------------------------------------------------------
    const errorSpec = z.strictObject({
      errorCode: z.enum(ERROR_CODES),
      status: z.number().int().min(400).max(599).optional().meta({ description: 'Default: the catalogue status of the code.' }),
      detail: z.string().optional().meta({ description: 'Replaces the catalogue detail text.' }),
      parameters: z.array(z.union([z.string(), z.number()])).optional(),
      retryAfter: z.number().int().min(0).max(86_400).optional().meta({ description: 'Retry-After seconds (default 60 for 429 and 503).' }),
    });

    const faultInput = z
      .strictObject({
        description: z.string().max(500).optional(),
        operation: z.string().min(1).optional().meta({ description: 'Operation alias (getBackupExport) or operationId.' }),
        groupId: objectId.optional(),
        clusterName: clusterName.optional(),
        exportId: objectId.optional(),
        method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']).optional(),
        path: z.string().startsWith('/').optional().meta({ description: 'Exact path, or a pattern where * matches anything.' }),
        after: z.number().int().min(0).optional().meta({ description: 'Matching requests let through first.' }),
        times: z.number().int().min(1).optional().meta({ description: 'Applied this many times, then removed (default: until deleted).' }),
        probability: z.number().gt(0).max(1).optional().meta({ description: 'Chance a matching request is hit, from the seeded random source.' }),
        error: z.union([z.enum(ERROR_CODES), errorSpec]).optional(),
        latency: z
          .union([
            z.number().int().min(0).max(60_000),
            z.strictObject({ min: z.number().int().min(0).max(60_000), max: z.number().int().min(0).max(60_000) }).refine((l) => l.min <= l.max, { message: 'min must not exceed max' }),
          ])
          .optional()
          .meta({ description: 'Wall-clock milliseconds, fixed or a seeded draw from [min, max].' }),
        drop: z.literal(true).optional().meta({ description: 'Destroy the connection without a response.' }),
      })
      .refine((f) => f.error !== undefined || f.latency !== undefined || f.drop !== undefined, { message: 'give an effect: error, latency or drop', path: ['error'] })
      .refine((f) => !(f.drop && f.error !== undefined), { message: 'a dropped connection sends no error', path: ['drop'] })
      .meta({ id: 'MockFaultRule' });

    const faultView = z
      .object({ id: z.string(), seen: z.number().int(), applied: z.number().int(), remaining: z.number().int().nullable() })
      .catchall(z.unknown())
      .meta({ id: 'MockFault' });
    const faultListView = z.object({ faults: z.array(faultView) }).meta({ id: 'MockFaultList' });
    const faultIdParams = z.object({ id: z.string() });
    const scopeQuery = z.object({ groupId: objectId.optional(), clusterName: clusterName.optional() });

    // ---- journal ------------------------------------------------------------------------------------
    const journalQuery = z.object({
      operation: z.string().optional(),
      groupId: z.string().optional(),
      clusterName: z.string().optional(),
      exportId: z.string().optional(),
      method: z.string().optional(),
      status: z.string().regex(/^([1-5][0-9][0-9]|[1-5]xx)$/i, 'must be a status (404) or a class (4xx)').optional(),
      principal: z.string().optional(),
      matched: flag.optional(),
      since: z.string().regex(/^\d{1,15}$/, 'must be a sequence number').transform(Number).optional().meta({ type: 'integer' }),
      limit: z.string().regex(/^\d{1,9}$/, 'must be a positive integer').transform(Number).pipe(z.number().int().min(1)).optional().meta({ type: 'integer' }),
    });

    const journalEntryView = z
      .object({
        seq: z.number().int(),
        time: z.string().meta({ format: 'date-time', description: 'Mock-clock time the request was answered.' }),
        method: z.string(),
        path: z.string(),
        query: z.string().nullable(),
        operation: z.string().nullable(),
        groupId: z.string().nullable(),
        clusterName: z.string().nullable(),
        exportId: z.string().nullable(),
        principal: z.string().nullable(),
        status: z.number().int().meta({ description: '0 when the connection was dropped.' }),
        dropped: z.boolean(),
        state: z.string().nullable().meta({ description: 'state of the export job served.' }),
        durationMs: z.number(),
        matched: z.boolean(),
        hint: z.string().nullable().meta({ description: 'Unmatched requests: the nearest known route.' }),
        fault: z.string().nullable(),
      })
      .meta({ id: 'MockJournalEntry' });

    const journalListView = z
      .object({ requests: z.array(journalEntryView), size: z.number().int(), capacity: z.number().int() })
      .meta({ id: 'MockJournal' });

    // ---- health -------------------------------------------------------------------------------------
    const storeHealthView = z
      .object({
        engine: z.enum(['memory', 'redis']),
        healthy: z.boolean(),
        url: z.string().optional().meta({ description: 'Redis URL, password hidden.' }),
        prefix: z.string().optional().meta({ description: 'Name of the world in Redis (--store-prefix).' }),
        replica: z.number().int().optional().meta({ description: 'Number of this replica in the world.' }),
        applied: z.number().int().optional().meta({ description: 'Log entries this replica applied.' }),
        problem: z.string().nullable().optional().meta({ description: 'Why the store is unhealthy.' }),
        exportWriter: z.boolean().optional().meta({ description: "This replica writes the world's export files now (it holds the writer's lease)." }),
      })
      .meta({ id: 'MockStoreHealth' });

    const healthView = z
      .object({
        status: z.enum(['ok', 'unavailable']).meta({ description: '`unavailable` (HTTP 503): a shared mock whose Redis does not answer.' }),
        version: z.string(),
        clock: clockStateSchema,
        counts,
        faults: z.number().int(),
        nextPlans: z.number().int(),
        journal: z.object({ size: z.number().int(), capacity: z.number().int() }),
        store: storeHealthView,
      })
      .meta({ id: 'MockHealth' });

    const resetView = z.object({ reset: z.string(), counts }).meta({ id: 'MockResetResult' });
    const loadedView = z.object({ loaded: counts, groupId: z.string().nullable(), transient: z.boolean() }).meta({ id: 'MockFixturesLoaded' });
    const deletedView = z.object({ deleted: z.number().int() });
    /** DELETE /faults and /requests: scoped to a project only. */
    const scopeGroupQuery = scopeQuery.pick({ groupId: true });

    return {
      clockStateSchema,
      clockChangeSchema,
      timedPlanInput,
      finishInput,
      planView,
      defaultPlanView,
      nextPlanInput,
      nextPlansView,
      jobPlanInput,
      exportIdParams,
      timelineView,
      snapshotTimedPlanInput,
      snapshotPinInput,
      snapshotFinishInput,
      snapshotPlanView,
      defaultSnapshotPlanView,
      nextSnapshotPlanInput,
      nextSnapshotPlansView,
      snapshotPlanInput,
      snapshotIdParams,
      snapshotTimelineView,
      exportFilesView,
      resetInput,
      fixturesQuery,
      faultInput,
      faultView,
      faultListView,
      faultIdParams,
      scopeQuery,
      scopeGroupQuery,
      journalQuery,
      journalEntryView,
      journalListView,
      storeHealthView,
      healthView,
      resetView,
      loadedView,
      deletedView,
    };
  },
  [
    'MockClockState',
    'MockClockChange',
    'MockTimedPlan',
    'MockFinish',
    'MockPlan',
    'MockDefaultPlan',
    'MockNextPlan',
    'MockNextPlans',
    'MockJobPlan',
    'MockTimeline',
    'MockSnapshotTimedPlan',
    'MockSnapshotPin',
    'MockSnapshotFinish',
    'MockSnapshotPlan',
    'MockDefaultSnapshotPlan',
    'MockNextSnapshotPlan',
    'MockNextSnapshotPlans',
    'MockOneSnapshotPlan',
    'MockSnapshotTimeline',
    'MockExportFiles',
    'MockReset',
    'MockFaultRule',
    'MockFault',
    'MockFaultList',
    'MockJournalEntry',
    'MockJournal',
    'MockStoreHealth',
    'MockHealth',
    'MockResetResult',
    'MockFixturesLoaded',
  ],
);
export type ControlSchemas = ReturnType<typeof controlSchemas>;

export type ClockChange = z.output<ControlSchemas['clockChangeSchema']>;
export type TimedPlanInput = z.output<ControlSchemas['timedPlanInput']>;
export type JobPlanInput = z.output<ControlSchemas['jobPlanInput']>;
export type NextPlanInput = z.output<ControlSchemas['nextPlanInput']>;
export type FaultInput = z.output<ControlSchemas['faultInput']>;
export type SnapshotTimedPlanInput = z.output<ControlSchemas['snapshotTimedPlanInput']>;
export type NextSnapshotPlanInput = z.output<ControlSchemas['nextSnapshotPlanInput']>;
export type SnapshotPlanInput = z.output<ControlSchemas['snapshotPlanInput']>;
export type JournalQueryInput = z.output<ControlSchemas['journalQuery']>;
