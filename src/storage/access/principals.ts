/** Principal references (`anonymous`, `authenticated`, `user:NAME`, `group:NAME`) to and from the store's columns. */
import type { Kysely } from 'kysely'
import { GatewayError } from '../../server/errors.js'
import type { Database, PrincipalType } from '../database.js'

export type PrincipalColumns = {
  principal_type: PrincipalType
  user_id: number | null
  group_id: number | null
}

const REF = /^(anonymous|authenticated|user:[^\s:]+|group:[^\s:]+)$/

export function isPrincipalRef(ref: string): boolean {
  return REF.test(ref)
}

/** Resolves a reference to columns; a user or group that does not exist is GW_NOT_FOUND. */
export async function principalColumns(
  db: Kysely<Database>,
  ref: string,
): Promise<PrincipalColumns> {
  if (!isPrincipalRef(ref)) {
    throw new GatewayError(
      'GW_INVALID_PARAMETER',
      `'${ref}' is not anonymous, authenticated, user:NAME or group:NAME`,
    )
  }
  if (ref === 'anonymous' || ref === 'authenticated')
    return { principal_type: ref, user_id: null, group_id: null }
  if (ref.startsWith('user:')) {
    const user = await db
      .selectFrom('users')
      .select('id')
      .where('name_key', '=', ref.slice(5).toLowerCase())
      .executeTakeFirst()
    if (!user) throw new GatewayError('GW_NOT_FOUND', `no user named '${ref.slice(5)}'`)
    return { principal_type: 'user', user_id: user.id, group_id: null }
  }
  const group = await db
    .selectFrom('groups')
    .select('id')
    .where('name', '=', ref.slice(6))
    .executeTakeFirst()
  if (!group) throw new GatewayError('GW_NOT_FOUND', `no group named '${ref.slice(6)}'`)
  return { principal_type: 'group', user_id: null, group_id: group.id }
}

/** The reference for a row joined with its user's and group's names. */
export function principalRef(row: {
  principal_type: PrincipalType
  user_name: string | null
  group_name: string | null
}): string {
  if (row.principal_type === 'user') return `user:${row.user_name}`
  if (row.principal_type === 'group') return `group:${row.group_name}`
  return row.principal_type
}
