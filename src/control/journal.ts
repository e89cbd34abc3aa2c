/**
 * The request journal (`GET /__mock/requests`): a bounded ring of the last N requests the mock received
 * (Atlas operations, the token endpoint, unmatched requests), so a test can check what its client did.
 *
 * Hot path: recording fills a pre-allocated slot in place — a few property reads, no object
 * spreads of headers, no body parsing, no string formatting. Times stay epoch ms until a query formats
 * them; the hint of an unmatched request (nearest known route) is computed at query time too.
 */

/** One slot of the ring, overwritten in place when the ring wraps. */
export interface JournalSlot {
  seq: number;
  /** Mock-clock time, epoch ms. */
  at: number;
  method: string;
  /** Raw request URL (path and query string). */
  url: string;
  operation: string | null;
  operationId: string | null;
  groupId: string | null;
  clusterName: string | null;
  exportId: string | null;
  principal: string | null;
  /** HTTP status sent; 0 when the connection was dropped by a fault. */
  status: number;
  /** `state` of the export job served, when the response was one. */
  state: string | null;
  /** Wall-clock milliseconds from receiving the request to the end of the response. */
  durationMs: number;
  matched: boolean;
  fault: string | null;
}

export interface JournalEntry {
  seq: number;
  time: string;
  method: string;
  path: string;
  query: string | null;
  operation: string | null;
  groupId: string | null;
  clusterName: string | null;
  exportId: string | null;
  principal: string | null;
  status: number;
  dropped: boolean;
  state: string | null;
  durationMs: number;
  matched: boolean;
  /** Unmatched requests: the nearest route the mock knows (`{}` for a path parameter). */
  hint: string | null;
  /** Id of the fault rule applied to the request. */
  fault: string | null;
}

export interface JournalQuery {
  /** Operation alias (`getBackupExport`) or operationId (`getGroupClusterBackupExport`). */
  operation?: string;
  groupId?: string;
  clusterName?: string;
  exportId?: string;
  method?: string;
  /** `404`, or a class such as `4xx`. */
  status?: string;
  principal?: string;
  matched?: boolean;
  /** Only entries with a greater `seq`. */
  since?: number;
  /** The most recent `limit` entries that match (default: all). */
  limit?: number;
}

export interface JournalScope {
  groupId?: string;
}

export const DEFAULT_JOURNAL_SIZE = 1000;

export class Journal {
  private readonly slots: JournalSlot[] = [];
  private head = 0;
  private count = 0;
  private seq = 0;

  constructor(
    readonly capacity: number,
    private readonly hint: (path: string) => string | undefined = () => undefined,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`journal size must be a positive integer, got ${capacity}`);
  }

  /** The slot for a new entry, with its `seq` set; the caller fills every other field at once. */
  slot(): JournalSlot {
    let s = this.slots[this.head];
    if (!s) {
      s = { seq: 0, at: 0, method: '', url: '', operation: null, operationId: null, groupId: null, clusterName: null, exportId: null, principal: null, status: 0, state: null, durationMs: 0, matched: true, fault: null };
      this.slots[this.head] = s;
    }
    s.seq = ++this.seq;
    this.head = (this.head + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
    return s;
  }

  get size(): number {
    return this.count;
  }

  /** Entries oldest first (the last `limit` that match when a limit is given). */
  list(query: JournalQuery = {}): JournalEntry[] {
    return listJournal(this.ordered(), query, this.hint);
  }

  /** As new: no entry, and the next one has `seq` 1 (a mock that `startAtlasMock` reuses). */
  renew(): void {
    this.clear();
    this.seq = 0;
  }

  /** Forgets every entry, or those of one project; returns how many were removed. */
  clear(scope: JournalScope = {}): number {
    if (scope.groupId === undefined) {
      const n = this.count;
      this.count = 0;
      this.head = 0;
      this.slots.length = 0;
      return n;
    }
    const kept = this.ordered().filter((s) => s.groupId !== scope.groupId);
    const removed = this.count - kept.length;
    this.slots.length = 0;
    kept.forEach((s, i) => (this.slots[i] = s));
    this.count = kept.length;
    this.head = kept.length % this.capacity;
    return removed;
  }

  private ordered(): JournalSlot[] {
    const start = (this.head - this.count + this.capacity) % this.capacity;
    const out: JournalSlot[] = new Array(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.slots[(start + i) % this.capacity]!;
    return out;
  }
}

/** The slots (oldest first) that match a query, as entries: the in-process journal and the shared one (Redis). */
export function listJournal(slots: readonly JournalSlot[], query: JournalQuery, hint: (path: string) => string | undefined): JournalEntry[] {
  const statusTest = statusMatcher(query.status);
  const method = query.method?.toUpperCase();
  const out: JournalSlot[] = [];
  for (const s of slots) {
    if (query.since !== undefined && s.seq <= query.since) continue;
    if (query.operation !== undefined && s.operation !== query.operation && s.operationId !== query.operation) continue;
    if (query.groupId !== undefined && s.groupId !== query.groupId) continue;
    if (query.clusterName !== undefined && s.clusterName !== query.clusterName) continue;
    if (query.exportId !== undefined && s.exportId !== query.exportId) continue;
    if (method !== undefined && s.method !== method) continue;
    if (query.principal !== undefined && s.principal !== query.principal) continue;
    if (query.matched !== undefined && s.matched !== query.matched) continue;
    if (statusTest && !statusTest(s.status)) continue;
    out.push(s);
  }
  const picked = query.limit !== undefined && out.length > query.limit ? out.slice(out.length - query.limit) : out;
  return picked.map((s) => journalEntry(s, hint));
}

/** What the journal shows of a request's duration: hundredths of a millisecond. */
export const shownDuration = (ms: number): number => Math.round(ms * 100) / 100;

function journalEntry(s: JournalSlot, hint: (path: string) => string | undefined): JournalEntry {
  const q = s.url.indexOf('?');
  const path = q === -1 ? s.url : s.url.slice(0, q);
  return {
    seq: s.seq,
    time: new Date(s.at).toISOString(),
    method: s.method,
    path,
    query: q === -1 ? null : s.url.slice(q + 1),
    operation: s.operation,
    groupId: s.groupId,
    clusterName: s.clusterName,
    exportId: s.exportId,
    principal: s.principal,
    status: s.status,
    dropped: s.status === 0,
    state: s.state,
    durationMs: shownDuration(s.durationMs),
    matched: s.matched,
    hint: s.matched ? null : (hint(path) ?? null),
    fault: s.fault,
  };
}

function statusMatcher(status: string | undefined): ((s: number) => boolean) | undefined {
  if (status === undefined) return undefined;
  const m = /^([0-9])xx$/i.exec(status);
  if (m) {
    const cls = Number(m[1]);
    return (s) => Math.floor(s / 100) === cls;
  }
  const n = Number(status);
  return (s) => s === n;
}
