/**
 * Hooks compiled per route: a cross-cutting plugin adds, from its `onRoute` hook, a route-level
 * hook built for that route with what it needs captured (the route's AtlasRoute, its role, …). A request
 * then runs only the hooks that apply to its route, none of them reading `request.routeOptions` (a getter
 * that builds a new object on every access).
 */
import type { RouteOptions } from 'fastify';

type HookName = 'onRequest' | 'preValidation' | 'preHandler' | 'onResponse';

/** Appends `hook` to the route's own hooks of that stage (after any hook the route or an earlier plugin set). */
export function addRouteHook(route: RouteOptions, name: HookName, hook: (...args: any[]) => void): void {
  const existing = route[name] as unknown;
  route[name] = (existing === undefined ? [hook] : Array.isArray(existing) ? [...existing, hook] : [existing, hook]) as never;
}
