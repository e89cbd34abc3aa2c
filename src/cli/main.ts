/**
 * The command line: `atlas-export-mock [flags]` (see `--help`). Prints where it listens, the credentials of
 * the dataset and the clock mode; closes gracefully on SIGINT / SIGTERM (PID 1 in the Docker image).
 * Started by `src/cli.ts` (the `bin`), bundled into `dist/cli.bundle.cjs` by `npm run build`.
 */
import { DatasetError } from '../fixtures/apply.js';
import { StateFileError } from '../state/file.js';
import { StoreStartError } from '../replication/replica.js';
import { helpText, parseArgs, UsageError } from './flags.js';
import { startServer } from '../server.js';
import { tryCommand } from './try-command.js';
import { PACKAGE_VERSION } from '../version.js';
import { redactUrl } from '../replication/redis-client.js';
import { DEFAULT_STORE_PREFIX, type RedisEngine } from '../replication/engine.js';
import type { MockContext } from '../context.js';

async function main(): Promise<void> {
  let config;
  try {
    config = parseArgs(process.argv.slice(2), process.env);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`atlas-export-mock: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  if (config.help) {
    process.stdout.write(helpText() + '\n');
    return;
  }
  if (config.version) {
    process.stdout.write(PACKAGE_VERSION + '\n');
    return;
  }
  let server;
  try {
    server = await startServer(config);
  } catch (e) {
    if (e instanceof DatasetError || e instanceof StateFileError || e instanceof StoreStartError) {
      process.stderr.write(`atlas-export-mock: cannot start: ${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  // Before the "listening on" line: a supervisor (or a test) may send SIGTERM as soon as it reads it, and a
  // signal without a listener would kill the process instead of closing the server.
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    process.stdout.write(`atlas-export-mock: ${signal}, closing\n`);
    const force = setTimeout(() => process.exit(0), 3000);
    force.unref();
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  const { app, url, warnings } = server;
  const ctx = app.mock;
  const lines = [
    `atlas-export-mock ${PACKAGE_VERSION} listening on ${url}`,
    `  clock: ${ctx.clock.mode()}${ctx.clock.mode() === 'system' && ctx.clock.speed() !== 1 ? ` x${ctx.clock.speed()}` : ''}, now ${ctx.clock.state().now}`,
    `  data: ${Object.entries(ctx.store.counts()).map(([k, v]) => `${v} ${k}`).join(', ')}`,
    '  credentials:',
    ...[...ctx.store.principals.values()].map((p) => `    ${p.kind === 'apiKey' ? 'API key (Digest)   ' : 'service account    '} ${p.id} / ${p.secret}  ${p.description}`),
    `  auth: ${app.atlasAuth.enabled ? 'on (Digest API keys, Bearer tokens from POST /api/oauth/token)' : 'off (every request acts as the first Owner)'}; rate limit: ${app.atlasAuth.limiter ? `${app.atlasAuth.limiter.config.capacity} per project, +${app.atlasAuth.limiter.config.refill} per ${app.atlasAuth.limiter.config.periodMs / 1000} s` : 'off'}`,
    `  control API: ${url}/__mock (${ctx.options.adminToken ? 'admin token required' : ctx.options.allowRemoteControl ? 'open to every client' : 'loopback clients only'}), docs: ${url}/docs`,
    ...(ctx.options.stateFile ? [`  state file: ${ctx.options.stateFile} (saved after changes and on exit)`] : []),
    ...(ctx.options.store ? [`  store: ${redactUrl(ctx.options.store)}, world "${ctx.options.storePrefix ?? DEFAULT_STORE_PREFIX}" (shared with every replica started with the same store), replica ${app.storeEngine.kind === 'redis' ? (app.storeEngine as RedisEngine).replica.replica : 0}`] : []),
    `  export files: ${exportFilesLine(ctx)}`,
    `  try: ${tryCommand(app, url)}`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
  if (warnings.length > 0) {
    const bar = '!'.repeat(100);
    process.stderr.write([bar, ...warnings.map((w) => `!! ${w}`), bar].join('\n') + '\n');
  }
}

/** Where export jobs write their files: the folder, and which buckets go elsewhere. */
function exportFilesLine(ctx: MockContext): string {
  const writer = ctx.exportFiles;
  if (!writer) return 'off';
  const storage = ctx.options.exportFiles?.storage;
  const elsewhere = [
    ...Object.entries(storage?.providers ?? {}).filter(([, k]) => k !== 'folder').map(([p, k]) => `${p} buckets to ${k}`),
    ...Object.entries(storage?.buckets ?? {}).map(([b, k]) => `bucket ${b} to ${k}`),
  ];
  return `${writer.storages.dir}/<bucketName>/${elsewhere.length > 0 ? `; ${elsewhere.join(', ')}` : ''}`;
}

main().catch((e: unknown) => {
  process.stderr.write(`atlas-export-mock: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
