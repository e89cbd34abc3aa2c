/**
 * Saves the mock's state to `--state-file` after changes and on shutdown:
 * - any change (store, clock, plans, tokens) schedules a save at most `delayMs` (default 250 ms) later;
 *   changes meanwhile join it (one write for a burst of creates), and a change during a write schedules the
 *   next one right after it. So at most about `delayMs` + one write of changes is lost to a `kill -9`;
 * - `close()` (app close, SIGTERM / SIGINT) writes what is pending and waits for it;
 * - a failed write is logged and retried on the next change; the previous file stays valid (atomic writes).
 * The document is captured synchronously (a consistent picture), serialized and written asynchronously.
 */
import type { FastifyBaseLogger } from 'fastify';
import { writeFileAtomic } from './file.js';
import type { StateFile } from './schema.js';

export const DEFAULT_SAVE_DELAY_MS = 250;

export class StatePersister {
  private timer: NodeJS.Timeout | undefined;
  /** Writes run one after the other, each capturing the state when it starts. */
  private queue: Promise<void> = Promise.resolve();
  private dirty = false;
  private closed = false;
  /** Completed writes (for tests and the health of the feature). */
  saves = 0;

  constructor(
    private readonly file: string,
    private readonly capture: () => StateFile,
    private readonly log: Pick<FastifyBaseLogger, 'error' | 'debug'>,
    private readonly delayMs: number = DEFAULT_SAVE_DELAY_MS,
  ) {}

  /** Something changed: save soon (one save for all the changes until then). */
  changed = (): void => {
    this.dirty = true;
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.delayMs);
    // A pending save never keeps the process alive by itself: shutdown flushes explicitly.
    this.timer.unref();
  };

  /** Writes the current state (after any write in progress) if something changed since the last one. */
  flush(): Promise<void> {
    this.queue = this.queue.then(() => this.writeIfDirty());
    return this.queue;
  }

  /** Final save; no further saves are scheduled. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    await this.flush();
  }

  private async writeIfDirty(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    const text = JSON.stringify(this.capture());
    try {
      await writeFileAtomic(this.file, text);
      this.saves++;
      this.log.debug({ file: this.file, bytes: text.length }, 'state saved');
    } catch (e) {
      this.log.error({ err: e, file: this.file }, 'could not save the state file; will retry on the next change');
      this.dirty = true;
    }
  }
}
