/**
 * What the export-files writer has written: per export job, how far it got (counters, in the order objects
 * are written), which buckets got their `.permissioncheck`, and the mock time the writer has caught up to.
 * A small registry owned by the context, changed only through its named methods with plain values, saved
 * in the `--state-file` (`image`/`restore`), so a restart goes on where the writer stopped: nothing written
 * twice, nothing missed.
 *
 * With a shared store (`--store redis://…`) it is part of the shared world: the one replica that holds the
 * writer's lease (replication/writer-lease.ts) changes it through writes of the replicated log, so every
 * replica has the holder's progress and the next holder goes on where the last one stopped.
 */
export interface JobProgress {
  /** `exported_snapshots/.permissioncheck` written when the job started. */
  permission: boolean;
  /** Collections whose data files are all written (collections in export order). */
  collections: number;
  /** Data files of the next collection already written (its replica sets in order, increments in order). */
  parts: number;
  /** `metadata.json` files written (collections in order). */
  metadata: number;
  /** Objects written under the prefix before `.complete` (data and metadata files). */
  files: number;
  /** `.complete` written: the job is done. */
  complete: boolean;
  /** A write failed: the job failed with it and nothing more is written (Atlas does not retry). */
  failed: boolean;
}

export interface ProgressImage {
  /** Mock time (epoch ms) up to which the writer has caught up; null before it first ran. */
  horizon: number | null;
  jobs: Record<string, JobProgress>;
  /** Buckets whose `.permissioncheck` was written when they were added. */
  buckets: string[];
}

const NONE: Readonly<JobProgress> = Object.freeze({ permission: false, collections: 0, parts: 0, metadata: 0, files: 0, complete: false, failed: false });

export class ExportProgress {
  private horizonMs: number | undefined;
  private readonly jobs = new Map<string, JobProgress>();
  private readonly checked = new Set<string>();
  private readonly listeners: (() => void)[] = [];

  get horizon(): number | undefined {
    return this.horizonMs;
  }

  /** How far the writer got with a job (all zero when it has not started it). */
  of(jobId: string): Readonly<JobProgress> {
    return this.jobs.get(jobId) ?? NONE;
  }

  bucketChecked(bucketId: string): boolean {
    return this.checked.has(bucketId);
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  // ---- changes: one named method each ----------------------------------------------------------------
  // Each counting change names the object it counts (`part`, `collection`, `metadata`: its index) and counts
  // it only if it is the next one: a change made twice (two replicas of a shared mock, one of which lost the
  // writer's lease while it wrote) counts once, so a restart never skips an object that was not written.

  permissionWritten(jobId: string): void {
    this.edit(jobId, (p) => (p.permission = true));
  }

  /** Data file `part` (from 0) of the job's next collection. */
  partWritten(jobId: string, part: number): void {
    this.edit(jobId, (p) => {
      if (p.parts !== part) return;
      p.parts++;
      p.files++;
    });
  }

  /** Every data file of collection `collection` (from 0): on to the one after. */
  collectionWritten(jobId: string, collection: number): void {
    this.edit(jobId, (p) => {
      if (p.collections !== collection) return;
      p.collections++;
      p.parts = 0;
    });
  }

  /** `metadata.json` of collection `collection` (from 0). */
  metadataWritten(jobId: string, collection: number): void {
    this.edit(jobId, (p) => {
      if (p.metadata !== collection) return;
      p.metadata++;
      p.files++;
    });
  }

  completeWritten(jobId: string): void {
    this.edit(jobId, (p) => (p.complete = true));
  }

  failed(jobId: string): void {
    this.edit(jobId, (p) => (p.failed = true));
  }

  markBucketChecked(bucketId: string): void {
    this.checked.add(bucketId);
    this.changed();
  }

  /** The writer caught up to `at` (never moves back: a clock set back leaves it where it was). */
  caughtUp(at: number): void {
    if (this.horizonMs !== undefined && at <= this.horizonMs) return;
    this.horizonMs = at;
    this.changed();
  }

  image(): ProgressImage {
    return { horizon: this.horizonMs ?? null, jobs: Object.fromEntries([...this.jobs].map(([id, p]) => [id, { ...p }])), buckets: [...this.checked] };
  }

  restore(image: ProgressImage): void {
    this.horizonMs = image.horizon ?? undefined;
    this.jobs.clear();
    for (const [id, p] of Object.entries(image.jobs)) this.jobs.set(id, { ...NONE, ...p });
    this.checked.clear();
    for (const b of image.buckets) this.checked.add(b);
  }

  private edit(jobId: string, f: (p: JobProgress) => void): void {
    let p = this.jobs.get(jobId);
    if (!p) this.jobs.set(jobId, (p = { ...NONE }));
    f(p);
    this.changed();
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}
