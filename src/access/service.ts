/**
 * The rules of cloud provider access roles (what export buckets name as `iamRoleId` / `roleId`):
 * - create (POST, Project Owner): a new role of the provider. AWS: Atlas's AWS account and a new external id
 *   (UUID), not authorized (`authorizedDate: null`) [R]. Azure: the service principal and tenant the body
 *   names, not authorized [S, I]. GCP: a service account created at once, status COMPLETE (the spec's
 *   asynchronous IN_PROGRESS happens only while a project's GCP folder is provisioned: the mock's always is) [I];
 * - authorize (PATCH, Project Owner): AWS with the `iamAssumedRoleArn` Atlas will assume (any well-formed role
 *   ARN: the mock cannot check the role's trust policy; a fault rule can answer CANNOT_ASSUME_ROLE) [I]; Azure
 *   with its ids; GCP needs none ("not required", spec) but is accepted. Authorizing again is allowed and
 *   moves `authorizedDate` (the Terraform provider re-authorizes on change) [C, I]; a body whose `providerName`
 *   is not the role's → 400 INVALID_ATTRIBUTE providerName [I];
 * - deauthorize (DELETE …/{cloudProvider}/{roleId}, Project Owner): the role is removed (the Terraform
 *   provider's delete "deletes and deauthorizes"; a later GET is 404) [C, I]; refused with 400
 *   CLOUD_PROVIDER_ACCESS_ROLE_IN_USE while an export bucket names it [I];
 * - an unknown id, a role of another project, or (DELETE) of another provider → 404
 *   CLOUD_PROVIDER_ACCESS_ROLE_NOT_FOUND [C code, I status];
 * - at most DEFAULT_MAX_ROLES_PER_PROJECT roles per project (409 RESOURCE_LIMIT_EXCEEDED, a limit of the mock).
 * Every change goes through a Store method with plain values (addAccessRole, authorizeAccessRole, deleteAccessRole).
 */
import { atlasError } from '../errors/atlas-error.js';
import { parseBody } from '../http/validation.js';
import { requireProject } from '../store/lookup.js';
import type { AccessRole, CloudProvider } from '../store/model.js';
import type { Store } from '../store/store.js';
import { randomUuid } from '../core/uuid.js';
import { ATLAS_AWS_ACCOUNT_ARN, ATLAS_AZURE_APP_ID, gcpServiceAccountOf } from '../fixtures/apply.js';
import type { MockContext } from '../context.js';
import { authorizeRoleRequest, createRoleRequest } from './schemas.js';
import { bucketRoleId, roleView, rolesView, type RolesView, type RoleView } from './view.js';

/** Roles one project may hold (a limit of the mock, like export buckets'). */
export const DEFAULT_MAX_ROLES_PER_PROJECT = 1000;

export interface AccessService {
  list(groupId: string): RolesView;
  get(groupId: string, roleId: string): RoleView;
  create(groupId: string, body: unknown): RoleView;
  authorize(groupId: string, roleId: string, body: unknown): RoleView;
  deauthorize(groupId: string, cloudProvider: CloudProvider, roleId: string): void;
  /** A new AWS external id (a UUID from the seeded random source). */
  externalId(): string;
}

/** The role `roleId` of the project, or 404 CLOUD_PROVIDER_ACCESS_ROLE_NOT_FOUND. */
export function requireRole(store: Store, groupId: string, roleId: string): AccessRole {
  const r = store.accessRole(roleId);
  if (!r || r.groupId !== groupId) throw atlasError('CLOUD_PROVIDER_ACCESS_ROLE_NOT_FOUND', roleId);
  return r;
}

/**
 * The check of an export bucket's role (buckets/service.ts): a role of the project, of the bucket's provider
 * (else 404 CLOUD_PROVIDER_ACCESS_ROLE_NOT_FOUND [C code, I for the provider mismatch]), authorized unless GCP
 * (else 400 CLOUD_PROVIDER_ACCESS_ROLE_NOT_AUTHORIZED, Atlas's code, status and text for an Azure bucket).
 */
