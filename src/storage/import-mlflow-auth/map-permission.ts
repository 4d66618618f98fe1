/** One MLflow permission row (resource type, pattern, permission) as gateway grants, or why it has none. */
import type { GrantResource, PermissionColumn } from '../database.js'

export const RANK: Record<PermissionColumn, number> = { READ: 1, USE: 2, EDIT: 3, MANAGE: 4 }
const POSITIVE = new Set(Object.keys(RANK))

export type Mapped = {
  resource: GrantResource
  pattern: string
  permission: PermissionColumn
  deny: boolean
}

/** One role_permissions (or classic) row as gateway grants, or why it has no counterpart. */
export function mapPermission(
  type: string,
  pattern: string,
  permission: string,
  legacy = false,
): Mapped[] | string {
  const deny = permission === 'DENY' || permission === 'NO_PERMISSIONS'
  if (!deny && !POSITIVE.has(permission)) return `unknown permission '${permission}'`
  const level = (deny ? 'READ' : permission) as PermissionColumn
  const one = (resource: GrantResource, p: string): Mapped[] => [
    { resource, pattern: p, permission: level, deny },
  ]
  switch (type) {
    case 'experiment': {
      if (pattern === '*') return one('experiment', '*')
      // MLflow compares experiment ids as str(int(id)) (permissions.py canonical_resource_id).
      if (/^\s*\+?\d+\s*$/.test(pattern))
        return one('experiment-id', String(BigInt(pattern.trim())))
      return `experiment id '${pattern}' is not a number`
    }
    case 'registered_model':
    case 'prompt':
      if (pattern !== '*' && /[*?]/.test(pattern))
        return 'model names with * or ? would be read as globs by the gateway'
      return one('registered-model', pattern)
    case 'workspace': {
      // Classic workspace_permissions EDIT meant EDIT on everything (migration e5f6a7b8c9d0 fans
      // it out the same way); MANAGE is a workspace admin in both schemas.
      if (pattern === '*' && (permission === 'MANAGE' || (legacy && permission === 'EDIT')))
        return [
          { resource: 'experiment', pattern: '*', permission: level, deny: false },
          { resource: 'registered-model', pattern: '*', permission: level, deny: false },
        ]
      return `workspace ${permission} (membership and create rights in a workspace; the gateway has no workspaces)`
    }
    default:
      return `${type} permissions have no counterpart in the gateway`
  }
}
