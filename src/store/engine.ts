/**
 * Where the world lives: in this process's memory only (the default), or shared by several replicas
 * through Redis (`--store redis://…`, `replication/`). Every replica keeps the whole store in memory either
 * way; the engine decides who else sees its changes. The rest of the mock talks to the engine through this
 * small interface; the Redis engine adds what its plugins need (`replication/engine.ts`).
 */
export interface StoreHealth {
  engine: 'memory' | 'redis';
  healthy: boolean;
  /** Redis: the URL (password hidden), the world's prefix, this replica's number, log entries applied. */
  url?: string;
  prefix?: string;
  replica?: number;
  applied?: number;
  /** Why it is unhealthy. */
  problem?: string | null;
  /** Redis, with export files on: this replica writes them now (it holds the writer's lease). */
  exportWriter?: boolean;
}

export interface StoreEngine {
  readonly kind: 'memory' | 'redis';
  /** Before the first request: connects and loads the shared world (memory: nothing). */
  start(): Promise<void>;
  close(): Promise<void>;
  health(): Promise<StoreHealth>;
}

export const memoryEngine: StoreEngine = Object.freeze({
  kind: 'memory' as const,
  start: async () => undefined,
  close: async () => undefined,
  health: async (): Promise<StoreHealth> => ({ engine: 'memory', healthy: true }),
});