export function requireUsableRole(store: Store, groupId: string, provider: CloudProvider, roleId: string): AccessRole {
  const r = requireRole(store, groupId, roleId);
  if (r.providerName !== provider) throw atlasError('CLOUD_PROVIDER_ACCESS_ROLE_NOT_FOUND', roleId);
  if (provider !== 'GCP' && r.authorizedAt === undefined) throw atlasError('CLOUD_PROVIDER_ACCESS_ROLE_NOT_AUTHORIZED', roleId);
  return r;
}

export function createAccessService(ctx: Pick<MockContext, 'store' | 'clock' | 'ids' | 'random'>): AccessService {
  const { store, clock } = ctx;
  const view = (r: AccessRole) => roleView(r, store.bucketsOf(r.groupId));
  const service: AccessService = {
    list(groupId) {
      requireProject(store, groupId);
      return rolesView(store.accessRolesOf(groupId), store.bucketsOf(groupId));
    },
    get(groupId, roleId) {
      requireProject(store, groupId);
      return view(requireRole(store, groupId, roleId));
    },
    create(groupId, body) {
      requireProject(store, groupId);
      const req = parseBody(createRoleRequest, body);
      if (store.accessRoleCount(groupId) >= DEFAULT_MAX_ROLES_PER_PROJECT) throw atlasError('RESOURCE_LIMIT_EXCEEDED', DEFAULT_MAX_ROLES_PER_PROJECT, 'cloud provider access roles');
      const now = clock.now();
      const createdAt = Math.floor(now / 1000) * 1000;
      const id = ctx.ids.next(now);
      let role: AccessRole;
      switch (req.providerName) {
        case 'AWS':
          role = { id, groupId, providerName: 'AWS', createdAt, atlasAWSAccountArn: ATLAS_AWS_ACCOUNT_ARN, atlasAssumedRoleExternalId: service.externalId() };
          break;
        case 'AZURE':
          role = {
            id,
            groupId,
            providerName: 'AZURE',
            createdAt,
            atlasAzureAppId: req.atlasAzureAppId ?? ATLAS_AZURE_APP_ID,
            servicePrincipalId: req.servicePrincipalId,
            tenantId: req.tenantId,
            lastUpdatedAt: createdAt,
          };
          break;
        case 'GCP':
          role = { id, groupId, providerName: 'GCP', createdAt, gcpServiceAccountForAtlas: gcpServiceAccountOf(id, groupId) };
          break;
      }
      store.addAccessRole(role);
      store.changed();
      return view(role);
    },
    authorize(groupId, roleId, body) {
      requireProject(store, groupId);
      const role = requireRole(store, groupId, roleId);
      const req = parseBody(authorizeRoleRequest, body);
      if (req.providerName !== role.providerName) throw atlasError('INVALID_ATTRIBUTE', 'providerName');
      const authorizedAt = Math.floor(clock.now() / 1000) * 1000;
      const change =
        req.providerName === 'AWS'
          ? { authorizedAt, iamAssumedRoleArn: req.iamAssumedRoleArn }
          : req.providerName === 'AZURE'
            ? {
                authorizedAt,
                ...(req.atlasAzureAppId != null && { atlasAzureAppId: req.atlasAzureAppId }),
                ...(req.servicePrincipalId != null && { servicePrincipalId: req.servicePrincipalId }),
                ...(req.tenantId != null && { tenantId: req.tenantId }),
              }
            : { authorizedAt };
      const next = store.authorizeAccessRole(role.id, change)!;
      store.changed();
      return view(next);
    },
    deauthorize(groupId, cloudProvider, roleId) {
      requireProject(store, groupId);
      const role = requireRole(store, groupId, roleId);
      if (role.providerName !== cloudProvider) throw atlasError('CLOUD_PROVIDER_ACCESS_ROLE_NOT_FOUND', roleId);
      const user = store.bucketsOf(groupId).find((b) => b.cloudProvider === role.providerName && bucketRoleId(b) === role.id);
      if (user) throw atlasError('CLOUD_PROVIDER_ACCESS_ROLE_IN_USE', roleId, user.id);
      store.deleteAccessRole(role.id);
      store.changed();
    },
    externalId() {
      return randomUuid(ctx.random);
    },
  };
  return service;
}
