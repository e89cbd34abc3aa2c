/**
 * A GET on a replica in one Redis round trip. Answering a GET needs three things from Redis: a token of its
 * rate-limit bucket, the head of the log (the replica must not answer from a state older than a write
 * answered before the request arrived) and its journal entry (in Redis before the answer leaves). The first
 * two were asked for before the handler and the third after it: two round trips, each of them ~12 µs of
 * Redis's CPU and 25–50 µs of the replica's for its fixed cost (ioredis command, socket write and read, Lua
 * set-up), shared by the requests of one event-loop turn (`tick.ts`) — more than the rest of the GET.
 *
 * Here a GET is answered first, from the replica's state as it is (log entry `head`), and then **one**
 * script call (`Tick.commit`, with the other requests of its turn) checks that the log's head is still
 * `head`, takes the token and writes the journal entry of that answer, atomically; the answer leaves after.
 * When it cannot go through, nothing of it was taken or written, and the prepared answer is discarded
 * (never sent), its status, headers and served state put back:
 * - the head moved (another replica wrote, or this one did meanwhile), or its bucket could not give a token
 *   to every commit of its turn and bucket (they go through together: `Tick.commit`): the request runs
 *   again as a request arriving now — its token and the head first (the replica catches up, authenticates
 *   again; an empty bucket answers the 429 exactly as before, journaled as a 429), then the handler, then
 *   its journal entry — so what it answers includes every write logged before it ran;
 * - Redis does not answer: 503, as a failed take.
 *
 * The request's point in the shared order is the script call: the token, the journal `seq` and the head it
 * checked are all of that instant, and the answer reflects exactly the log up to that head.
 *
 * Deferred this way: GET and HEAD on Atlas routes, authenticated on the state the replica is at, while no
 * fault rule exists (a fault is decided before the handler, with its own round trip). An answer that does
 * not come from the handler's synchronous part (a validation error, an exception, an asynchronous handler)
 * cannot be prepared again: it takes its token once decided (`lateTake`, plugins/rate-limit.ts), a 429
 * replacing it when the bucket is empty, and is journaled as any other answer. Every other request takes
 * the path it took before.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** Shared mock: the log entry a GET answered in one round trip is answered at; -1 otherwise. */
    deferredHead: number;
    /** Its rate-limit bucket's scope key (null: none). */
    deferredKey: string | null;
    /** Its journal entry went with its token (the journal hook writes no other). */
    journaled: boolean;
  }
  interface FastifyContextConfig {
    /** Shared mock: the encoded journal entry of this route's response with that status (control/plugin.ts). */
    journalEntry?: (request: FastifyRequest, reply: FastifyReply, status: number) => string;
  }
}

export function decorateOneTrip(app: FastifyInstance): void {
  app.decorateRequest('deferredHead', -1);
  app.decorateRequest('deferredKey', null);
  app.decorateRequest('journaled', false);
}

/** What the route's rate-limit hook does for a request that takes its token before the handler. */
export type TakeNow = (request: FastifyRequest, reply: FastifyReply, key: string | undefined, recheck: boolean, done: (error?: Error) => void) => void;

export interface OneTripRoute {
  handler: RouteHandlerMethod;
  /** Commits the answer prepared at `request.deferredHead` (Tick.commit with the route's bucket). */
  commit(request: FastifyRequest, entry: string | undefined, done: import('./tick.js').CommitDone): void;
  /** Sets the rate-limit headers of a decision (and returns the 429 to answer when it refused). */
  decided(request: FastifyRequest, reply: FastifyReply, decision: import('../auth/rate-limiter.js').RateDecision): Error | undefined;
  takeNow: TakeNow;
  entryOf: ((request: FastifyRequest, reply: FastifyReply, status: number) => string) | undefined;
}

const NOT_SENT = Symbol('not sent');

const isThenable = (v: unknown): v is PromiseLike<unknown> => v !== null && typeof v === 'object' && typeof (v as { then?: unknown }).then === 'function';

/** The reply's headers as they are before a handler runs (`snapshot`), to be put back by `restore`. */
export type HeaderSnapshot = Record<string, unknown>;

/** Where Fastify keeps a reply's headers until they are written (`reply.getHeaders()` copies it). */
let headersKey: symbol | undefined;

