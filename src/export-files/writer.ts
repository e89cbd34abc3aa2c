/**
 * The one writer of export files for the whole mock. It never runs ahead of the API: at each turn it takes
 * the jobs active since it last caught up (`exports.jobsActiveIn(horizon, now)`) and brings each job's
 * bucket to what the job's state at `now` implies (`timing.ts`), writing in the order Atlas does:
 *
 *   created           exported_snapshots/.permissioncheck (empty)
 *   a collection      every data file of it (each replica set's part, increments from 0), once the API
 *   counted           counts it in `exportStatus.exportedCollections`
 *   Successful        `metadata.json` of each collection, then `.complete`
 *   Failed/Cancelled  nothing more: the files written stay, no `.complete`
 *
 * Turns come from the clock (a change through the control API; with the system clock one timer for the
 * next due moment of any job, never one per job) and from the store (a job created, a plan changed). What
 * it has written is kept in `ctx.exportProgress` (saved by `--state-file`), so after a jump of the clock or
 * a restart it catches up from its horizon, writing each object once. `settled()` resolves when the writes
 * the current clock implies are done (the control API's clock move waits for it).
 *
 * A write that fails (the bucket cannot be reached, does not exist, may not be written; a fault rule on
 * the `writeExportFile` operation) fails the job through the export service (`setPlan`: a stored job's plan, a derived auto-export job's recorded change), at the time the failing
 * object was due, with a `stateReason` saying so. Pinned jobs (one state whatever the clock) and jobs of
 * `--generate` (load-test data) are not written.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { MockContext } from '../context.js';
import type { FaultRegistry } from '../control/faults.js';
import { stateAt } from '../exports/lifecycle.js';
import type { Cluster, ExportBucket, ExportJob, StateReason } from '../store/model.js';
import { collectGarbage } from '../core/gc.js';
import { gzipChunks } from './chunks.js';
import { loadBson, loadZlib } from './libs.js';
import { collectionSpecs, documentLines, DocumentsError } from './documents.js';
import { collectionUuid, completeJson, completeKey, dataKey, metadataJson, metadataKey, PERMISSION_CHECK_KEY, replicaSetNames } from './layout.js';
import { DEFAULT_CHUNK_BYTES, DEFAULT_DOCUMENTS_PER_COLLECTION, MAX_CHUNK_BYTES, type ExportFilesOptions, type StorageKind } from './options.js';
import { StorageError, type ObjectStorage, type StorageFailure } from './storage/types.js';
import { Storages } from './storages.js';
import { collectionsDueAt, countedAt, nextChange } from './timing.js';

/** The pseudo-operation fault rules name to hit the writes of export files (`POST /__mock/faults`). */
export const WRITE_OPERATION = 'writeExportFile';

/** Data files of at least this many bytes of Extended JSON are followed by a full garbage collection. */
const GC_AFTER_BYTES = 8 * 1024 * 1024;

/** With a shared store, the writer's horizon is logged on its own when it lags more than this (mock ms). */
const HORIZON_LAG_MS = 3_600_000;

/** Longest wait of the writer's timer (setTimeout's limit is ~24.8 days; it simply looks again). */
const MAX_TIMER_MS = 3_600_000;

type Bson = typeof import('bson');
type Zlib = typeof import('node:zlib');

export interface ExportFileView {
  key: string;
  size: number;
  /** Where a reader finds it: a file path, `s3://…`, a blob URL, `gs://…`. */
  location: string;
}

export interface ExportFilesView {
  exportId: string;
  groupId: string;
  clusterName: string;
  state: string;
  prefix: string;
  bucket: { id: string; name: string; cloudProvider: string; storage: StorageKind } | null;
  /** `exported_snapshots/.permissioncheck` of the bucket exists. */
  permissionCheck: boolean;
  /** `.complete` exists under the prefix. */
  complete: boolean;
  /** The objects under the prefix, sorted by key. */
  files: ExportFileView[];
  /** What the writer recorded for the job. */
  written: { collections: number; files: number; metadata: number; complete: boolean; failed: boolean };
  /** Why the objects could not be listed (the storage failed), when it could not. */
  error?: string;
}

export interface WriterDeps {
  ctx: MockContext;
  options: ExportFilesOptions;
  log: Pick<FastifyBaseLogger, 'error' | 'warn' | 'debug'>;
  /** The control plane's fault rules (there once the plugins are loaded). */
  faults(): FaultRegistry | undefined;
  /** A shared mock (`--store redis://…`): one writer for all replicas. */
  coordination?: WriterCoordination | undefined;
}

