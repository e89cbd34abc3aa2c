/**
 * The "try:" line of the start-up banner: a curl command that works against this instance as started —
 * Digest with an API key that may read the export job shown (`--auth on`), or no credentials (`--auth off`).
 */
import type { FastifyInstance } from 'fastify';
import { expandRoles } from '../auth/principals/roles.js';

/** Single-quotes a value for a POSIX shell. */
const sq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export function tryCommand(app: FastifyInstance, baseUrl: string): string {
  const { store } = app.mock;
  const job = store.jobs.values().next().value;
  const path = job
    ? `/api/atlas/v2/groups/${job.groupId}/clusters/${job.clusterName}/backup/exports/${job.id}`
    : '/api/atlas/v2/groups/6650a0c1f1d2e3a4b5c6d7e1/clusters/Cluster0/backup/exports/6650a0c1f1d2e3a4b5c6d822';
  const accept = `-H 'Accept: application/vnd.atlas.2023-01-01+json'`;
  if (!app.atlasAuth.enabled) return `curl ${accept} ${baseUrl}${path}`;
  const groupId = job?.groupId;
  const project = groupId ? store.project(groupId) : undefined;
  // An API key of the job's organization that holds the operation's role there (getBackupExport: Backup Manager).
  const key = [...store.principals.values()].find(
    (p) =>
      p.kind === 'apiKey' &&
      p.accessList.length === 0 &&
      (!project || (p.orgId === project.orgId && p.projects.some((g) => g.groupId === groupId && expandRoles(g.roles).has('Project Backup Manager')))),
  );
  if (!key) return `curl ${accept} ${baseUrl}${path}   (add an API key to the fixtures for Digest, or use a Bearer token from POST ${baseUrl}/api/oauth/token)`;
  return `curl --digest -u ${sq(`${key.id}:${key.secret}`)} ${accept} ${baseUrl}${path}`;
}
