/** Control API handlers: unpack the (already validated) request, call the service, answer JSON. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Dataset } from '../fixtures/schema.js';
import type { ControlService } from './service.js';
import type { ClockChange, FaultInput, JobPlanInput, JournalQueryInput, NextPlanInput, NextSnapshotPlanInput, SnapshotPlanInput, SnapshotTimedPlanInput, TimedPlanInput } from './schemas.js';

type Req<T extends { Body?: unknown; Querystring?: unknown; Params?: unknown } = object> = FastifyRequest<{
  Body: T extends { Body: infer B } ? B : unknown;
  Querystring: T extends { Querystring: infer Q } ? Q : unknown;
  Params: T extends { Params: infer P } ? P : unknown;
}>;

export function controlHandlers(service: ControlService) {
  return {
    health: async (_req: Req, reply: FastifyReply) => {
      const health = await service.health();
      return reply.code(health.store.healthy ? 200 : 503).send(health);
    },
    reset: (req: Req<{ Body: { groupId?: string } | null | undefined }>) => service.reset(req.body?.groupId),
    loadFixtures: (req: Req<{ Body: Dataset; Querystring: { groupId?: string; transient?: boolean } }>, reply: FastifyReply) =>
      reply.code(201).send(service.loadFixtures(req.body, req.query)),
    getClock: () => service.clock(),
    setClock: (req: Req<{ Body: ClockChange }>) => service.changeClock(req.body),
    exportFiles: (req: Req<{ Params: { exportId: string } }>) => service.exportFiles(req.params.exportId),
    getDefaultPlan: () => service.defaultPlan(),
    setDefaultPlan: (req: Req<{ Body: TimedPlanInput }>) => service.setDefaultPlan(req.body),
    getNextPlans: () => service.nextPlans(),
    pushNextPlan: (req: Req<{ Body: NextPlanInput }>, reply: FastifyReply) => reply.code(201).send(service.pushNextPlan(req.body)),
    clearNextPlans: (req: Req<{ Querystring: { groupId?: string; clusterName?: string } }>) => service.clearNextPlans(req.query.groupId, req.query.clusterName),
    setJobPlan: (req: Req<{ Params: { exportId: string }; Body: JobPlanInput }>) => service.setJobPlan(req.params.exportId, req.body),
    timeline: (req: Req<{ Params: { exportId: string } }>) => service.timeline(req.params.exportId),
    getDefaultSnapshotPlan: () => service.defaultSnapshotPlan(),
    setDefaultSnapshotPlan: (req: Req<{ Body: SnapshotTimedPlanInput }>) => service.setDefaultSnapshotPlan(req.body),
    getNextSnapshotPlans: () => service.nextSnapshotPlans(),
    pushNextSnapshotPlan: (req: Req<{ Body: NextSnapshotPlanInput }>, reply: FastifyReply) => reply.code(201).send(service.pushNextSnapshotPlan(req.body)),
    clearNextSnapshotPlans: (req: Req<{ Querystring: { groupId?: string; clusterName?: string } }>) => service.clearNextSnapshotPlans(req.query.groupId, req.query.clusterName),
    setSnapshotPlan: (req: Req<{ Params: { snapshotId: string }; Body: SnapshotPlanInput }>) => service.setSnapshotPlan(req.params.snapshotId, req.body),
    snapshotTimeline: (req: Req<{ Params: { snapshotId: string } }>) => service.snapshotTimeline(req.params.snapshotId),
    listFaults: () => service.faults(),
    addFault: (req: Req<{ Body: FaultInput }>, reply: FastifyReply) => reply.code(201).send(service.addFault(req.body)),
    deleteFault: (req: Req<{ Params: { id: string } }>, reply: FastifyReply) => {
      service.deleteFault(req.params.id);
      return reply.code(204).send();
    },
    clearFaults: (req: Req<{ Querystring: { groupId?: string } }>) => service.clearFaults(req.query.groupId),
    listRequests: (req: Req<{ Querystring: JournalQueryInput }>) => service.requests(req.query),
    clearRequests: (req: Req<{ Querystring: { groupId?: string } }>) => service.clearRequests(req.query.groupId),
  };
}

export type ControlHandlers = ReturnType<typeof controlHandlers>;
