/**
 * The `state` of the export job a response served, kept on the request for the request journal (its
 * "served state"). A handler that answers with a job view calls `served(request, view)`; reading one field
 * and writing one property is all it costs (the journal copies it in its onResponse hook).
 */
import type { FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** `state` of the export job in the response, when the response is one (decorated by the control plane). */
    servedState: string | null;
  }
}

export function served<T extends { state: string }>(request: FastifyRequest, view: T): T {
  request.servedState = view.state;
  return view;
}
