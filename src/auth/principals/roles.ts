/**
 * Which project roles a granted role holds (contract §1: "Project Owner holds every project role").
 *
 * - Project Owner ⊇ every role [S][D].
 * - Every project role ⊇ Project Read Only [D: Atlas user roles page, "All project roles also grant the
 *   privileges of the Project Read Only role"].
 * - Project Backup Manager ⊇ Project Backup Export Operator [I]: a role that manages backups (and may list
 *   and read export jobs) may also start an export; the spec does not say either way.
 * - Project Backup Manager ⊇ Project Backup Creator [I]: the role that takes on-demand snapshots
 *   (takeGroupClusterBackupSnapshots needs it [S]); a role that may delete and re-retain snapshots may also take one.
 * - Project Backup Export Operator holds only itself and Read Only: it may create export jobs but not read
 *   them back (getBackupExport needs Backup Manager [S]) — as the spec's x-rolesRequirements have it.
 */
import { ROLES, type Role } from '../../store/model.js';

export const ROLE_IMPLIES: Readonly<Record<Role, readonly Role[]>> = {
  'Project Owner': ROLES,
  'Project Backup Manager': ['Project Backup Manager', 'Project Backup Creator', 'Project Backup Export Operator', 'Project Read Only'],
  'Project Backup Creator': ['Project Backup Creator', 'Project Read Only'],
  'Project Backup Export Operator': ['Project Backup Export Operator', 'Project Read Only'],
  'Project Read Only': ['Project Read Only'],
};

/** Every role held through `granted`. */
export function expandRoles(granted: readonly Role[]): ReadonlySet<Role> {
  const out = new Set<Role>();
  for (const r of granted) for (const held of ROLE_IMPLIES[r]) out.add(held);
  return out;
}
