/** Store rows to the admin API's JSON (snake_case, as MLflow's API), leaving out every hash. */
import type { z } from 'zod'
import type { CreateRightRow, GrantRow } from '../storage/access/grants.js'
import type { GroupRow } from '../storage/access/groups.js'
import type { TokenRow } from '../storage/access/tokens.js'
import type { UserRow } from '../storage/access/users.js'
import type * as s from './schemas.js'

export function userJson(u: UserRow): z.input<typeof s.user> {
  return {
    name: u.name,
    admin: u.admin,
    disabled: u.disabled,
    has_password: u.hasPassword,
    groups: [...u.groups],
    origin: u.origin,
    created_at: u.createdAt,
    updated_at: u.updatedAt,
  }
}

export function groupJson(g: GroupRow): z.input<typeof s.group> {
  return { name: g.name, members: [...g.members], origin: g.origin, created_at: g.createdAt }
}

export function grantJson(g: GrantRow): z.input<typeof s.grant> {
  return {
    id: g.id,
    to: g.to,
    resource: g.resource,
    pattern: g.pattern,
    permission: g.permission,
    deny: g.deny,
    origin: g.origin,
    source: g.source,
    created_at: g.createdAt,
  }
}

export function createRightJson(c: CreateRightRow): z.input<typeof s.createRight> {
  return {
    id: c.id,
    to: c.to,
    kind: c.kind,
    pattern: c.pattern,
    origin: c.origin,
    source: c.source,
    created_at: c.createdAt,
  }
}

export function tokenJson(t: TokenRow, now = Date.now()): z.input<typeof s.token> {
  return {
    id: t.id,
    user: t.user,
    name: t.name,
    read_only: t.readOnly,
    expires_at: t.expiresAt,
    expired: t.expiresAt !== null && Date.parse(t.expiresAt) <= now,
    created_at: t.createdAt,
    last_used_at: t.lastUsedAt,
  }
}
