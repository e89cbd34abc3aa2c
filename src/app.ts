/**
 * `buildApp(options, deps)`: one mock instance as a Fastify app that never listens (only the CLI and
 * `startAtlasMock` do). Time and randomness come in through `deps`; each app has its own store.
 *
 * Plugin order is the request pipeline:
 *   openapi → docs → control plane → security headers → [auth → rate limit] → negotiation (version,
 *   envelope, pretty) → errors → token endpoint, operations → control API (/__mock)
 *
 * Authentication runs in onRequest (before negotiation, so it answers first); authorization and the rate
 * limit run in preValidation, once the route and its raw path parameters are known (plugins/auth.ts).
 * The control plane comes early only so that its onRoute hook sees every API route (the token endpoint
 * too); the hooks it puts on them run at preHandler / onResponse, i.e. after authentication.
 */
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { createClock, type Clock, type ClockImage } from './core/clock.js';
import { createRandom, type RandomImage, type RandomSource } from './core/random.js';
import { createContext, type MockContext } from './context.js';
import { defaultDataset, loadFixtureDir } from './fixtures/load.js';
import { compact } from './http/json.js';
import { makeChildLoggersLazy } from './http/request-logger.js';
import { registerOperations } from './http/operation.js';
import { zodValidatorCompiler } from './http/validation.js';
import { DEFAULT_BODY_LIMIT, type AppOptions } from './options.js';
import { clientErrorHandler, httpLimits, httpServerOptions, urlLengthHook } from './http/limits.js';
import { errorsPlugin, frameworkErrorHandler } from './plugins/errors.js';
import { negotiationPlugin, securityHeadersPlugin } from './plugins/negotiation.js';
import { openApiPlugin } from './plugins/openapi.js';
import { authPlugin } from './plugins/auth.js';
import { rateLimitPlugin } from './plugins/rate-limit.js';
import { createAuthService } from './auth/service.js';
import { oauthRoutes } from './auth/oauth-routes.js';
import { docsPlugin } from './plugins/docs.js';
import { CONTROL_PREFIX, controlPlanePlugin, controlRoutesPlugin } from './control/plugin.js';
import { exportOperations } from './exports/routes.js';
import { bucketOperations } from './buckets/routes.js';
import { snapshotOperations } from './snapshots/routes.js';
import { clusterOperations } from './clusters/routes.js';
import { flexOperations } from './flex/routes.js';
import { projectOperations } from './projects/routes.js';
import { accessOperations } from './access/routes.js';
import { boundaryOperations } from './boundary/routes.js';
import { scheduleOperations } from './schedules/routes.js';
import { PACKAGE_VERSION } from './version.js';
import { DatasetError } from './fixtures/apply.js';
import type { AuthService } from './auth/service.js';
import type { TimedPlan } from './store/model.js';
import { readStateFile, removeStaleTemporaries, StateFileError } from './state/file.js';
import { StatePersister } from './state/persister.js';
import { captureState, restoreState } from './state/snapshot.js';
import { memoryEngine, type StoreEngine } from './store/engine.js';
import { DEFAULT_STORE_PREFIX, RedisEngine, worldFingerprint } from './replication/engine.js';
import { ExportFilesWriter } from './export-files/writer.js';
import type { Journal } from './control/journal.js';
import type { ExportFilesOptions } from './export-files/options.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** With `stateFile`: the saver of the state file. */
    statePersister?: StatePersister;
  }
}

export interface AppDeps {
  clock?: Clock;
  random?: RandomSource;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The instance's context: store, clock, random source, services. */
    mock: MockContext;
    /** Where the world lives: memory (default) or Redis, shared with other replicas (`--store`). */
    storeEngine: StoreEngine;
  }
}

/**
 * Values that never reach a log line (secrets never appear in logs): credentials in headers, the
 * token endpoint's form fields, issued tokens. Fastify's default serializers log none of them; the list
 * guards any log call that passes a request, reply or body object along.
 */
export const REDACTED = [
  'req.headers.authorization',
  'req.headers["x-mock-admin-token"]',
  'req.body.client_secret',
  'req.body.token',
  'res.body.access_token',
  'headers.authorization',
  'body.client_secret',
  'body.token',
  'access_token',
];

/**
 * `--state-file` (src/state/): restore what a previous run saved (a file that cannot be used stops
 * the start with a StateFileError and is left alone), then save after every change and on close.
 */