/**
 * One writer for every replica of a shared mock (replication/writer-lease.ts): the replica that holds the
 * writer's lease writes, and its progress is a change of the shared world, so the next holder (the holder
 * stopped or was killed) goes on where it stopped: nothing written twice, nothing missed.
 */
export interface WriterCoordination {
  /** This replica writes now (it holds the lease). */
  readonly active: boolean;
  /** Called once when the writer starts: `wake` when this replica takes the lease, `settledHere` for the holder's `settled`. */
  attach(writer: { wake: () => void; settledHere: () => Promise<void> }): void;
  /** Makes `change` (of the progress, or a job failed by a write) a change of the shared world: logged in order, in groups. */
  commit(change: () => void): void;
  /** Resolves once every change committed so far is logged (and in this replica's copy); rejects if one could not be. */
  flush(): Promise<void>;
  /** Resolves once the holder's writer (this replica's: `settledHere`) has written what the shared clock implies now. */
  settled(): Promise<void>;
}

/** The writer was stopped (the app closes): the current turn ends where it is. */
class Stopped extends Error {}

const REASON_TEXT: Record<StorageFailure, (bucket: ExportBucket) => string> = {
  denied: (b) =>
    `Access denied writing to bucket ${b.bucketName}: check that ${b.cloudProvider === 'AZURE' ? "the service principal has the Storage Blob Data Contributor role on the container" : b.cloudProvider === 'GCP' ? "the service account has storage.objects.create on the bucket" : "the IAM role's policy allows s3:PutObject"}.`,
  'no-bucket': (b) => `The export bucket ${b.bucketName} does not exist.`,
  unreachable: (b) => `Unable to reach the export bucket ${b.bucketName}.`,
};

/** The `stateReason` of a job failed by a write [I: Atlas's codes for failed exports are not public]. */
export function failureReason(bucket: ExportBucket, e: StorageError | DocumentsError): StateReason {
  if (e instanceof DocumentsError) return { errorCode: 'EXPORT_FAILED', message: `The export job failed: the mock could not read the documents to export (${e.message}).` };
  return { errorCode: 'EXPORT_FAILED', message: `${REASON_TEXT[e.reason](bucket)} (${e.message})` };
}

export class ExportFilesWriter {
  readonly storages: Storages;
  private readonly chunkBytes: number;
  private readonly documents: number;
  private running: Promise<void> | null = null;
  private again = false;
  private started = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly newBuckets = new Set<string>();
  private libs: { bson: Bson; zlib: Zlib } | undefined;

  constructor(private readonly deps: WriterDeps) {
    this.storages = new Storages(deps.options);
    this.chunkBytes = Math.min(MAX_CHUNK_BYTES, Math.max(1, deps.options.chunkBytes ?? DEFAULT_CHUNK_BYTES));
    this.documents = deps.options.documentsPerCollection ?? DEFAULT_DOCUMENTS_PER_COLLECTION;
  }

  /** Starts listening to the clock and the store, and takes a first turn. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const { ctx } = this.deps;
    ctx.clock.onChange(this.poke);
    ctx.store.onChange(this.poke);
    this.deps.coordination?.attach({ wake: this.poke, settledHere: () => this.settledHere() });
    this.poke();
  }

  /** This process writes: always, or with a shared store while it holds the writer's lease. */
  private get active(): boolean {
    return this.deps.coordination?.active ?? true;
  }

  /**
   * A change of the progress (or a job failed by a write), made after what it records was written: at once,
   * or with a shared store as a change of the shared world (logged in order, in groups: `recorded`).
   */
  private record(change: () => void): void {
    const coordination = this.deps.coordination;
    this.recordedInTurn = true;
    if (coordination) coordination.commit(change);
    else change();
  }

  /** The current turn recorded a change (its horizon goes with it). */
  private recordedInTurn = false;

  /** Resolves once every change recorded so far is in the progress (shared: in the log); rejects if one could not be logged. */
  private async recorded(): Promise<void> {
    await this.deps.coordination?.flush();
  }

  /** Stops after the object being written; resolves when the writer is idle. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /**
   * Writes again after `stop()`, with nothing pending: the same app serving a new mock (`startAtlasMock`'s
   * pool; the caller emptied the folder and the progress). Its listeners stay those `start()` added.
   */
  resume(): void {
    if (!this.started) return this.start();
    this.stopped = false;
    this.again = false;
    this.newBuckets.clear();
    this.poke();
  }

