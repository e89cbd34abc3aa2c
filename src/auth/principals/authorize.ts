/**
 * Authorization of one Atlas operation on one project (contract §5), for an authenticated principal and a
 * project that exists (an unknown project is left to the operation: 404 GROUP_NOT_FOUND, recorded):
 *
 * 1. the project belongs to another organization → 401 `USER_CANNOT_ACCESS_GROUP` [D status; I code];
 * 2. the principal has no grant on the project → 401 `USER_CANNOT_ACCESS_GROUP` [I];
 * 3. no granted role holds the operation's role (`roles.ts`) → 401 `USER_UNAUTHORIZED` [D; I choice].
 */
import { atlasError, type AtlasError } from '../../errors/atlas-error.js';
import type { Organization, OrgRole, Project, Role } from '../../store/model.js';
import type { CompiledPrincipal } from './compile.js';

export function authorize(principal: CompiledPrincipal, project: Project, role: Role): AtlasError | undefined {
  if (project.orgId !== principal.principal.orgId) return atlasError('USER_CANNOT_ACCESS_GROUP');
  const held = principal.roles.get(project.id);
  if (!held) return atlasError('USER_CANNOT_ACCESS_GROUP');
  if (!held.has(role)) return atlasError('USER_UNAUTHORIZED');
  return undefined;
}

/**
 * Authorization of an operation on an organization (`/orgs/{orgId}`) that exists (an unknown one is the
 * operation's 404 ORG_NOT_FOUND). A principal belongs to one organization and is Organization Member there
 * [I: an API key or service account always has an organization role, Organization Member the least of them];
 * another organization → 401 `USER_CANNOT_ACCESS_ORG` `User cannot access this organization.` [D legacy code
 * table; I choice, as USER_CANNOT_ACCESS_GROUP for projects]. Project grants give no organization access.
 */
export function authorizeOrg(principal: CompiledPrincipal, org: Organization, _role: OrgRole): AtlasError | undefined {
  if (org.id !== principal.principal.orgId) return atlasError('USER_CANNOT_ACCESS_ORG');
  return undefined;
}