function persistState(app: FastifyInstance, file: string, auth: AuthService): void {
  const ctx = app.mock;
  removeStaleTemporaries(file);
  const saved = readStateFile(file);
  let restoredPlan: TimedPlan | undefined;
  if (saved) {
    try {
      restoredPlan = restoreState(ctx, auth, saved);
    } catch (e) {
      if (e instanceof DatasetError || e instanceof RangeError) throw new StateFileError(file, e.message);
      throw e;
    }
  }
  const persister = new StatePersister(file, () => captureState(ctx, auth), app.log);
  app.decorate('statePersister', persister);
  ctx.store.onChange(persister.changed);
  ctx.clock.onChange(persister.changed);
  auth.tokens.onChange(persister.changed);
  ctx.exportProgress.onChange(persister.changed);
  app.addHook('onReady', async () => {
    // After the control plane took the start-up default plan (what a full reset goes back to).
    if (restoredPlan) ctx.defaultPlan = restoredPlan;
    // The file exists (and matches the flags' fixtures or the restored state) from the start.
    persister.changed();
    await persister.flush();
  });
  app.addHook('onClose', async () => {
    // The writer's last progress goes into the last save.
    await ctx.exportFiles?.stop();
    await persister.close();
  });
}

/**
 * Export files (src/export-files/): one writer for the mock, started once the app is ready (after a state
 * file was restored, so it goes on from where it stopped) and stopped on close.
 */
function writeExportFiles(app: FastifyInstance, options: ExportFilesOptions, shared: RedisEngine | undefined): void {
  const ctx = app.mock;
  // A shared store: the replica that holds the writer's lease writes for all (replication/writer-lease.ts).
  const writer = new ExportFilesWriter({ ctx, options, log: app.log, faults: () => app.control?.faults, coordination: shared?.exportWriter() });
  ctx.exportFiles = writer;
  app.addHook('onReady', async () => writer.start());
  app.addHook('onClose', async () => writer.stop());
}

/** The random source's position once an app was ready: where a renewed app draws from again. */
const readyRandom = new WeakMap<FastifyInstance, RandomImage>();

/**
 * Whether `renewApp` can bring this app back to what `buildApp` made: a random source that can return to a
 * position, the world in memory (a state file or a shared store keeps it elsewhere), no generated jobs
 * (faker's own generator moved on).
 */
export function renewable(app: FastifyInstance): boolean {
  const o = app.mock.options;
  return readyRandom.has(app) && !o.stateFile && !o.store && !o.generate;
}

/**
 * Brings a ready app that served requests back to what `buildApp` made, at the time `clock` says (mode,
 * speed, time): the same store (its fixtures applied again at that time), random position, id counter, plans,
 * no token, nonce, rate-limit use, fault rule, journal entry or written export file. What `startAtlasMock`
 * does to reuse the app of a closed mock for the next one (`testing/pool.ts`): building one, its ~120 routes
 * above all, is almost all of a start. The caller stopped its server and its export-files writer first.
 */
export function renewApp(app: FastifyInstance, clock: ClockImage): void {
  const random = readyRandom.get(app);
  if (!random || !renewable(app)) throw new Error('renewApp: this app cannot be renewed');
  const ctx = app.mock;
  ctx.random.restore!(random);
  ctx.clock.restore(clock);
  app.atlasAuth.renew();
  app.control.faults.renew();
  // In memory (not `renewable` with a shared store): the plane's own journal.
  (app.control.journal as Journal | null)?.renew();
  ctx.renew();
}

