/**
 * The `--state-file` format, version 1, validated with zod at start-up: a file that does not parse or does
 * not match is refused whole (the mock does not start and the file is left as it is).
 *
 *   { format: "atlas-export-mock/state", version: 1, savedAt, clock, idCounter, defaultPlan, nextPlans,
 *     data, baseline, tokens }
 *
 * - `data`: everything in the store, in the fixture format (`fixtures/schema.ts`): the same validation and
 *   reference checks as fixture files; jobs keep their ids, plans (durations in ms) or pins.
 * - `baseline`: datasets added with `POST /__mock/fixtures` (not transient): a reset after a restart goes
 *   back to the start-up fixtures plus these, as before the restart.
 * - `clock`: mode, speed, mock time and the wall time it was taken at (a system clock goes on as if the mock
 *   had never stopped).
 * - `idCounter`: the ObjectId counter, so ids made after a restart never repeat one made before.
 * - `defaultPlan`, `nextPlans`, `defaultSnapshotPlan`, `nextSnapshotPlans`: the control API's plans.
 * - backup schedules with their earlier periods, scheduled snapshots and auto-export jobs a client changed:
 *   in `data` (`backupSchedules[].history`, `snapshots[]` with `scheduled`, `autoExportJobPlans`).
 * - `tokens`: live service-account tokens (revoked ones are simply absent): clients keep their tokens.
 * - `exportFiles`: the export-files writer's progress and horizon, so a restart writes nothing twice.
 * Not kept [I]: Digest nonces (clients get a new challenge, `stale=true`, and answer it by themselves),
 * rate-limit buckets (full again), fault rules and the request journal (a test sets them up again).
 */
import { z } from 'zod';
import { schemaFamily } from '../core/lazy-schema.js';
import { fixtureSchemas, stateReason } from '../fixtures/schema.js';

const datasetSchema = () => fixtureSchemas().datasetSchema;
import { EXPORT_STATES, OUTCOMES, SNAPSHOT_OUTCOMES, SNAPSHOT_STATUSES } from '../store/model.js';

export const STATE_FORMAT = 'atlas-export-mock/state';
export const STATE_VERSION = 1;

/** The state file's schema, built when a state file is first read (core/lazy-schema.ts). */
export const stateSchemas = schemaFamily(() => {
  const ms = z.number().int();
  const nonNegativeMs = z.number().int().min(0);

  const timedPlanState = z.strictObject({
    kind: z.literal('timed'),
    queuedMs: nonNegativeMs,
    runningMs: nonNegativeMs,
    outcome: z.enum(OUTCOMES),
    stateReason: stateReason.optional(),
  });

  const pinnedPlanState = z.strictObject({
    kind: z.literal('pinned'),
    state: z.enum(EXPORT_STATES),
    exportedCollections: z.number().int().min(0).optional(),
    finishedAt: ms.optional(),
    stateReason: stateReason.optional(),
  });

  const jobPlanState = z.discriminatedUnion('kind', [timedPlanState, pinnedPlanState]);

  const snapshotTimedPlanState = z.strictObject({ kind: z.literal('timed'), queuedMs: nonNegativeMs, runningMs: nonNegativeMs, outcome: z.enum(SNAPSHOT_OUTCOMES) });
  const snapshotPlanState = z.discriminatedUnion('kind', [snapshotTimedPlanState, z.strictObject({ kind: z.literal('pinned'), status: z.enum(SNAPSHOT_STATUSES) })]);

  const stateFileSchema = z.strictObject({
    format: z.literal(STATE_FORMAT),
    version: z.literal(STATE_VERSION),
    savedAt: z.string(),
    clock: z.strictObject({ mode: z.enum(['system', 'manual']), speed: z.number().positive(), now: ms, wall: ms }),
    idCounter: z.number().int().min(0).max(0xffffff),
    defaultPlan: timedPlanState,
    nextPlans: z.array(
      z.strictObject({
        groupId: z.string(),
        clusterName: z.string(),
        plans: z.array(z.strictObject({ plan: jobPlanState, remaining: z.number().int().min(1) })),
      }),
    ),
    /** The control API's snapshot plans (absent in files of earlier builds: the defaults then). */
    defaultSnapshotPlan: snapshotTimedPlanState.optional(),
    nextSnapshotPlans: z
      .array(z.strictObject({ groupId: z.string(), clusterName: z.string(), plans: z.array(z.strictObject({ plan: snapshotPlanState, remaining: z.number().int().min(1) })) }))
      .optional(),
    data: datasetSchema(),
    baseline: z.array(datasetSchema()),
    tokens: z.strictObject({
      minted: z.number().int().min(0),
      live: z.array(z.strictObject({ token: z.string().min(1), clientId: z.string().min(1), expiresAt: ms })),
    }),
    /** What the export-files writer has written (src/export-files/progress.ts); absent in files of earlier versions. */
    exportFiles: z
      .strictObject({
        horizon: ms.nullable(),
        jobs: z.record(
          z.string(),
          z.strictObject({
            permission: z.boolean(),
            collections: z.number().int().min(0),
            parts: z.number().int().min(0),
            metadata: z.number().int().min(0),
            files: z.number().int().min(0),
            complete: z.boolean(),
            failed: z.boolean(),
          }),
        ),
        buckets: z.array(z.string()),
      })
      .optional(),
  });

  return { timedPlanState, pinnedPlanState, jobPlanState, stateFileSchema };
});

export type StateFile = z.output<ReturnType<typeof stateSchemas>['stateFileSchema']>;