  /** Something changed: a turn soon (one turn for everything until then). */
  poke = (): void => {
    if (this.stopped || !this.started || !this.active) return;
    this.again = true;
    if (this.running) return;
    this.running = new Promise<void>((resolve) => setImmediate(() => void this.loop().finally(resolve)));
  };

  /**
   * Resolves when no turn is running or due: the writes the clock and the store imply are done (with a shared
   * store: those of the replica that holds the writer's lease).
   */
  settled(): Promise<void> {
    return this.deps.coordination ? this.deps.coordination.settled() : this.settledHere();
  }

  private async settledHere(): Promise<void> {
    while (this.running) await this.running;
  }

  /** A bucket was added through the API: it gets its `.permissioncheck` (Atlas docs). */
  bucketAdded(bucketId: string): void {
    this.newBuckets.add(bucketId);
    this.poke();
  }

  private async loop(): Promise<void> {
    let failed = false;
    try {
      while (this.again && !this.stopped && this.active) {
        this.again = false;
        try {
          await this.turn();
        } catch (e) {
          if (e instanceof Stopped) continue;
          this.deps.log.error({ err: e }, 'export files: the writer failed');
          failed = true;
        }
      }
    } finally {
      this.running = null;
      this.schedule();
      // A shared store that could not log the progress (Redis unreachable): another turn in a second.
      if (failed && this.deps.coordination && !this.stopped) setTimeout(this.poke, 1000).unref();
    }
  }

  private load(): { bson: Bson; zlib: Zlib } {
    // Loaded on the first data file: a mock that writes none never loads them (start-up).
    return (this.libs ??= { bson: loadBson(), zlib: loadZlib() });
  }

  private async turn(): Promise<void> {
    const { ctx } = this.deps;
    const now = ctx.clock.now();
    for (const id of [...this.newBuckets]) {
      this.newBuckets.delete(id);
      await this.checkBucket(id);
    }
    const horizon = ctx.exportProgress.horizon;
    const from = horizon === undefined ? now : Math.min(horizon, now);
    for (const job of ctx.exports.jobsActiveIn(from, now)) {
      if (this.stopped || !this.active) throw new Stopped();
      if (ctx.isGenerated(job)) continue;
      await this.advance(job, now);
    }
    // With a shared store a change of the log: with the turn's other changes, or once it lags an hour of mock
    // time (a write of its own per turn would double the log's writes; the next turn, or the next holder of
    // the writer, looks at the jobs of that hour again, written ones cost a lookup).
    if (horizon === undefined || now - horizon > (this.deps.coordination && !this.recordedInTurn ? HORIZON_LAG_MS : 0)) this.record(() => ctx.exportProgress.caughtUp(now));
    this.recordedInTurn = false;
    await this.recorded();
  }

  private async checkBucket(bucketId: string): Promise<void> {
    const { ctx } = this.deps;
    const bucket = ctx.store.bucket(bucketId);
    if (!bucket || ctx.exportProgress.bucketChecked(bucketId)) return;
    try {
      await this.put(bucket, this.storages.of(bucket), PERMISSION_CHECK_KEY, Buffer.alloc(0), 'application/octet-stream', { groupId: bucket.groupId });
      this.record(() => ctx.exportProgress.markBucketChecked(bucketId));
    } catch (e) {
      if (!(e instanceof StorageError)) throw e;
      // Atlas checks the bucket when it is added; the mock only says so (an export to it fails with the reason).
      this.deps.log.warn({ bucket: bucket.bucketName, reason: e.reason }, `export files: cannot write to the new bucket ${bucket.bucketName}: ${e.message}`);
    }
  }