export function buildApp(options: AppOptions = {}, deps: AppDeps = {}): FastifyInstance {
  const clock = deps.clock ?? createClock();
  const random = deps.random ?? createRandom(1);
  const dataset = typeof options.fixtures === 'object' ? options.fixtures : options.fixtures ? loadFixtureDir(options.fixtures) : defaultDataset();
  const ctx = createContext(options, dataset, clock, random);
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const limits = httpLimits(options);
  const logger = options.logger === undefined || options.logger === false ? false : { ...(typeof options.logger === 'object' ? options.logger : {}), redact: REDACTED };

  const app = Fastify({
    logger,
    bodyLimit,
    // Cluster names have no length limit in the spec; long ones must reach the route (404 CLUSTER_NOT_FOUND)
    // up to the URL length limit (http/limits.ts), which answers 414 before the router would. One trailing
    // slash names the same resource as the path without it, as Atlas routes `/groups/` to `/groups` (the
    // recorded 405, http/route-table.ts); the request keeps its URL (Digest `uri`, list links).
    routerOptions: { maxParamLength: limits.maxUrlLength, ignoreTrailingSlash: true },
    http: httpServerOptions(limits),
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    clientErrorHandler: clientErrorHandler(limits),
    // Per-request log lines cost throughput; errors are still logged. `--log-level debug` turns them on.
    logController: new LogController({ disableRequestLogging: options.requestLogging !== true }),
    frameworkErrors: frameworkErrorHandler(limits.maxUrlLength),
    return503OnClosing: false,
    // A body key `__proto__` / `constructor.prototype` is dropped like any unknown attribute, never applied
    // (the default 'error' answered a valid body carrying one as MALFORMED_JSON; found by schemathesis).
    onProtoPoisoning: 'remove',
    onConstructorPoisoning: 'remove',
    // Requests are validated with the routes' zod schemas (http/validation.ts). Response bodies are built in
    // schema order by the views; the response schemas document them, and the contract tests check them
    // against the official schemas: serializing is plain JSON.stringify. Given as factories rather than
    // through setValidatorCompiler, so that Fastify does not first load its default compilers (Ajv,
    // fast-json-stringify; start-up). Its types expect Ajv-style factories here, hence the cast.
    schemaController: { compilersFactory: { buildValidator: (() => zodValidatorCompiler) as never, buildSerializer: () => () => compact } },
  }).withTypeProvider<ZodTypeProvider>();
  // Without them, a request's child logger is only built if the request does log something.
  if (logger && options.requestLogging !== true) makeChildLoggersLazy(app.log);

  // Node answers an `Expect` other than 100-continue with its own bare 417; RFC 9110 §10.1.1 lets a server
  // ignore it instead [I], so such a request goes through the pipeline like any other.
  app.server.on('checkExpectation', (req, res) => app.server.emit('request', req, res));

  app.decorate('mock', ctx);
  const auth = createAuthService(ctx.store, clock, random, options.auth, options.rateLimit);
  app.decorate('atlasAuth', auth);
  const version = options.version ?? PACKAGE_VERSION;
  if (options.store && options.stateFile) throw new RangeError('stateFile is for the memory store; a shared store (Redis) keeps the world with its own persistence');
  const shared = options.store
    ? new RedisEngine({
        url: options.store,
        prefix: options.storePrefix ?? DEFAULT_STORE_PREFIX,
        version: PACKAGE_VERSION,
        fingerprint: worldFingerprint(PACKAGE_VERSION, random.seed, dataset, options),
        ctx,
        auth,
        faults: () => app.control.faults,
        hint: (path) => app.routeTable?.nearest(path),
        log: app.log,
      })
    : undefined;
  const engine: StoreEngine = shared ?? memoryEngine;
  app.decorate('storeEngine', engine);
  // A reset gives the project(s) full rate-limit buckets again; issued tokens and nonces stay valid, so a
  // client keeps its session across `beforeEach(reset)`. (A shared store refills its buckets in Redis.)
  if (!shared) ctx.onReset((groupId) => auth.limiter?.reset(groupId));
  if (options.stateFile) persistState(app as unknown as FastifyInstance, options.stateFile, auth);
  if (options.exportFiles && options.exportFiles.enabled !== false) writeExportFiles(app as unknown as FastifyInstance, options.exportFiles, shared);
  if (shared) {
    // Connects and loads the shared world before the first request; every change of the world is a write.
    app.addHook('onReady', () => shared.start());
    app.addHook('onClose', () => shared.close());
    void app.register(fp(async (scope) => void scope.addHook('onRoute', (route) => shared.wrapWrites(route)), { name: 'shared-writes' }));
  }

  void app.register(openApiPlugin, { version });
  void app.register(docsPlugin);
  void app.register(controlPlanePlugin, { ctx, version, shared });
  void app.register(securityHeadersPlugin);
  // Right after the security headers: a limit of the server answers before authentication looks at it.
  void app.register(fp(async (scope) => void scope.addHook('onRequest', urlLengthHook(limits)), { name: 'url-length' }));
  void app.register(authPlugin, { service: auth, store: ctx.store, shared });
  void app.register(rateLimitPlugin, { limiter: auth.limiter, store: ctx.store, shared });
  void app.register(negotiationPlugin, { clock });
  void app.register(errorsPlugin, { store: ctx.store, bodyLimit });
  // After the errors plugin, so that its error handler and 405 table cover the token endpoint too.
  void app.register(oauthRoutes, { service: auth });
  void app.register(async (scope) =>
    registerOperations(scope as unknown as FastifyInstance, [
      ...exportOperations(ctx),
      ...bucketOperations(ctx),
      ...snapshotOperations(ctx),
      ...clusterOperations(ctx),
      ...flexOperations(ctx),
      ...projectOperations(ctx),
      ...accessOperations(ctx),
      ...scheduleOperations(ctx),
      ...boundaryOperations(ctx),
    ]),
  );
  void app.register(async (scope) => controlRoutesPlugin(scope as unknown as FastifyInstance, { ...options, plane: app.control }), { prefix: CONTROL_PREFIX });
  if (random.image && random.restore) app.addHook('onReady', async () => void readyRandom.set(app as unknown as FastifyInstance, random.image!()));
  return app as unknown as FastifyInstance;
}
