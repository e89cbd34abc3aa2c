/** The rules of export jobs (contract §7): lookups scoped to the project and cluster, the view at the clock's now. */
import { atlasError } from '../errors/atlas-error.js';
import { requireCluster } from '../store/lookup.js';
import type { Cluster, ExportJob, Project } from '../store/model.js';
import type { MockContext } from '../context.js';
import { stateAt } from './lifecycle.js';
import { exportJobView2023, type ExportJobView } from './view.js';

export interface ExportService {
  get(groupId: string, clusterName: string, exportId: string): ExportJobView;
  view(job: ExportJob, cluster?: Cluster, project?: Project): ExportJobView;
}

export function createExportService(ctx: MockContext): ExportService {
  const { store, clock } = ctx;
  const view = (job: ExportJob, cluster?: Cluster, project?: Project): ExportJobView => {
    const c = cluster ?? store.cluster(job.groupId, job.clusterName);
    if (!c) throw atlasError('CLUSTER_NOT_FOUND', job.clusterName, job.groupId);
    const status = stateAt(job, clock.now(), c.collections);
    return exportJobView2023(job, status, c, project ?? store.project(job.groupId), store.snapshot(job.snapshotId));
  };
  return {
    get(groupId, clusterName, exportId) {
      const { project, cluster } = requireCluster(store, groupId, clusterName);
      const job = store.job(exportId);
      // A job of another cluster or project is as unknown as a missing one.
      if (!job || job.groupId !== groupId || job.clusterName !== clusterName) throw atlasError('RESOURCE_NOT_FOUND', exportId);
      return view(job, cluster, project);
    },
    view,
  };
}
