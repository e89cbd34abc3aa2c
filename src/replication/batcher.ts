/** Batching the Redis calls of concurrent requests (`replication/shared.ts`, `replication/replica.ts`). */
/**
 * Calls of one script made in the same tick of the event loop (the concurrent requests of a replica), sent
 * as one call: one command to encode, send, run and parse instead of one per request. Each caller gets its
 * part of the answer.
 */
export class Batcher<I, O> {
  private items: I[] = [];
  private waiters: { resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  private scheduled = false;

  constructor(private readonly send: (items: I[]) => Promise<O[]>) {}

  push(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.items.push(item);
      this.waiters.push({ resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(this.flush);
      }
    });
  }

  private readonly flush = (): void => {
    const items = this.items;
    const waiters = this.waiters;
    this.items = [];
    this.waiters = [];
    this.scheduled = false;
    this.send(items).then(
      (out) => waiters.forEach((w, i) => w.resolve(out[i]!)),
      (e: unknown) => waiters.forEach((w) => w.reject(e)),
    );
  };
}
