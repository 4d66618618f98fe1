/**
 * Plans an import against the store (what is new, what is already there) and writes it in one
 * transaction. Matching existing rows makes it idempotent: a second run finds everything present.
 * Existing users are never changed (their password or admin flag may have moved on since).
 */
import type { Kysely } from 'kysely'
import type { Database, Origin, PermissionColumn } from '../database.js'
import { addGrant, listGrants, updateGrantPermission, type GrantRow } from '../access/grants.js'
import { addMember, createGroup, listGroups } from '../access/groups.js'
import type { AccessStore } from '../access/index.js'
import { createUser } from '../access/users.js'
import type { ImportGrant, ImportGroup, ImportItems, ImportUser } from './map.js'

export type ImportAction =
  | { op: 'add-user'; user: ImportUser }
  | {
      op: 'keep-user'
      user: ImportUser
      existing: { name: string; origin: Origin; admin: boolean }
    }
  | { op: 'add-group'; group: ImportGroup }
  | { op: 'keep-group'; group: ImportGroup }
  | { op: 'add-member'; group: string; user: string }
  | { op: 'add-grant'; grant: ImportGrant }
  /** An earlier import's grant whose permission changed in MLflow since. */
  | { op: 'update-grant'; grant: ImportGrant; id: number; was: PermissionColumn }
  /** The same grant, or one made by the config or the API for the same resource, exists. */
  | { op: 'keep-grant'; grant: ImportGrant; existing: GrantRow }

/** Writes are the actions that change something. */
export const isWrite = (a: ImportAction) =>
  a.op === 'add-user' ||
  a.op === 'add-group' ||
  a.op === 'add-member' ||
  a.op === 'add-grant' ||
  a.op === 'update-grant'

const refKey = (to: string) => (to.startsWith('user:') ? to.toLowerCase() : to)
const grantKey = (g: { to: string; resource: string; pattern: string; deny: boolean }) =>
  [refKey(g.to), g.resource, g.pattern, g.deny].join('\u0000')

export async function planImport(
  db: Kysely<Database>,
  items: ImportItems,
): Promise<ImportAction[]> {
  const actions: ImportAction[] = []
  const users = await db
    .selectFrom('users')
    .select(['name', 'name_key', 'origin', 'admin'])
    .execute()
  const userByKey = new Map(users.map((u) => [u.name_key, u]))
  for (const user of items.users) {
    const have = userByKey.get(user.name.toLowerCase())
    actions.push(
      have
        ? {
            op: 'keep-user',
            user,
            existing: { name: have.name, origin: have.origin, admin: have.admin === 1 },
          }
        : { op: 'add-user', user },
    )
  }
  const groups = await listGroups(db)
  const members = new Set(
    groups.flatMap((g) => g.members.map((m) => `${g.name}\u0000${m.toLowerCase()}`)),
  )
  for (const group of items.groups) {
    actions.push({
      op: groups.some((g) => g.name === group.name) ? 'keep-group' : 'add-group',
      group,
    })
    for (const user of group.members)
      if (!members.has(`${group.name}\u0000${user.toLowerCase()}`))
        actions.push({ op: 'add-member', group: group.name, user })
  }
  const existing = new Map<string, GrantRow[]>()
  for (const g of await listGrants(db))
    existing.set(grantKey(g), [...(existing.get(grantKey(g)) ?? []), g])
  for (const grant of items.grants) {
    const same = existing.get(grantKey(grant)) ?? []
    const exact = same.find((g) => g.permission === grant.permission)
    const imported = same.find((g) => g.origin === 'import')
    if (exact) actions.push({ op: 'keep-grant', grant, existing: exact })
    else if (imported)
      actions.push({ op: 'update-grant', grant, id: imported.id, was: imported.permission })
    else if (same[0]) actions.push({ op: 'keep-grant', grant, existing: same[0] })
    else actions.push({ op: 'add-grant', grant })
  }
  return actions
}

export type Progress = (done: number, total: number) => void

/**
 * Plans again inside the transaction (so nothing changes between plan and write) and writes every
 * change or none. Returns the actions; with nothing to write the store, and its revision, stay as
 * they are.
 */
export async function applyImport(
  store: AccessStore,
  items: ImportItems,
  progress: Progress = () => undefined,
): Promise<ImportAction[]> {
  const first = await planImport(store.db, items)
  if (!first.some(isWrite)) return first
  return store.change(async (trx) => {
    const actions = await planImport(trx, items)
    const writes = actions.filter(isWrite)
    let done = 0
    for (const a of writes) {
      await execute(trx, a)
      progress(++done, writes.length)
    }
    return actions
  })
}

async function execute(db: Kysely<Database>, a: ImportAction): Promise<void> {
  switch (a.op) {
    case 'add-user':
      await createUser(db, {
        name: a.user.name,
        passwordHash: a.user.passwordHash,
        admin: a.user.admin,
        origin: 'import',
      })
      return
    case 'add-group':
      await createGroup(db, { name: a.group.name, origin: 'import' })
      return
    case 'add-member':
      return addMember(db, a.group, a.user, 'import')
    case 'add-grant': {
      const { from, ...g } = a.grant
      await addGrant(db, { ...g, origin: 'import', source: `mlflow ${from}`.slice(0, 255) })
      return
    }
    case 'update-grant':
      return updateGrantPermission(db, a.id, a.grant.permission)
    default:
      return
  }
}
