/** DesiredAccess: users, groups, grants and create rights as a config file declares them, before they meet the store. */
import type { CreateKindColumn, GrantResource, PermissionColumn } from '../database.js'

export type DesiredUser = {
  readonly name: string
  readonly passwordHash: string
  readonly admin: boolean
  readonly groups: readonly string[]
}

export type DesiredGrant = {
  readonly to: string
  readonly resource: GrantResource
  readonly pattern: string
  readonly permission: PermissionColumn
  readonly deny: boolean
  /** Where in the file, e.g. `access.grants[2]`. */
  readonly source: string
}

export type DesiredCreateRight = {
  readonly to: string
  readonly kind: CreateKindColumn
  readonly pattern: string
  readonly source: string
}

export type DesiredAccess = {
  readonly users: readonly DesiredUser[]
  readonly grants: readonly DesiredGrant[]
  readonly createRights: readonly DesiredCreateRight[]
}
