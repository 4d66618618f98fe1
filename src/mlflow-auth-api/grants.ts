/** MLflow's per-user permissions as the gateway's grants: the permission names, and a user's own grant on one resource. */
import type { Kysely, Transaction } from 'kysely'
import { rank, satisfies } from '../authorize/permissions.js'
import { GatewayError } from '../server/errors.js'
import type { Database, PermissionColumn } from '../storage/database.js'
import { addGrant, listGrants, removeGrant, type GrantRow } from '../storage/access/grants.js'
import { grantKey, type ResourceRef } from './resources.js'

export type MlflowPermission = 'READ' | 'USE' | 'EDIT' | 'MANAGE' | 'NO_PERMISSIONS' | 'DENY'

/**
 * What the per-resource routes accept: MLflow 2.x's READ, EDIT, MANAGE, NO_PERMISSIONS
 * (mlflow/server/auth/permissions.py in 2.22.5) and 3.x's USE and DENY.
 */
export const RESOURCE_ROUTE_PERMISSIONS: readonly MlflowPermission[] = [
  'READ',
  'USE',
  'EDIT',
  'MANAGE',
  'NO_PERMISSIONS',
  'DENY',
]

/**
 * What users/permissions/grant accepts in MLflow 3.18.0 (permissions.py
 * `RESOURCE_GRANTABLE_PERMISSIONS`): NO_PERMISSIONS is refused there.
 */
export const USER_ROUTE_PERMISSIONS: readonly MlflowPermission[] = [
  'READ',
  'USE',
  'EDIT',
  'MANAGE',
  'DENY',
]

/** Checks a permission name, with the message MLflow gives (permissions.py `_validate_permission`). */
export function checkPermission(
  name: string,
  allowed: readonly MlflowPermission[],
): MlflowPermission {
  if (!(allowed as readonly string[]).includes(name)) {
    throw new GatewayError(
      'GW_INVALID_PARAMETER',
      `Invalid permission '${name}'. Valid permissions are: (${allowed.map((p) => `'${p}'`).join(', ')})`,
    )
  }
  return name as MlflowPermission
}

/**
 * NO_PERMISSIONS and DENY mean no access even where other grants would give it (MLflow: an
 * explicit grant overrides the default permission; DENY beats other roles). In the gateway that is
 * a deny grant of READ: a deny of READ refuses every level (authorize/decide.ts denies when the
 * denied permission is at or below the one needed).
 */
export function toGrantFields(p: MlflowPermission): {
  permission: PermissionColumn
  deny: boolean
} {
  return p === 'NO_PERMISSIONS' || p === 'DENY'
    ? { permission: 'READ', deny: true }
    : { permission: p, deny: false }
}

type GrantValue = Pick<GrantRow, 'permission' | 'deny'>

const LEVELS: readonly PermissionColumn[] = ['MANAGE', 'EDIT', 'USE', 'READ']

/**
 * What a user's own grants on one resource amount to in MLflow's words: the highest level some
 * allow gives and no deny takes away; `denied` (NO_PERMISSIONS or DENY) when nothing is left.
 */
export function mlflowPermissionOf(
  grants: readonly GrantValue[],
  denied: 'NO_PERMISSIONS' | 'DENY',
): MlflowPermission {
  for (const level of LEVELS) {
    if (grants.some((g) => g.deny && rank(g.permission) <= rank(level))) continue
    if (grants.some((g) => !g.deny && satisfies(g.permission, level))) return level
  }
  return grants.some((g) => g.deny && g.permission === 'READ') ? denied : 'NO_PERMISSIONS'
}

/** The user's own grants on exactly this resource (`to: user:NAME`, that resource and pattern). */
export function userGrantsOn(
  db: Kysely<Database>,
  user: string,
  ref: ResourceRef,
): Promise<GrantRow[]> {
  return listGrants(db, { to: `user:${user}`, ...grantKey(ref) })
}

/**
 * Grants written by the config file belong to it: the next apply would put them back, so changing
 * them here would only seem to work.
 */
export function refuseConfigOwned(grants: readonly GrantRow[], what: string): void {
  const owned = grants.find((g) => g.origin === 'config')
  if (owned) {
    throw new GatewayError(
      'GW_CONFLICT',
      `${what} comes from the config file (${owned.source ?? `grant #${owned.id}`}); change it there`,
    )
  }
}

/** Replaces the user's grants on the resource with one grant meaning `p` (made by this API). */
export async function setUserGrant(
  trx: Transaction<Database>,
  user: string,
  ref: ResourceRef,
  existing: readonly GrantRow[],
  p: MlflowPermission,
): Promise<void> {
  for (const g of existing) await removeGrant(trx, g.id)
  await addGrant(trx, { to: `user:${user}`, ...grantKey(ref), ...toGrantFields(p), origin: 'api' })
}

export async function removeUserGrants(
  trx: Transaction<Database>,
  existing: readonly GrantRow[],
): Promise<void> {
  for (const g of existing) await removeGrant(trx, g.id)
}