  /** Brings one job's objects up to its state at `now`. */
  private async advance(job: ExportJob, now: number): Promise<void> {
    const { ctx } = this.deps;
    const progress = ctx.exportProgress;
    const p = progress.of(job.id);
    // A pinned job holds one state whatever the clock says (fixtures, the control API's pin): it has no
    // progress to write. `finish` ends a job with its files.
    if (job.plan.kind === 'pinned' || p.failed || p.complete || now < job.createdAt) return;
    const cluster = ctx.store.cluster(job.groupId, job.clusterName);
    const bucket = ctx.store.bucket(job.exportBucketId);
    if (!cluster || !bucket) return;
    const project = ctx.store.project(job.groupId);
    const specs = collectionSpecs(cluster);
    const total = specs.length;
    const status = stateAt(job, now, total);
    const due = collectionsDueAt(job, now, total);
    const done = status.state === 'Successful';
    if (p.permission && p.collections >= due && !done) return;

    const storage = this.storages.of(bucket);
    const prefix = ctx.exports.view(job, cluster, project).prefix;
    const where = { groupId: job.groupId, clusterName: job.clusterName, exportId: job.id };
    let failAt = job.createdAt;
    // Counted here rather than read back: with a shared store the progress changes reach the log (and this
    // replica's copy of the progress) in groups, after the files.
    let collections = p.collections;
    try {
      if (!p.permission) {
        await this.put(bucket, storage, PERMISSION_CHECK_KEY, Buffer.alloc(0), 'application/octet-stream', where);
        this.record(() => progress.permissionWritten(job.id));
      }
      if (collections < due || done) {
        const { bson, zlib } = this.load();
        const shards = replicaSetNames(cluster);
        for (; collections < due; collections++) {
          const i = collections;
          failAt = countedAt(job, i + 1, total, now);
          await this.writeCollection(bson, zlib, job, cluster, bucket, storage, prefix, shards, i, i === p.collections ? p.parts : 0, where);
          this.record(() => progress.collectionWritten(job.id, i));
        }
        if (done) {
          failAt = status.finishedAt ?? now;
          for (let i = p.metadata; i < total; i++) {
            const s = specs[i]!;
            await this.put(bucket, storage, metadataKey(prefix, s.db, s.collection), Buffer.from(metadataJson(bson, s.collection, collectionUuid(cluster.id, s.db, s.collection))), 'application/json', where);
            this.record(() => progress.metadataWritten(job.id, i));
          }
          // `.complete` counts the files the progress holds.
          await this.recorded();
          const org = project ? ctx.store.organizations.get(project.orgId) : undefined;
          const snapshot = ctx.store.snapshot(job.snapshotId);
          const complete = completeJson({
            orgId: project?.orgId ?? '',
            orgName: org?.name ?? '',
            groupId: job.groupId,
            groupName: project?.name ?? '',
            clusterUniqueId: cluster.id,
            clusterName: cluster.name,
            snapshotInitiationDate: snapshot?.createdAt ?? job.createdAt,
            totalFiles: progress.of(job.id).files,
            labels: [],
            customData: job.customData,
          });
          await this.put(bucket, storage, completeKey(prefix), Buffer.from(complete), 'application/json', where);
          this.record(() => progress.completeWritten(job.id));
        }
      }
    } catch (e) {
      if (!(e instanceof StorageError || e instanceof DocumentsError)) throw e;
      const reason = failureReason(bucket, e);
      this.deps.log.warn({ exportId: job.id, bucket: bucket.bucketName }, `export files: export ${job.id} failed: ${reason.message}`);
      // One change (shared: one log entry with the progress before it): the progress and the job's plan fail together.
      this.record(() => {
        progress.failed(job.id);
        ctx.exports.setPlan(job, { kind: 'pinned', state: 'Failed', exportedCollections: collections, finishedAt: Math.min(Math.max(failAt, job.createdAt), now), stateReason: { errorCode: reason.errorCode, message: reason.message } });
        ctx.store.changed();
      });
      await this.recorded();
    }
  }

  private async writeCollection(
    bson: Bson,
    zlib: Zlib,
    job: ExportJob,
    cluster: Cluster,
    bucket: ExportBucket,
    storage: ObjectStorage,
    prefix: string,
    shards: readonly string[],
    index: number,
    alreadyWritten: number,
    where: FaultPlace,
  ): Promise<void> {
    const spec = collectionSpecs(cluster)[index]!;
    const progress = this.deps.ctx.exportProgress;
    let part = 0;
    // One file uploads while the next one is made (an S3 round trip costs as much as a file's documents).
    let uploading: Promise<void> | undefined;
    try {
      for (let s = 0; s < shards.length; s++) {
        const lines = documentLines(bson, spec, { seed: this.deps.ctx.random.seed, clusterId: cluster.id, defaultDocuments: this.documents, shardIndex: s, shardCount: shards.length });
        for await (const chunk of gzipChunks(zlib, lines, this.chunkBytes)) {
          // Written before a restart (the documents are the same bytes: skipping them is enough).
          const index = part++;
          if (index < alreadyWritten) continue;
          await uploading;
          const key = dataKey(prefix, spec.db, spec.collection, shards[s]!, chunk.increment);
          uploading = this.put(bucket, storage, key, chunk.body, 'application/gzip', where).then(() => this.record(() => progress.partWritten(job.id, index)));
          // Awaited before the next file or below; until then a failure must not count as unhandled.
          uploading.catch(() => undefined);
          // Making a file allocates ~10 times its size in short-lived strings, part of which V8 promotes
          // (they live across awaits) and keeps until it sees fit: one full collection per large file keeps
          // the peak RSS of a long export flat (bench export-files: 1 GiB export 158 → ~125 MiB) for a few
          // ms per 16 MiB file.
          if (chunk.bytes >= GC_AFTER_BYTES) collectGarbage();
        }
      }
      await uploading;
    } catch (e) {
      await uploading?.catch(() => undefined);
      throw e;
    }
  }

