/**
 * Atlas's rate-limit endpoint sets (contract §6; MongoDB docs "Atlas Administration API Rate Limits",
 * `mongodb/docs@12d5f94a:content/atlas/source/includes/api-rate-limits.rst`, last updated 2026-04-10): every
 * endpoint belongs to one set and one scope (project, organization or user); endpoints of the same set and
 * scope share one token bucket per project / organization / user. The recordings agree: export jobs and
 * buckets `Ratelimit-Limit: 1200`, cluster GETs `10000`, the flex snapshot probes `1200`, cloud provider access
 * `2000` (recorded-workflow/), GET project `1200` and GET organization `500` (Atlas CLI e2e TestAtlasProjects,
 * TestAtlasOrgs).
 *
 * The snapshot databases/collections operations of 2025-03-12 are not in the docs' list (newer than it): they
 * stay in Cloud Backups with every other `…/backup/…` operation [I].
 */
import type { RateLimitConfig } from './rate-limiter.js';

export type RateScope = 'GROUP' | 'ORGANIZATION' | 'USER';

export interface RateCategory extends RateLimitConfig {
  /** The endpoint set's name, as the docs write it. */
  readonly name: string;
  readonly scope: RateScope;
}

const minute = 60_000;
const category = (name: string, scope: RateScope, capacity: number, refill: number): RateCategory => Object.freeze({ name, scope, capacity, refill, periodMs: minute });

/** The sets the mock's operations belong to, with Atlas's numbers [D]. */
export const RATE_CATEGORIES = {
  cloudBackups: category('Cloud Backups', 'GROUP', 1200, 500),
  clusters: category('Clusters', 'GROUP', 10_000, 5000),
  cloudProviderAccess: category('Cloud Provider Access', 'GROUP', 2000, 1000),
  flexClusters: category('Flex Clusters', 'GROUP', 1200, 500),
  flexSnapshots: category('Flex Snapshots', 'GROUP', 1200, 500),
  projects: category('Projects', 'GROUP', 1200, 500),
  /** `GET /groups`, `POST /groups`: the Projects set at user scope. */
  projectsByUser: category('Projects', 'USER', 1200, 500),
  organizations: category('Organizations', 'ORGANIZATION', 500, 250),
  /** `GET /orgs`, `POST /orgs`: the Organizations set at user scope. */
  organizationsByUser: category('Organizations', 'USER', 300, 100),
} as const;

export type RateCategoryKey = keyof typeof RATE_CATEGORIES;

/**
 * The key of a category's buckets: set and scope (a set may have several scopes). Built once per category
 * object: every request with a bucket looks its set up by it.
 */
const categoryIds = new WeakMap<RateCategory, string>();
export function categoryId(c: RateCategory): string {
  let id = categoryIds.get(c);
  if (id === undefined) categoryIds.set(c, (id = `${c.name}/${c.scope}`));
  return id;
}
