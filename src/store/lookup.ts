/** Lookups shared by every resource family, failing with the Atlas error of contract §4. */
import { atlasError } from '../errors/atlas-error.js';
import type { Cluster, Project } from './model.js';
import type { Store } from './store.js';

export function requireProject(store: Store, groupId: string): Project {
  const project = store.project(groupId);
  if (!project) throw atlasError('GROUP_NOT_FOUND', groupId);
  return project;
}

export function requireCluster(store: Store, groupId: string, clusterName: string): { project: Project; cluster: Cluster } {
  const project = requireProject(store, groupId);
  const cluster = store.cluster(groupId, clusterName);
  if (!cluster) throw atlasError('CLUSTER_NOT_FOUND', clusterName, groupId);
  return { project, cluster };
}
