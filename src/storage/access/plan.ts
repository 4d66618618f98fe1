/** plan: what must change in the store so its config-managed users, groups and grants match a DesiredAccess. */
import type { Kysely } from 'kysely'
import type { Database, Origin } from '../database.js'
import type { DesiredAccess, DesiredCreateRight, DesiredGrant } from './desired.js'
import { listCreateRights, listGrants, type CreateRightRow, type GrantRow } from './grants.js'
import { listGroups } from './groups.js'

/**
 * One step of a plan. Objects the file declares are owned by the file (origin `config`): they are
 * added, updated and removed to match it. Objects made through the API, the UI or an import are
 * left alone unless `prune` is asked for.
 */
export type Change =
  | { op: 'add-user'; name: string; admin: boolean; passwordHash: string }
  | {
      op: 'update-user'
      name: string
      admin?: boolean
      /** Set when the file's hash changed since the last apply (a password changed elsewhere is kept otherwise). */
      passwordHash?: string
      /** The user existed already (made by the API or an import); the file takes it over. */
      adopt?: true
    }
  | { op: 'remove-user'; name: string; origin: Origin }
  | { op: 'add-group'; name: string }
  | { op: 'remove-group'; name: string; origin: Origin }
  | { op: 'add-member'; group: string; user: string }
  | { op: 'remove-member'; group: string; user: string; origin: Origin }
  | { op: 'add-grant'; grant: DesiredGrant }
  | { op: 'remove-grant'; grant: GrantRow }
  | { op: 'add-create-right'; right: DesiredCreateRight }
  | { op: 'remove-create-right'; right: CreateRightRow }

export type PlanOptions = {
  /** Also remove what the file does not declare but the API, UI or an import made. */
  readonly prune?: boolean
}

const grantKey = (g: Omit<DesiredGrant, 'source'>) =>
  [
    g.to.startsWith('user:') ? g.to.toLowerCase() : g.to,
    g.resource,
    g.pattern,
    g.permission,
    g.deny,
  ].join('\u0000')
const rightKey = (c: Omit<DesiredCreateRight, 'source'>) =>
  [c.to.startsWith('user:') ? c.to.toLowerCase() : c.to, c.kind, c.pattern].join('\u0000')