/** The object of Fastify's own headers of a reply, undefined when this Fastify keeps them elsewhere. */
function headersOf(reply: FastifyReply): Record<string, unknown> | undefined {
  if (headersKey === undefined) {
    headersKey = Object.getOwnPropertySymbols(reply).find((s) => s.description === 'fastify.reply.headers');
    if (headersKey === undefined) return undefined;
  }
  const headers = (reply as unknown as Record<symbol, unknown>)[headersKey];
  return headers !== null && typeof headers === 'object' ? (headers as Record<string, unknown>) : undefined;
}

/**
 * A copy of the headers a reply has before its handler runs, taken for every deferred GET. A copy of
 * Fastify's headers object: `reply.getHeaders()` merges it with Node's (empty until Fastify writes the
 * head: nothing of this mock sets them before) into a new object by two spreads: 0.31–0.33 µs a GET
 * against 0.02 µs for this copy (micro-benchmarked with the seven headers a GET has at that point).
 */
export function snapshot(reply: FastifyReply): HeaderSnapshot {
  const own = headersOf(reply);
  return own === undefined ? reply.getHeaders() : { ...own };
}

/**
 * Puts the reply's status, headers and serializer back as they were before a handler ran (its answer is
 * discarded). The serializer too: an error answer sets one that leaves its prepared text as it is
 * (plugins/errors.ts), and the answer made again may be an object for the route's own serializer.
 */
export function restore(reply: FastifyReply, headers: HeaderSnapshot, status: number): void {
  for (const name of Object.keys(headersOf(reply) ?? reply.getHeaders())) if (!(name in headers)) reply.removeHeader(name);
  for (const name in headers) reply.header(name, headers[name]);
  reply.code(status);
  // Fastify's reply starts with no serializer of its own (null), and `serializer()` is how it is set.
  reply.serializer(null as never);
}

/** Runs a handler as Fastify would, answering what it returns or throws. */
function run(server: FastifyInstance, handler: RouteHandlerMethod, request: FastifyRequest, reply: FastifyReply): void {
  let value: unknown;
  try {
    value = handler.call(server, request, reply);
  } catch (e) {
    reply.send(e);
    return;
  }
  if (isThenable(value)) {
    value.then(
      (v) => v !== undefined && v !== reply && !reply.sent && reply.send(v),
      (e: unknown) => reply.send(e),
    );
  } else if (value !== undefined && value !== reply) reply.send(value);
}

/**
 * The route's handler for a shared mock: a deferred request is answered, committed, then sent (or answered
 * again); any other request runs the handler as it is.
 */
export function oneTripHandler(r: OneTripRoute): RouteHandlerMethod {
  const { handler } = r;
  return function oneTrip(this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
    if (request.deferredHead < 0) return handler.call(this, request, reply);
    const headers = snapshot(reply);
    const status = reply.statusCode;
    let sent: unknown = NOT_SENT;
    // What the handler sends is held until the commit went through (as a write's, replication/engine.ts).
    (reply as { send: unknown }).send = (payload: unknown) => {
      sent = payload;
      return reply;
    };
    let value: unknown;
    try {
      value = handler.call(this, request, reply);
    } catch (e) {
      delete (reply as { send?: unknown }).send;
      // Not prepared again: its token is taken once answered (lateTake).
      reply.send(e);
      return undefined;
    } finally {
      delete (reply as { send?: unknown }).send;
    }
    if (sent === NOT_SENT) {
      // Answered later by the handler itself: its token is taken then (lateTake).
      if (value === undefined || isThenable(value)) return value;
      sent = value;
    }
    const payload = sent;
    r.commit(request, r.entryOf?.(request, reply, reply.statusCode), (error, through, decision) => {
      request.deferredHead = -1;
      if (through && (decision === undefined || decision.allowed)) {
        if (decision) r.decided(request, reply, decision);
        request.journaled = r.entryOf !== undefined;
        reply.send(payload);
        return;
      }
      restore(reply, headers, status);
      request.servedState = null;
      if (error) {
        reply.send(error);
        return;
      }
      // Computed on a state the log has left, or its bucket could not give a token to every commit of its
      // turn: discarded, and the request runs as one arriving now (a 429 if its take is refused).
      r.takeNow(request, reply, request.deferredKey ?? undefined, true, (e) => {
        if (e) reply.send(e);
        else run(this, handler, request, reply);
      });
    });
    return undefined;
  };
}
