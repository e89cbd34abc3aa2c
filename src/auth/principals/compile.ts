/**
 * What the authentication hooks need of a principal, computed once instead of per request: the Digest HA1
 * of an API key, the secret as bytes for constant-time comparison, the roles held per project (implications
 * expanded) and the compiled access list. Cached per Principal object, so a dataset reload (new objects)
 * recompiles by itself and a lookup stays one Map + one WeakMap access.
 */
import { createHash } from 'node:crypto';
import type { Principal, Role } from '../../store/model.js';
import type { Store } from '../../store/store.js';
import { AccessList } from '../access-list.js';
import { ha1Of, REALM } from '../digest.js';
import { expandRoles } from './roles.js';

export interface CompiledPrincipal {
  readonly principal: Principal;
  /** MD5(publicKey:realm:privateKey) for API keys (RFC 7616 §3.4.2); '' for service accounts. */
  readonly ha1: string;
  /** SHA-256 of the secret: the token endpoint compares hashes in constant time (no length leak either). */
  readonly secretHash: Buffer;
  /** Roles held per project id. */
  readonly roles: ReadonlyMap<string, ReadonlySet<Role>>;
  /** Undefined: any address. */
  readonly accessList: AccessList | undefined;
}

export const secretHash = (secret: string): Buffer => createHash('sha256').update(secret, 'utf8').digest();

export function compilePrincipal(p: Principal): CompiledPrincipal {
  const roles = new Map<string, Set<Role>>();
  for (const g of p.projects) {
    const set = roles.get(g.groupId) ?? new Set<Role>();
    for (const r of expandRoles(g.roles)) set.add(r);
    roles.set(g.groupId, set);
  }
  return {
    principal: p,
    ha1: p.kind === 'apiKey' ? ha1Of(p.id, REALM, p.secret) : '',
    secretHash: secretHash(p.secret),
    roles,
    accessList: p.accessList.length > 0 ? AccessList.compile(p.accessList) : undefined,
  };
}

export class PrincipalIndex {
  private readonly compiled = new WeakMap<Principal, CompiledPrincipal>();

  constructor(private readonly store: Store) {}

  /** The principal `id` (API public key or service-account client id), compiled. */
  get(id: string): CompiledPrincipal | undefined {
    const p = this.store.principal(id);
    if (!p) return undefined;
    let c = this.compiled.get(p);
    if (!c) this.compiled.set(p, (c = compilePrincipal(p)));
    return c;
  }

  /**
   * The principal `--auth off` acts as: the first one holding Project Owner somewhere (fixture order),
   * else the first one; undefined for a dataset without principals.
   */
  firstOwner(): CompiledPrincipal | undefined {
    let first: Principal | undefined;
    for (const p of this.store.principals.values()) {
      first ??= p;
      if (p.projects.some((g) => g.roles.includes('Project Owner'))) return this.get(p.id);
    }
    return first && this.get(first.id);
  }
}
