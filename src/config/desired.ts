/** Turns the config's `access` section into DesiredAccess: one row per pattern, each remembering where in the file it came from. */
import type { DesiredAccess, DesiredCreateRight, DesiredGrant } from '../storage/access/desired.js'
import type { AccessConfig } from './access-schema.js'

export function desiredAccess(access: AccessConfig): DesiredAccess {
  const grants: DesiredGrant[] = access.grants.flatMap((g, i) => {
    const base = { to: g.to, permission: g.permission, deny: g.deny, source: `access.grants[${i}]` }
    return [
      ...(g.experiments ?? []).map((pattern) => ({
        ...base,
        resource: 'experiment' as const,
        pattern,
      })),
      ...(g.experiment_ids ?? []).map((pattern) => ({
        ...base,
        resource: 'experiment-id' as const,
        pattern,
      })),
      ...(g.registered_models ?? []).map((pattern) => ({
        ...base,
        resource: 'registered-model' as const,
        pattern,
      })),
    ]
  })
  const createRights: DesiredCreateRight[] = access.create.flatMap((c, i) => {
    const base = { to: c.to, source: `access.create[${i}]` }
    return [
      ...(c.experiments ?? []).map((pattern) => ({
        ...base,
        kind: 'experiment' as const,
        pattern,
      })),
      ...(c.registered_models ?? []).map((pattern) => ({
        ...base,
        kind: 'registered-model' as const,
        pattern,
      })),
      ...(c.prompts ?? []).map((pattern) => ({ ...base, kind: 'prompt' as const, pattern })),
    ]
  })
  return {
    users: access.users.map((u) => ({
      name: u.name,
      passwordHash: u.password_hash,
      admin: u.admin,
      groups: u.groups,
    })),
    grants,
    createRights,
  }
}
