/**
 * Request loggers made on first use. Fastify gives every request a child of the app's pino
 * logger, bound to its request id; building it (and serializing the binding) cost ~0.7 µs per request,
 * while with per-request logging off (the default) almost no request ever logs. A `LazyRequestLogger`
 * stands in for that child and builds the real one — same parent, bindings and options, so the same
 * lines — the first time a line is actually written at an enabled level.
 *
 * `makeChildLoggersLazy(app.log)` puts it in place by giving the root logger a `child` that returns one
 * (pino's children inherit it, so theirs are lazy too). Not through Fastify's `childLoggerFactory`
 * option: Fastify checks every logger a custom factory returns, which cost half of the saving.
 */
import type { FastifyBaseLogger } from 'fastify';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
type LogFn = (...args: unknown[]) => void;
type Bindings = Record<string, unknown>;
type ChildOptions = { level?: string } & Record<string, unknown>;
type RealChild = (this: FastifyBaseLogger, bindings: Bindings, options?: ChildOptions) => FastifyBaseLogger;

export class LazyRequestLogger {
  #child: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildOptions | undefined,
    /** pino's own `child`, called on `parent` to build the real child. */
    private readonly realChild: RealChild,
  ) {}

  private get real(): FastifyBaseLogger {
    return (this.#child ??= this.realChild.call(this.parent, this.bindings, this.options));
  }

  /** A line at `level`: dropped unbuilt when the child would drop it too (it inherits the parent's level). */
  private write(level: Level, args: unknown[]): void {
    if (this.#child === undefined && this.options?.level === undefined && !(this.parent as unknown as { isLevelEnabled(l: string): boolean }).isLevelEnabled(level)) return;
    (this.real[level] as LogFn)(...args);
  }

  fatal(...args: unknown[]): void {
    this.write('fatal', args);
  }
  error(...args: unknown[]): void {
    this.write('error', args);
  }
  warn(...args: unknown[]): void {
    this.write('warn', args);
  }
  info(...args: unknown[]): void {
    this.write('info', args);
  }
  debug(...args: unknown[]): void {
    this.write('debug', args);
  }
  trace(...args: unknown[]): void {
    this.write('trace', args);
  }
  silent(): void {}

  child(bindings: Bindings, options?: ChildOptions): FastifyBaseLogger {
    return this.real.child(bindings, options);
  }

  get level(): string {
    return this.real.level;
  }

  set level(level: string) {
    this.real.level = level;
  }

  isLevelEnabled(level: string): boolean {
    return (this.real as unknown as { isLevelEnabled(l: string): boolean }).isLevelEnabled(level);
  }
}

/** From now on, `root.child(…)` (and the children's) returns a `LazyRequestLogger`. */
export function makeChildLoggersLazy(root: FastifyBaseLogger): void {
  const realChild = root.child as RealChild;
  (root as { child: unknown }).child = function lazyChild(this: FastifyBaseLogger, bindings: Bindings, options?: ChildOptions): FastifyBaseLogger {
    return new LazyRequestLogger(this, bindings, options, realChild) as unknown as FastifyBaseLogger;
  };
}
