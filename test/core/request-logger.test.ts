/**
 * Request loggers are built on first use: the lines must be exactly those of the child Fastify
 * would have built, and a request that logs nothing must not build one.
 */
import { Writable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { createClock } from '../../src/core/clock.js';
import { LazyRequestLogger } from '../../src/http/request-logger.js';
import { T0 } from '../helpers/mock.js';

function sink(): { stream: Writable; text(): string } {
  let out = '';
  return {
    stream: new Writable({
      write(chunk, _enc, cb) {
        out += chunk.toString();
        cb();
      },
    }),
    text: () => out,
  };
}

/**
 * The root logger of an app with this level (Fastify's pino), with a fixed time so lines compare; with
 * per-request lines on, its children are pino's own.
 */
function rootLogger(level: string, requestLogging = false): { log: FastifyBaseLogger; text(): string } {
  const s = sink();
  const app = buildApp({ logger: { level, stream: s.stream, timestamp: false, base: { pid: 1, hostname: 'h' } }, requestLogging });
  return { log: app.log, text: s.text };
}

const boom = new Error('boom');
const script = (log: FastifyBaseLogger) => {
  log.debug({ reason: 'r' }, 'a debug line');
  log.info('an info line');
  log.warn({ n: 1 }, 'a warning %s', 'with an argument');
  log.error({ err: boom }, 'an error');
  log.child({ sub: 'x' }).info('from a grandchild');
  log.trace('a trace line');
};

describe('LazyRequestLogger', () => {
  it.each(['info', 'debug', 'error', 'trace'])('writes exactly what the real child writes, at level %s', (level) => {
    const real = rootLogger(level, true);
    const realChild = real.log.child({ reqId: 'req-1' }, {});
    expect(realChild).not.toBeInstanceOf(LazyRequestLogger);
    script(realChild);
    const lazy = rootLogger(level);
    const lazyChild = lazy.log.child({ reqId: 'req-1' }, {});
    expect(lazyChild).toBeInstanceOf(LazyRequestLogger);
    script(lazyChild);
    expect(lazy.text()).toBe(real.text());
    expect(real.text()).toContain('"reqId":"req-1"');
  });

  it('builds no child for lines below the level, and one child for the rest', () => {
    const { log } = rootLogger('info', true);
    let built = 0;
    const lazy = new LazyRequestLogger(log, { reqId: 'req-2' }, {}, function (this: FastifyBaseLogger, bindings) {
      built++;
      return log.child.call(this, bindings);
    });
    lazy.debug('dropped');
    lazy.trace('dropped');
    expect(built).toBe(0);
    lazy.info('kept');
    lazy.warn('kept');
    expect(built).toBe(1);
    expect(lazy.level).toBe('info');
  });

  it('is what a request logs with when the app logs (per-request lines off), with the request id', async () => {
    const s = sink();
    const app = buildApp({ logger: { level: 'info', stream: s.stream } }, { clock: createClock({ mode: 'manual', start: T0 }) });
    app.get('/log-probe', (request) => {
      request.log.warn('probe');
      return { lazy: request.log instanceof LazyRequestLogger };
    });
    const res = await app.inject({ url: '/log-probe' });
    expect(res.json()).toEqual({ lazy: true });
    expect(s.text()).toMatch(/"reqId":"req-[0-9a-z]+".*"msg":"probe"/);
    await app.close();
  });
});
