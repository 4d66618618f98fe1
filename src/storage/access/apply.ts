/** apply: makes the store match a DesiredAccess in one transaction, planning inside it so nothing changes in between. */
import type { Kysely } from 'kysely'
import type { Database } from '../database.js'
import type { DesiredAccess } from './desired.js'
import { addCreateRight, addGrant, removeCreateRight, removeGrant } from './grants.js'
import { addMember, createGroup, deleteGroup, removeMember } from './groups.js'
import type { AccessStore } from './index.js'
import { planChanges, type Change, type PlanOptions } from './plan.js'
import { readSnapshotIn, type AccessSnapshot } from './snapshot.js'
import { createUser, deleteUser, updateUser } from './users.js'

/** Applies and returns what changed; an empty list changes nothing (not even the revision). */
export async function applyDesired(
  store: AccessStore,
  desired: DesiredAccess,
  options: PlanOptions = {},
): Promise<Change[]> {
  // Cheap check first, so a restart with an unchanged file does not move the revision.
  if ((await planChanges(store.db, desired, options)).length === 0) return []
  return store.change(async (trx) => {
    const changes = await planChanges(trx, desired, options)
    // Removals of grants and members first, then additions that may need new users and groups,
    // and removals of users and groups last (the plan lists them in that order).
    for (const c of changes) await execute(trx, c)
    return changes
  })
}

/** Carries out one planned change inside the caller's transaction. */
export async function execute(db: Kysely<Database>, c: Change): Promise<void> {
  switch (c.op) {
    case 'add-user':
      await createUser(db, {
        name: c.name,
        passwordHash: c.passwordHash,
        admin: c.admin,
        origin: 'config',
        configPasswordHash: c.passwordHash,
      })
      return
    case 'update-user':
      await updateUser(db, c.name, {
        ...(c.adopt && { origin: 'config' as const }),
        ...(c.admin !== undefined && { admin: c.admin }),
        ...(c.passwordHash !== undefined && {
          passwordHash: c.passwordHash,
          configPasswordHash: c.passwordHash,
        }),
      })
      return
    case 'remove-user':
      return deleteUser(db, c.name)
    case 'add-group':
      await createGroup(db, { name: c.name, origin: 'config' })
      return
    case 'remove-group':
      return deleteGroup(db, c.name)
    case 'add-member':
      return addMember(db, c.group, c.user, 'config')
    case 'remove-member':
      return removeMember(db, c.group, c.user)
    case 'add-grant':
      await addGrant(db, { ...c.grant, origin: 'config' })
      return
    case 'remove-grant':
      return removeGrant(db, c.grant.id)
    case 'add-create-right':
      await addCreateRight(db, { ...c.right, origin: 'config' })
      return
    case 'remove-create-right':
      return removeCreateRight(db, c.right.id)
  }
}

class Rollback extends Error {}

/**
 * What the policy will be once the file is applied, without storing anything: the plan is carried
 * out inside a transaction that is then rolled back (for `explain` and `plan`).
 */
export async function previewSnapshot(
  store: AccessStore,
  desired: DesiredAccess,
  options: PlanOptions = {},
): Promise<AccessSnapshot> {
  let snapshot: AccessSnapshot | undefined
  try {
    await store.db.transaction().execute(async (trx) => {
      for (const c of await planChanges(trx, desired, options)) await execute(trx, c)
      snapshot = await readSnapshotIn(trx)
      throw new Rollback()
    })
  } catch (err) {
    if (!(err instanceof Rollback)) throw err
  }
  return snapshot!
}
