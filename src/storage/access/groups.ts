/** Groups and their members in the store; group names compare exactly, as in grants' `group:NAME`. */
import type { Kysely } from 'kysely'
import { GatewayError } from '../../server/errors.js'
import type { Database, Origin } from '../database.js'
import { requireUserId } from './users.js'

export type GroupRow = {
  readonly name: string
  readonly origin: Origin
  readonly members: readonly string[]
  readonly createdAt: string
}

const NAME = /^[^\s:]{1,255}$/

export async function groupId(db: Kysely<Database>, name: string): Promise<number | undefined> {
  const row = await db.selectFrom('groups').select('id').where('name', '=', name).executeTakeFirst()
  return row?.id
}

async function requireGroupId(db: Kysely<Database>, name: string): Promise<number> {
  const id = await groupId(db, name)
  if (id === undefined) throw new GatewayError('GW_NOT_FOUND', `no group named '${name}'`)
  return id
}

export async function createGroup(
  db: Kysely<Database>,
  g: { name: string; origin: Origin },
): Promise<number> {
  if (!NAME.test(g.name)) {
    throw new GatewayError(
      'GW_INVALID_PARAMETER',
      `group name '${g.name}' must be 1 to 255 characters without spaces or colons`,
    )
  }
  if ((await groupId(db, g.name)) !== undefined)
    throw new GatewayError('GW_ALREADY_EXISTS', `group '${g.name}' already exists`)
  const row = await db
    .insertInto('groups')
    .values({ name: g.name, origin: g.origin, created_at: new Date().toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Deleting a group removes its grants, create rights and memberships. */
export async function deleteGroup(db: Kysely<Database>, name: string): Promise<void> {
  const id = await requireGroupId(db, name)
  await db.deleteFrom('grants').where('group_id', '=', id).execute()
  await db.deleteFrom('create_rights').where('group_id', '=', id).execute()
  await db.deleteFrom('group_members').where('group_id', '=', id).execute()
  await db.deleteFrom('groups').where('id', '=', id).execute()
}

export async function listGroups(db: Kysely<Database>): Promise<GroupRow[]> {
  const groups = await db.selectFrom('groups').selectAll().orderBy('name').execute()
  const members = await db
    .selectFrom('group_members')
    .innerJoin('users', 'users.id', 'group_members.user_id')
    .select(['group_members.group_id', 'users.name'])
    .orderBy('users.name_key')
    .execute()
  return groups.map((g) => ({
    name: g.name,
    origin: g.origin,
    members: members.filter((m) => m.group_id === g.id).map((m) => m.name),
    createdAt: g.created_at,
  }))
}

/** Adds a member; adding one who is already a member changes nothing. */
export async function addMember(
  db: Kysely<Database>,
  group: string,
  user: string,
  origin: Origin,
): Promise<void> {
  const group_id = await requireGroupId(db, group)
  const user_id = await requireUserId(db, user)
  await db
    .insertInto('group_members')
    .values({ group_id, user_id, origin })
    .onConflict((oc) => oc.columns(['group_id', 'user_id']).doNothing())
    .execute()
}

export async function removeMember(
  db: Kysely<Database>,
  group: string,
  user: string,
): Promise<void> {
  const group_id = await requireGroupId(db, group)
  const user_id = await requireUserId(db, user)
  const result = await db
    .deleteFrom('group_members')
    .where('group_id', '=', group_id)
    .where('user_id', '=', user_id)
    .executeTakeFirst()
  if (result.numDeletedRows === 0n)
    throw new GatewayError('GW_NOT_FOUND', `'${user}' is not a member of '${group}'`)
}

/** Who added `user` to `group` (the config file, the API, an import); undefined when not a member. */
export async function memberOrigin(
  db: Kysely<Database>,
  group: string,
  user: string,
): Promise<Origin | undefined> {
  const row = await db
    .selectFrom('group_members')
    .innerJoin('groups', 'groups.id', 'group_members.group_id')
    .innerJoin('users', 'users.id', 'group_members.user_id')
    .select('group_members.origin')
    .where('groups.name', '=', group)
    .where('users.name_key', '=', user.toLowerCase())
    .executeTakeFirst()
  return row?.origin
}
