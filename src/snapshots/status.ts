/**
 * A snapshot's `status` is derived when read, like an export job's state: the stored status holds until
 * `completesAt` (fixtures: `completesAfter` / `completesAt`), `completed` from then on by the mock clock. So
 * "wait for the snapshot, then export" works without timers, and the create-job rule of contract §7 (snapshot
 * not `completed` → 409) reads the very same status the GET shows.
 */
import type { Snapshot, SnapshotStatus } from '../store/model.js';

export function snapshotStatusAt(snapshot: Snapshot, now: number): SnapshotStatus {
  return snapshot.completesAt !== undefined && now >= snapshot.completesAt ? 'completed' : snapshot.status;
}
