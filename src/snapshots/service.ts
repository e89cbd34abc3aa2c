/** The rules of snapshots (contract §1): GET one, scoped to its project and cluster, status by the mock clock. */
import { atlasError } from '../errors/atlas-error.js';
import { requireCluster } from '../store/lookup.js';
import type { Snapshot } from '../store/model.js';
import type { MockContext } from '../context.js';
import { snapshotStatusAt } from './status.js';
import { snapshotView2023, type SnapshotView } from './view.js';

export interface SnapshotService {
  /** `origin`: scheme and host of the request, for the absolute `links`. */
  get(groupId: string, clusterName: string, snapshotId: string, origin: string): SnapshotView;
  /** The snapshot of this cluster, or 404 SNAPSHOT_NOT_FOUND (a snapshot of another cluster is as unknown). */
  require(groupId: string, clusterName: string, snapshotId: string): Snapshot;
}

export function createSnapshotService(ctx: Pick<MockContext, 'store' | 'clock'>): SnapshotService {
  const { store, clock } = ctx;
  const require = (groupId: string, clusterName: string, snapshotId: string): Snapshot => {
    const s = store.snapshot(snapshotId);
    if (!s || s.groupId !== groupId || s.clusterName !== clusterName) throw atlasError('SNAPSHOT_NOT_FOUND', snapshotId, clusterName);
    return s;
  };
  return {
    get(groupId, clusterName, snapshotId, origin) {
      const { cluster } = requireCluster(store, groupId, clusterName);
      const s = require(groupId, clusterName, snapshotId);
      return snapshotView2023(s, snapshotStatusAt(s, clock.now()), cluster, origin);
    },
    require,
  };
}