  /** One object, through the fault rules of `writeExportFile` first. */
  private async put(bucket: ExportBucket, storage: ObjectStorage, key: string, body: Buffer, contentType: string, where: FaultPlace): Promise<void> {
    if (this.stopped || !this.active) throw new Stopped();
    const faults = this.deps.faults();
    if (faults && !faults.empty) {
      const rule = faults.pick({ method: 'PUT', path: `/${key}`, operation: WRITE_OPERATION, operationId: WRITE_OPERATION, groupId: where.groupId, clusterName: where.clusterName, exportId: where.exportId }, true);
      if (rule) {
        const delay = rule.latencyMs(this.deps.ctx.random);
        if (delay > 0) await new Promise((r) => setTimeout(r, delay));
        if (rule.input.drop) throw new StorageError('unreachable', `the connection was dropped (fault rule ${rule.id})`);
        if (rule.error) {
          const code = rule.error.errorCode;
          const status = rule.error.status;
          const failure: StorageFailure = status === 404 || /NOT_FOUND/.test(code) ? 'no-bucket' : (status ?? 0) >= 500 || code === 'SERVICE_UNAVAILABLE' || code === 'UNEXPECTED_ERROR' ? 'unreachable' : 'denied';
          throw new StorageError(failure, rule.error.detail ?? `${code} (fault rule ${rule.id})`);
        }
      }
    }
    await storage.put(bucket, key, body, contentType);
  }

  /** With the system clock: one timer, for the earliest moment a live job's files change. */
  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const { ctx } = this.deps;
    if (this.stopped || !this.started || ctx.clock.mode() !== 'system') return;
    const now = ctx.clock.now();
    let due = Infinity;
    for (const job of ctx.exports.jobsActiveIn(now, now)) {
      if (ctx.isGenerated(job) || ctx.exportProgress.of(job.id).failed) continue;
      const cluster = ctx.store.cluster(job.groupId, job.clusterName);
      if (cluster) due = Math.min(due, nextChange(job, now, cluster.collections));
    }
    if (due === Infinity) return;
    const wait = Math.min(MAX_TIMER_MS, Math.max(0, Math.ceil((due - now) / ctx.clock.speed())));
    this.timer = setTimeout(this.poke, wait);
    // The writer never keeps the process alive by itself.
    this.timer.unref();
  }

  /** What a job has in its bucket, once the writes due now are done (control API). */
  async files(job: ExportJob): Promise<ExportFilesView> {
    await this.settled();
    const { ctx } = this.deps;
    const cluster = ctx.store.cluster(job.groupId, job.clusterName);
    const bucket = ctx.store.bucket(job.exportBucketId);
    const view = ctx.exports.view(job, cluster);
    const p = ctx.exportProgress.of(job.id);
    const out: ExportFilesView = {
      exportId: job.id,
      groupId: job.groupId,
      clusterName: job.clusterName,
      state: view.state,
      prefix: view.prefix,
      bucket: bucket ? { id: bucket.id, name: bucket.bucketName, cloudProvider: bucket.cloudProvider, storage: this.storages.kindOf(bucket) } : null,
      permissionCheck: false,
      complete: false,
      files: [],
      written: { collections: p.collections, files: p.files, metadata: p.metadata, complete: p.complete, failed: p.failed },
    };
    if (!bucket) return out;
    const storage = this.storages.of(bucket);
    try {
      out.permissionCheck = (await storage.list(bucket, PERMISSION_CHECK_KEY)).some((o) => o.key === PERMISSION_CHECK_KEY);
      out.files = (await storage.list(bucket, `${view.prefix}/`)).map((o) => ({ key: o.key, size: o.size, location: storage.location(bucket, o.key) }));
      out.complete = out.files.some((f) => f.key === completeKey(view.prefix));
    } catch (e) {
      out.error = (e as Error).message;
    }
    return out;
  }
}

interface FaultPlace {
  groupId: string;
  clusterName?: string;
  exportId?: string;
}
