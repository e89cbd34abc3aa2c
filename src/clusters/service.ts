/**
 * Cluster reads (getGroupCluster, listGroupClusters): the fixture's clusters, read only, in the view of the
 * resolved resource version. The mock never creates, changes or deletes clusters (boundary/routes.ts).
 */
import { paginate, type Page, type PageQuery } from '../http/pagination.js';
import { requireCluster, requireProject } from '../store/lookup.js';
import type { MockContext } from '../context.js';
import { resolveCluster } from './settings.js';
import { CLUSTER_VIEWS } from './view.js';

export interface ClusterService {
  get(groupId: string, clusterName: string, version: string, origin: string): unknown;
  list(groupId: string, version: string, page: PageQuery, base: string, origin: string): Page<unknown>;
}

function viewOf(version: string) {
  const view = CLUSTER_VIEWS[version];
  if (!view) throw new Error(`no cluster view for version ${version}`);
  return view;
}

export function createClusterService(ctx: Pick<MockContext, 'store'>): ClusterService {
  const { store } = ctx;
  return {
    get(groupId, clusterName, version, origin) {
      const { cluster } = requireCluster(store, groupId, clusterName);
      return viewOf(version)(resolveCluster(cluster), origin);
    },
    list(groupId, version, page, base, origin) {
      requireProject(store, groupId);
      const view = viewOf(version);
      return paginate(store.clustersOf(groupId), page, base, (c) => view(resolveCluster(c), origin));
    },
  };
}
