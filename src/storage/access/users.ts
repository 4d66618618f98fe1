/** Users in the store: names unique case-insensitively, Werkzeug password hashes, admin and disabled flags. */
import type { Kysely } from 'kysely'
import { hashFormatProblem } from '../../identify/password.js'
import { GatewayError } from '../../server/errors.js'
import type { Database, Origin } from '../database.js'

export type UserRow = {
  readonly name: string
  readonly admin: boolean
  readonly disabled: boolean
  readonly hasPassword: boolean
  readonly origin: Origin
  readonly groups: readonly string[]
  readonly createdAt: string
  readonly updatedAt: string
}

export type NewUser = {
  readonly name: string
  readonly passwordHash: string | null
  readonly admin?: boolean
  readonly disabled?: boolean
  readonly origin: Origin
  readonly configPasswordHash?: string | null
}

export type UserPatch = {
  readonly passwordHash?: string | null
  readonly admin?: boolean
  readonly disabled?: boolean
  readonly origin?: Origin
  readonly configPasswordHash?: string | null
}

const NAME = /^[^\s:]{1,255}$/
const now = () => new Date().toISOString()

export function checkUserName(name: string): void {
  if (!NAME.test(name)) {
    throw new GatewayError(
      'GW_INVALID_PARAMETER',
      `user name '${name}' must be 1 to 255 characters without spaces or colons`,
    )
  }
}

function checkHash(hash: string | null | undefined): void {
  const problem = hash ? hashFormatProblem(hash) : undefined
  if (problem) throw new GatewayError('GW_INVALID_PARAMETER', `password hash: ${problem}`)
}

export async function createUser(db: Kysely<Database>, u: NewUser): Promise<number> {
  checkUserName(u.name)
  checkHash(u.passwordHash)
  if (await userId(db, u.name))
    throw new GatewayError('GW_ALREADY_EXISTS', `user '${u.name}' already exists`)
  const at = now()
  const row = await db
    .insertInto('users')
    .values({
      name: u.name,
      name_key: u.name.toLowerCase(),
      password_hash: u.passwordHash,
      admin: u.admin ? 1 : 0,
      disabled: u.disabled ? 1 : 0,
      origin: u.origin,
      config_password_hash: u.configPasswordHash ?? null,
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** The user's id, or undefined; names compare case-insensitively. */
export async function userId(db: Kysely<Database>, name: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('name_key', '=', name.toLowerCase())
    .executeTakeFirst()
  return row?.id
}

export async function requireUserId(db: Kysely<Database>, name: string): Promise<number> {
  const id = await userId(db, name)
  if (id === undefined) throw new GatewayError('GW_NOT_FOUND', `no user named '${name}'`)
  return id
}

/** The stored hash, for the few places that verify a password outside identify/ (CLI, import). */
export async function passwordHashOf(
  db: Kysely<Database>,
  name: string,
): Promise<{ hash: string | null; configHash: string | null } | undefined> {
  const row = await db
    .selectFrom('users')
    .select(['password_hash', 'config_password_hash'])
    .where('name_key', '=', name.toLowerCase())
    .executeTakeFirst()
  return row && { hash: row.password_hash, configHash: row.config_password_hash }
}

export async function getUser(db: Kysely<Database>, name: string): Promise<UserRow | undefined> {
  return (await listUsers(db, name))[0]
}

export async function listUsers(db: Kysely<Database>, name?: string): Promise<UserRow[]> {
  let q = db.selectFrom('users').selectAll().orderBy('name_key')
  if (name !== undefined) q = q.where('name_key', '=', name.toLowerCase())
  const users = await q.execute()
  const memberships = await db
    .selectFrom('group_members')
    .innerJoin('groups', 'groups.id', 'group_members.group_id')
    .select(['group_members.user_id', 'groups.name'])
    .orderBy('groups.name')
    .execute()
  return users.map((u) => ({
    name: u.name,
    admin: u.admin === 1,
    disabled: u.disabled === 1,
    hasPassword: u.password_hash !== null,
    origin: u.origin,
    groups: memberships.filter((m) => m.user_id === u.id).map((m) => m.name),
    createdAt: u.created_at,
    updatedAt: u.updated_at,
  }))
}

export async function updateUser(
  db: Kysely<Database>,
  name: string,
  patch: UserPatch,
): Promise<void> {
  checkHash(patch.passwordHash)
  const id = await requireUserId(db, name)
  await db
    .updateTable('users')
    .set({
      ...(patch.passwordHash !== undefined && { password_hash: patch.passwordHash }),
      ...(patch.admin !== undefined && { admin: patch.admin ? 1 : 0 }),
      ...(patch.disabled !== undefined && { disabled: patch.disabled ? 1 : 0 }),
      ...(patch.origin !== undefined && { origin: patch.origin }),
      ...(patch.configPasswordHash !== undefined && {
        config_password_hash: patch.configPasswordHash,
      }),
      updated_at: now(),
    })
    .where('id', '=', id)
    .execute()
  // A new password or a disabled account ends every browser session at once.
  if (patch.passwordHash !== undefined || patch.disabled === true)
    await db.deleteFrom('sessions').where('user_id', '=', id).execute()
}

/** Deleting a user removes their grants, create rights, memberships and tokens (foreign keys cascade). */
export async function deleteUser(db: Kysely<Database>, name: string): Promise<void> {
  const id = await requireUserId(db, name)
  // Explicit deletes as well as ON DELETE CASCADE: the result must not depend on a pragma.
  await db.deleteFrom('grants').where('user_id', '=', id).execute()
  await db.deleteFrom('create_rights').where('user_id', '=', id).execute()
  await db.deleteFrom('group_members').where('user_id', '=', id).execute()
  await db.deleteFrom('api_tokens').where('user_id', '=', id).execute()
  await db.deleteFrom('sessions').where('user_id', '=', id).execute()
  await db.deleteFrom('users').where('id', '=', id).execute()
}

/**
 * Replaces a user's password hash only if it is still `expected` (so a password changed meanwhile
 * is never overwritten); true when it was replaced.
 */
export async function replacePasswordHash(
  db: Kysely<Database>,
  name: string,
  expected: string,
  next: string,
): Promise<boolean> {
  checkHash(next)
  const r = await db
    .updateTable('users')
    .set({ password_hash: next, updated_at: now() })
    .where('name_key', '=', name.toLowerCase())
    .where('password_hash', '=', expected)
    .executeTakeFirst()
  return r.numUpdatedRows > 0n
}
