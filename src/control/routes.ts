/**
 * The control API as a table (all under the reserved prefix `/__mock`, never under `/api`; JSON in and out;
 * OpenAPI tag `Mock control`, left out of the Atlas document):
 *
 *   GET    /health                         health (open to all: container health checks)
 *   POST   /reset                          reset everything, or {groupId} one project
 *   POST   /fixtures[?groupId&transient]   load a dataset (fixture-file format)
 *   GET    /clock   POST /clock            clock state; advanceBy / setTo / mode / speed (answers once the
 *                                          export files the new time implies are written)
 *   GET    /plans/default  PUT             default plan of created jobs
 *   GET    /plans/next  POST  DELETE       plans queued for the next jobs created on a cluster
 *   PUT|POST /exports/{exportId}/plan      one job's plan: plan / pin / finish
 *   GET    /exports/{exportId}/timeline    each state with when it was or will be entered (auto-export jobs too)
 *   GET    /snapshots/plans/default  PUT   default plan of on-demand snapshots
 *   GET    /snapshots/plans/next  POST  DELETE   plans queued for the next on-demand snapshots of a cluster
 *   PUT|POST /snapshots/{snapshotId}/plan  one snapshot's plan: plan / pin / finish (scheduled ones too)
 *   GET    /snapshots/{snapshotId}/timeline  each status with when it was or will be entered
 *   GET    /exports/{exportId}/files       the objects the job wrote to its bucket (export files)
 *   GET    /faults  POST  DELETE           fault rules (DELETE ?groupId= scoped)
 *   DELETE /faults/{id}                    one fault rule
 *   GET    /requests  DELETE               request journal (query: operation, groupId, clusterName,
 *                                          exportId, method, status, principal, matched, since, limit)
 */
import type { z } from 'zod';
import { lazyFields, type LazySchema } from '../core/lazy-schema.js';
import { fixtureSchemas } from '../fixtures/schema.js';
import { apiErrorSchema } from '../http/schemas.js';
import type { ControlHandlers } from './handlers.js';
import { controlSchemas } from './schemas.js';

/** The schemas of the routes: stand-ins, built at a route's first request or the document (core/lazy-schema.ts). */
const s = lazyFields(controlSchemas);
const fixtures = lazyFields(fixtureSchemas);

export const CONTROL_PREFIX = '/__mock';

export interface ControlRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | ('GET' | 'POST' | 'PUT' | 'DELETE')[];
  url: string;
  operationId: string;
  summary: string;
  description?: string;
  public?: boolean;
  params?: LazySchema;
  querystring?: LazySchema;
  body?: LazySchema;
  /** Error statuses of this route only, besides CONTROL_ERROR_RESPONSES. */
  extraErrors?: Record<number, { description: string; content: { 'application/json': { schema: z.ZodType | LazySchema } } }>;
  /** Success status and body schema (none for 204). */
  success: [200 | 201 | 204, LazySchema | null];
  handler: (...args: any[]) => unknown;
}

const error = (description: string) => ({ description, content: { 'application/json': { schema: apiErrorSchema } } });
export const CONTROL_ERROR_RESPONSES = {
  400: error('CONTROL_INVALID_REQUEST (the JSON path of each problem in badRequestDetail.fields) or MALFORMED_JSON.'),
  401: error('CONTROL_UNAUTHORIZED: the admin token is set and missing or wrong.'),
  403: error('CONTROL_FORBIDDEN: no admin token, client not on loopback, --allow-remote-control not given.'),
  404: error('CONTROL_NOT_FOUND.'),
} as const;

