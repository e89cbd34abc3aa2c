/**
 * Absolute URLs on the request's host, as Atlas writes them in `links` (contract §7 Lists: "absolute URLs on
 * the request's host"; recorded `http://localhost:8080/api/atlas/v2/…` and `https://cloud-dev.mongodb.com/…`).
 *
 * [I] Behind a TLS-terminating proxy the mock sees plain HTTP; `X-Forwarded-Proto` / `X-Forwarded-Host` (first
 * value) win over the socket and the `Host` header so that links point where the client can follow them.
 */
import type { FastifyRequest } from 'fastify';

function firstValue(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  const first = v?.split(',', 1)[0]?.trim();
  return first ? first : undefined;
}

/** `http://host:port` of the request (no trailing slash). */
export function requestOrigin(request: FastifyRequest): string {
  const fwdProto = firstValue(request.headers['x-forwarded-proto'])?.toLowerCase();
  const proto = fwdProto === 'http' || fwdProto === 'https' ? fwdProto : request.protocol;
  const host = firstValue(request.headers['x-forwarded-host']) ?? request.host ?? 'localhost';
  return `${proto}://${host}`;
}

/** The request's path without its query string, as the client sent it. */
export function requestPath(request: FastifyRequest): string {
  // indexOf and slice, not split: no array per request (a list's links need it every time, ~0.3 µs).
  const url = request.url;
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/** Origin and path of the request: the base of a list's `self` / `next` / `previous` links. */
export function requestBaseUrl(request: FastifyRequest): string {
  return requestOrigin(request) + requestPath(request);
}
