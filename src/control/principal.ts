/**
 * Who made a request, as the journal shows it. The authentication feature sets
 * `request.principal` once a request is authenticated; this accessor reads it defensively so the journal
 * works with or without it and whatever shape it has: a principal (`{id}`), a compiled principal wrapping
 * one (`{principal: {id}}`), or a plain id string.
 */
import type { FastifyRequest } from 'fastify';

export function principalId(request: FastifyRequest): string | null {
  const p = (request as unknown as { principal?: unknown }).principal;
  if (p === undefined || p === null) return null;
  if (typeof p === 'string') return p;
  if (typeof p !== 'object') return null;
  const id = (p as { id?: unknown }).id;
  if (typeof id === 'string') return id;
  const inner = (p as { principal?: { id?: unknown } | null }).principal;
  return inner && typeof inner.id === 'string' ? inner.id : null;
}
