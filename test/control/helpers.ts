/** Calling the control API with inject: `ctl(app).post('/clock', {...})` → `{status, body, headers}`. */
import type { FastifyInstance, InjectOptions } from 'fastify';

export interface CtlResponse {
  status: number;
  body: any;
  headers: Record<string, unknown>;
}

export function ctl(app: FastifyInstance, extra: Partial<InjectOptions> = {}) {
  const call = async (method: InjectOptions['method'], path: string, payload?: unknown): Promise<CtlResponse> => {
    const res = await app.inject({ ...extra, method, url: `/__mock${path}`, ...(payload !== undefined && { payload: payload as object }) });
    return { status: res.statusCode, body: res.body ? res.json() : undefined, headers: res.headers };
  };
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, payload?: unknown) => call('POST', path, payload),
    put: (path: string, payload?: unknown) => call('PUT', path, payload),
    del: (path: string) => call('DELETE', path),
  };
}

/** A dataset with one timed export job on a cluster of the default dataset. */
export function timedJobDataset(opts: { id: string; groupId: string; snapshotId: string; exportBucketId: string; plan: Record<string, unknown> }) {
  return {
    exportJobs: [{ id: opts.id, groupId: opts.groupId, clusterName: 'Cluster0', snapshotId: opts.snapshotId, exportBucketId: opts.exportBucketId, plan: opts.plan }],
  };
}

/** An ObjectId whose timestamp is `epochMs` (Atlas ids carry createdAt), ending in `tail` (6 hex digits). */
export function idAt(epochMs: number, tail: string): string {
  return Math.floor(epochMs / 1000).toString(16).padStart(8, '0') + 'abcdef0123' + tail;
}
