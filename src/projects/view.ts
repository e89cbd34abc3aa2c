/**
 * A project (`Group`) and an organization (`AtlasOrganization`) as GET one answers them, keys in Atlas's order,
 * fields and links as recorded (Atlas CLI e2e: TestAtlasProjects/Describe GET …/groups/{id}, TestAtlasOrgs/
 * Describe GET …/orgs/{id}; the POST …/groups of recorded-workflow TestAccessRoles has the same project shape)
 * [R]: `tags` only when the project has some; `created` the fixture's, else the id's time [I: recorded values
 * are the id's time + 1 s].
 */
import { isoSeconds } from '../core/dates.js';
import { objectIdTime } from '../core/objectid.js';
import type { Link } from '../http/pagination.js';
import type { Organization, Project } from '../store/model.js';

export interface ProjectView {
  clusterCount: number;
  created: string;
  id: string;
  links: Link[];
  name: string;
  orgId: string;
  tags?: { key: string; value: string }[];
  withDefaultAlertsSettings: boolean;
}

export interface OrganizationView {
  id: string;
  isDeleted: boolean;
  links: Link[];
  name: string;
  skipDefaultAlertsSettings: boolean;
}

const PROJECT_LINKS = ['containers', 'clusters', 'databaseUsers', 'peers', 'processes', 'whitelist'];
const ORG_LINKS = ['groups', 'teams', 'users'];

function links(self: string, related: readonly string[]): Link[] {
  return [{ href: self, rel: 'self' }, ...related.map((r) => ({ href: `${self}/${r}`, rel: `https://cloud.mongodb.com/${r}` }))];
}

export function projectView(p: Project, clusterCount: number, origin: string): ProjectView {
  return {
    clusterCount,
    created: isoSeconds(p.created ?? objectIdTime(p.id)),
    id: p.id,
    links: links(`${origin}/api/atlas/v2/groups/${p.id}`, PROJECT_LINKS),
    name: p.name,
    orgId: p.orgId,
    ...(p.tags !== undefined && p.tags.length > 0 && { tags: p.tags.map((t) => ({ key: t.key, value: t.value })) }),
    withDefaultAlertsSettings: true,
  };
}

export function organizationView(o: Organization, origin: string): OrganizationView {
  return { id: o.id, isDeleted: false, links: links(`${origin}/api/atlas/v2/orgs/${o.id}`, ORG_LINKS), name: o.name, skipDefaultAlertsSettings: false };
}