export function controlRoutes(h: ControlHandlers): ControlRoute[] {
  return [
    {
      method: 'GET',
      url: '/health',
      operationId: 'mockHealth',
      summary: 'Health, version, clock and store counts',
      description: 'A shared mock (--store redis://…) answers 503 with status `unavailable` while its Redis does not answer.',
      public: true,
      extraErrors: { 503: { description: 'Unhealthy: the store (Redis) does not answer.', content: { 'application/json': { schema: s.healthView } } } },
      success: [200, s.healthView],
      handler: h.health,
    },
    {
      method: 'POST',
      url: '/reset',
      operationId: 'mockReset',
      summary: 'Back to the loaded fixtures (all, or one project)',
      description: 'Full reset: the store, fault rules, next-plans, journal and default plan. With {groupId}: that project only. The clock does not move.',
      body: s.resetInput,
      success: [200, s.resetView],
      handler: h.reset,
    },
    {
      method: 'POST',
      url: '/fixtures',
      operationId: 'mockLoadFixtures',
      summary: 'Load a dataset (the fixture-file format)',
      description: 'Validated like fixture files. groupId: everything must belong to that project. transient=true: a reset drops it.',
      querystring: s.fixturesQuery,
      body: fixtures.datasetSchema,
      success: [201, s.loadedView],
      handler: h.loadFixtures,
    },
    { method: 'GET', url: '/clock', operationId: 'mockGetClock', summary: 'The mock clock', success: [200, s.clockStateSchema], handler: h.getClock },
    { method: 'POST', url: '/clock', operationId: 'mockSetClock', summary: 'Move or set the mock clock, or change its mode', body: s.clockChangeSchema, success: [200, s.clockStateSchema], handler: h.setClock },
    { method: 'GET', url: '/plans/default', operationId: 'mockGetDefaultPlan', summary: 'Plan of created export jobs', success: [200, s.defaultPlanView], handler: h.getDefaultPlan },
    { method: 'PUT', url: '/plans/default', operationId: 'mockSetDefaultPlan', summary: 'Change the plan of created export jobs (missing fields unchanged)', body: s.timedPlanInput, success: [200, s.defaultPlanView], handler: h.setDefaultPlan },
    { method: 'GET', url: '/plans/next', operationId: 'mockListNextPlans', summary: 'Plans queued for the next jobs created on each cluster', success: [200, s.nextPlansView], handler: h.getNextPlans },
    {
      method: 'POST',
      url: '/plans/next',
      operationId: 'mockPushNextPlan',
      summary: 'Queue a plan for the next jobs created on a cluster',
      description: 'E.g. {"groupId": …, "clusterName": "Cluster0", "plan": {"outcome": "Failed", "stateReason": {…}}}: the next export created on Cluster0 fails.',
      body: s.nextPlanInput,
      success: [201, s.nextPlansView],
      handler: h.pushNextPlan,
    },
    { method: 'DELETE', url: '/plans/next', operationId: 'mockClearNextPlans', summary: 'Drop queued plans (all, a project, a cluster)', querystring: s.scopeQuery, success: [200, s.deletedView], handler: h.clearNextPlans },
    {
      method: ['PUT', 'POST'],
      url: '/exports/:exportId/plan',
      operationId: 'mockSetJobPlan',
      summary: "Set or pin one export job's plan",
      description: 'plan: timed from the job creation; pin: one state; finish: end the job `after` from now, keeping its progress.',
      params: s.exportIdParams,
      body: s.jobPlanInput,
      success: [200, s.timelineView],
      handler: h.setJobPlan,
    },
    { method: 'GET', url: '/exports/:exportId/timeline', operationId: 'mockJobTimeline', summary: 'Each state of a job with when it was or will be entered', params: s.exportIdParams, success: [200, s.timelineView], handler: h.timeline },
    { method: 'GET', url: '/snapshots/plans/default', operationId: 'mockGetDefaultSnapshotPlan', summary: 'Plan of on-demand snapshots', success: [200, s.defaultSnapshotPlanView], handler: h.getDefaultSnapshotPlan },
    {
      method: 'PUT',
      url: '/snapshots/plans/default',
      operationId: 'mockSetDefaultSnapshotPlan',
      summary: 'Change the plan of on-demand snapshots (missing fields unchanged)',
      body: s.snapshotTimedPlanInput,
      success: [200, s.defaultSnapshotPlanView],
      handler: h.setDefaultSnapshotPlan,
    },
    { method: 'GET', url: '/snapshots/plans/next', operationId: 'mockListNextSnapshotPlans', summary: 'Plans queued for the next on-demand snapshots of each cluster', success: [200, s.nextSnapshotPlansView], handler: h.getNextSnapshotPlans },
    {
      method: 'POST',
      url: '/snapshots/plans/next',
      operationId: 'mockPushNextSnapshotPlan',
      summary: 'Queue a plan for the next on-demand snapshots of a cluster',
      description: 'E.g. {"groupId": …, "clusterName": "Cluster0", "plan": {"outcome": "failed"}}: the next snapshot taken on Cluster0 fails.',
      body: s.nextSnapshotPlanInput,
      success: [201, s.nextSnapshotPlansView],
      handler: h.pushNextSnapshotPlan,
    },
    { method: 'DELETE', url: '/snapshots/plans/next', operationId: 'mockClearNextSnapshotPlans', summary: 'Drop queued snapshot plans (all, a project, a cluster)', querystring: s.scopeQuery, success: [200, s.deletedView], handler: h.clearNextSnapshotPlans },
    {
      method: ['PUT', 'POST'],
      url: '/snapshots/:snapshotId/plan',
      operationId: 'mockSetSnapshotPlan',
      summary: "Set or pin one snapshot's plan, or finish it",
      description: 'plan: timed from the request; pin: one status; finish: end the snapshot `after` from now. A scheduled snapshot is stored from then on.',
      params: s.snapshotIdParams,
      body: s.snapshotPlanInput,
      success: [200, s.snapshotTimelineView],
      handler: h.setSnapshotPlan,
    },
    { method: 'GET', url: '/snapshots/:snapshotId/timeline', operationId: 'mockSnapshotTimeline', summary: 'Each status of a snapshot with when it was or will be entered', params: s.snapshotIdParams, success: [200, s.snapshotTimelineView], handler: h.snapshotTimeline },
    {
      method: 'GET',
      url: '/exports/:exportId/files',
      operationId: 'mockExportFiles',
      summary: 'The objects an export job wrote to its bucket',
      description: 'Waits for the writes the mock clock implies, then lists the objects under the job prefix (and whether the bucket has its .permissioncheck). 404 when export files are off.',
      params: s.exportIdParams,
      success: [200, s.exportFilesView],
      handler: h.exportFiles,
    },
    { method: 'GET', url: '/faults', operationId: 'mockListFaults', summary: 'Fault rules', success: [200, s.faultListView], handler: h.listFaults },
    {
      method: 'POST',
      url: '/faults',
      operationId: 'mockAddFault',
      summary: 'Add a fault rule',
      description: 'Matched by operation, groupId, clusterName, exportId, method, path; after/times/probability; effect error, latency (wall time) or drop.',
      body: s.faultInput,
      extraErrors: { 409: error('CONTROL_LIMIT_EXCEEDED: the mock already holds --max-fault-rules rules.') },
      success: [201, s.faultView],
      handler: h.addFault,
    },
    { method: 'DELETE', url: '/faults', operationId: 'mockClearFaults', summary: 'Delete every fault rule (or those scoped to groupId)', querystring: s.scopeGroupQuery, success: [200, s.deletedView], handler: h.clearFaults },
    { method: 'DELETE', url: '/faults/:id', operationId: 'mockDeleteFault', summary: 'Delete one fault rule', params: s.faultIdParams, success: [204, null], handler: h.deleteFault },
    { method: 'GET', url: '/requests', operationId: 'mockListRequests', summary: 'The request journal (oldest first)', querystring: s.journalQuery, success: [200, s.journalListView], handler: h.listRequests },
    { method: 'DELETE', url: '/requests', operationId: 'mockClearRequests', summary: 'Clear the request journal (or the entries of groupId)', querystring: s.scopeGroupQuery, success: [200, s.deletedView], handler: h.clearRequests },
  ];
}