export async function planChanges(
  db: Kysely<Database>,
  desired: DesiredAccess,
  options: PlanOptions = {},
): Promise<Change[]> {
  const removable = (origin: Origin) => origin === 'config' || options.prune === true
  const changes: Change[] = []
  const users = await db
    .selectFrom('users')
    .select(['name', 'name_key', 'admin', 'origin', 'config_password_hash'])
    .execute()
  const byKey = new Map(users.map((u) => [u.name_key, u]))
  const wantedUsers = new Map(desired.users.map((u) => [u.name.toLowerCase(), u]))
  const groups = await listGroups(db)
  const wantedGroups = new Set([
    ...desired.users.flatMap((u) => u.groups),
    ...[...desired.grants, ...desired.createRights]
      .filter((g) => g.to.startsWith('group:'))
      .map((g) => g.to.slice(6)),
  ])

  for (const g of wantedGroups)
    if (!groups.some((x) => x.name === g)) changes.push({ op: 'add-group', name: g })
  for (const [key, u] of wantedUsers) {
    const have = byKey.get(key)
    if (!have) {
      changes.push({ op: 'add-user', name: u.name, admin: u.admin, passwordHash: u.passwordHash })
      continue
    }
    const update: Extract<Change, { op: 'update-user' }> = { op: 'update-user', name: have.name }
    if (have.origin !== 'config') update.adopt = true
    if ((have.admin === 1) !== u.admin) update.admin = u.admin
    if (have.config_password_hash !== u.passwordHash) update.passwordHash = u.passwordHash
    if (update.adopt || update.admin !== undefined || update.passwordHash !== undefined)
      changes.push(update)
  }
  // Memberships: the file's users' groups; a member the file no longer lists leaves.
  const members = await db
    .selectFrom('group_members')
    .innerJoin('groups', 'groups.id', 'group_members.group_id')
    .innerJoin('users', 'users.id', 'group_members.user_id')
    .select([
      'groups.name as group',
      'users.name as user',
      'users.name_key',
      'group_members.origin',
    ])
    .execute()
  const memberKey = (group: string, userKey: string) => `${group}\u0000${userKey}`
  const haveMembers = new Set(members.map((m) => memberKey(m.group, m.name_key)))
  const wantedMembers = new Set<string>()
  for (const u of desired.users) {
    for (const g of u.groups) {
      wantedMembers.add(memberKey(g, u.name.toLowerCase()))
      if (!haveMembers.has(memberKey(g, u.name.toLowerCase())))
        changes.push({ op: 'add-member', group: g, user: u.name })
    }
  }
  for (const m of members) {
    if (!wantedMembers.has(memberKey(m.group, m.name_key)) && removable(m.origin))
      changes.push({ op: 'remove-member', group: m.group, user: m.user, origin: m.origin })
  }

  const grants = await listGrants(db)
  const haveGrants = new Set(grants.map(grantKey))
  const wantedGrants = new Set(desired.grants.map(grantKey))
  for (const g of grants)
    if (!wantedGrants.has(grantKey(g)) && removable(g.origin))
      changes.push({ op: 'remove-grant', grant: g })
  const added = new Set<string>()
  for (const g of desired.grants) {
    const key = grantKey(g)
    if (!haveGrants.has(key) && !added.has(key)) changes.push({ op: 'add-grant', grant: g })
    added.add(key)
  }

  const rights = await listCreateRights(db)
  const haveRights = new Set(rights.map(rightKey))
  const wantedRights = new Set(desired.createRights.map(rightKey))
  for (const c of rights)
    if (!wantedRights.has(rightKey(c)) && removable(c.origin))
      changes.push({ op: 'remove-create-right', right: c })
  const addedRights = new Set<string>()
  for (const c of desired.createRights) {
    const key = rightKey(c)
    if (!haveRights.has(key) && !addedRights.has(key))
      changes.push({ op: 'add-create-right', right: c })
    addedRights.add(key)
  }

  for (const u of users)
    if (!wantedUsers.has(u.name_key) && removable(u.origin))
      changes.push({ op: 'remove-user', name: u.name, origin: u.origin })
  for (const g of groups)
    if (!wantedGroups.has(g.name) && removable(g.origin))
      changes.push({ op: 'remove-group', name: g.name, origin: g.origin })
  return changes
}

/** One line per change for people: `+ user alice (admin)`, `- grant #4 ...`. */
export function describeChange(c: Change): string {
  switch (c.op) {
    case 'add-user':
      return `+ user ${c.name}${c.admin ? ' (admin)' : ''}`
    case 'update-user': {
      const parts = [
        c.adopt && 'taken over by the config file',
        c.admin !== undefined && `admin ${c.admin ? 'on' : 'off'}`,
        c.passwordHash !== undefined && 'password hash from the file',
      ].filter(Boolean)
      return `~ user ${c.name}: ${parts.join(', ')}`
    }
    case 'remove-user':
      return `- user ${c.name}${c.origin === 'config' ? '' : ` (made by ${c.origin})`}`
    case 'add-group':
      return `+ group ${c.name}`
    case 'remove-group':
      return `- group ${c.name}${c.origin === 'config' ? '' : ` (made by ${c.origin})`}`
    case 'add-member':
      return `+ member ${c.user} of group ${c.group}`
    case 'remove-member':
      return `- member ${c.user} of group ${c.group}`
    case 'add-grant':
      return `+ grant ${describeGrant(c.grant)} (${c.grant.source})`
    case 'remove-grant':
      return `- grant #${c.grant.id} ${describeGrant(c.grant)}${c.grant.origin === 'config' ? '' : ` (made by ${c.grant.origin})`}`
    case 'add-create-right':
      return `+ create right: ${c.right.to} may create ${c.right.kind} '${c.right.pattern}' (${c.right.source})`
    case 'remove-create-right':
      return `- create right #${c.right.id}: ${c.right.to} may create ${c.right.kind} '${c.right.pattern}'`
  }
}

function describeGrant(g: Omit<DesiredGrant, 'source'>): string {
  return `${g.deny ? 'deny ' : ''}${g.permission} on ${g.resource} '${g.pattern}' to ${g.to}`
}
