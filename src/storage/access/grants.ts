/** Grants (a permission on experiments or registered models) and create rights, stored one pattern per row. */
import type { Kysely } from 'kysely'
import { GatewayError } from '../../server/errors.js'
import type {
  CreateKindColumn,
  Database,
  GrantResource,
  Origin,
  PermissionColumn,
} from '../database.js'
import { principalColumns, principalRef } from './principals.js'

export type GrantInput = {
  /** `anonymous`, `authenticated`, `user:NAME` or `group:NAME`. */
  readonly to: string
  readonly resource: GrantResource
  /** An experiment id for `experiment-id`, else a name or glob (`*`, `?`). */
  readonly pattern: string
  readonly permission: PermissionColumn
  readonly deny?: boolean
  readonly origin: Origin
  readonly source?: string | null
}

export type GrantRow = Required<Omit<GrantInput, 'source'>> & {
  readonly id: number
  readonly source: string | null
  readonly createdAt: string
}

export type CreateRightInput = {
  readonly to: string
  readonly kind: CreateKindColumn
  readonly pattern: string
  readonly origin: Origin
  readonly source?: string | null
}

export type CreateRightRow = Required<Omit<CreateRightInput, 'source'>> & {
  readonly id: number
  readonly source: string | null
  readonly createdAt: string
}

export const GRANT_RESOURCES: readonly GrantResource[] = [
  'experiment',
  'experiment-id',
  'registered-model',
]
export const PERMISSION_NAMES: readonly PermissionColumn[] = ['READ', 'USE', 'EDIT', 'MANAGE']
export const CREATE_KINDS: readonly CreateKindColumn[] = [
  'experiment',
  'registered-model',
  'prompt',
]

function checkGrant(g: GrantInput): void {
  const problems: string[] = []
  if (!GRANT_RESOURCES.includes(g.resource))
    problems.push(`resource must be one of ${GRANT_RESOURCES.join(', ')}`)
  if (!PERMISSION_NAMES.includes(g.permission))
    problems.push(`permission must be one of ${PERMISSION_NAMES.join(', ')}`)
  if (g.pattern === '' || g.pattern.length > 512)
    problems.push('pattern must be 1 to 512 characters')
  if (g.resource === 'experiment-id' && !/^\d+$/.test(g.pattern))
    problems.push(`experiment id '${g.pattern}' must be numeric`)
  if (problems.length) throw new GatewayError('GW_INVALID_PARAMETER', problems.join('; '))
}

export async function addGrant(db: Kysely<Database>, g: GrantInput): Promise<number> {
  checkGrant(g)
  const who = await principalColumns(db, g.to)
  const row = await db
    .insertInto('grants')
    .values({
      ...who,
      resource: g.resource,
      pattern: g.pattern,
      permission: g.permission,
      deny: g.deny ? 1 : 0,
      origin: g.origin,
      source: g.source ?? null,
      created_at: new Date().toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export type GrantFilter = {
  readonly id?: number
  readonly to?: string
  readonly resource?: GrantResource
  readonly pattern?: string
}

export async function listGrants(
  db: Kysely<Database>,
  filter: GrantFilter = {},
): Promise<GrantRow[]> {
  let q = db
    .selectFrom('grants')
    .leftJoin('users', 'users.id', 'grants.user_id')
    .leftJoin('groups', 'groups.id', 'grants.group_id')
    .select([
      'grants.id',
      'grants.principal_type',
      'users.name as user_name',
      'groups.name as group_name',
      'grants.resource',
      'grants.pattern',
      'grants.permission',
      'grants.deny',
      'grants.origin',
      'grants.source',
      'grants.created_at',
    ])
    .orderBy('grants.id')
  if (filter.id !== undefined) q = q.where('grants.id', '=', filter.id)
  if (filter.resource !== undefined) q = q.where('grants.resource', '=', filter.resource)
  if (filter.pattern !== undefined) q = q.where('grants.pattern', '=', filter.pattern)
  if (filter.to !== undefined) {
    const who = await principalColumns(db, filter.to)
    q = q.where('grants.principal_type', '=', who.principal_type)
    if (who.user_id !== null) q = q.where('grants.user_id', '=', who.user_id)
    if (who.group_id !== null) q = q.where('grants.group_id', '=', who.group_id)
  }
  return (await q.execute()).map((r) => ({
    id: r.id,
    to: principalRef(r),
    resource: r.resource,
    pattern: r.pattern,
    permission: r.permission,
    deny: r.deny === 1,
    origin: r.origin,
    source: r.source,
    createdAt: r.created_at,
  }))
}

export async function updateGrantPermission(
  db: Kysely<Database>,
  id: number,
  permission: PermissionColumn,
): Promise<void> {
  if (!PERMISSION_NAMES.includes(permission))
    throw new GatewayError(
      'GW_INVALID_PARAMETER',
      `permission must be one of ${PERMISSION_NAMES.join(', ')}`,
    )
  const r = await db
    .updateTable('grants')
    .set({ permission })
    .where('id', '=', id)
    .executeTakeFirst()
  if (r.numUpdatedRows === 0n) throw new GatewayError('GW_NOT_FOUND', `no grant with id ${id}`)
}

export async function removeGrant(db: Kysely<Database>, id: number): Promise<void> {
  const r = await db.deleteFrom('grants').where('id', '=', id).executeTakeFirst()
  if (r.numDeletedRows === 0n) throw new GatewayError('GW_NOT_FOUND', `no grant with id ${id}`)
}

export async function addCreateRight(db: Kysely<Database>, c: CreateRightInput): Promise<number> {
  if (!CREATE_KINDS.includes(c.kind))
    throw new GatewayError('GW_INVALID_PARAMETER', `kind must be one of ${CREATE_KINDS.join(', ')}`)
  if (c.pattern === '' || c.pattern.length > 512)
    throw new GatewayError('GW_INVALID_PARAMETER', 'pattern must be 1 to 512 characters')
  const who = await principalColumns(db, c.to)
  const row = await db
    .insertInto('create_rights')
    .values({
      ...who,
      kind: c.kind,
      pattern: c.pattern,
      origin: c.origin,
      source: c.source ?? null,
      created_at: new Date().toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function listCreateRights(db: Kysely<Database>): Promise<CreateRightRow[]> {
  const rows = await db
    .selectFrom('create_rights')
    .leftJoin('users', 'users.id', 'create_rights.user_id')
    .leftJoin('groups', 'groups.id', 'create_rights.group_id')
    .select([
      'create_rights.id',
      'create_rights.principal_type',
      'users.name as user_name',
      'groups.name as group_name',
      'create_rights.kind',
      'create_rights.pattern',
      'create_rights.origin',
      'create_rights.source',
      'create_rights.created_at',
    ])
    .orderBy('create_rights.id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    to: principalRef(r),
    kind: r.kind,
    pattern: r.pattern,
    origin: r.origin,
    source: r.source,
    createdAt: r.created_at,
  }))
}

export async function removeCreateRight(db: Kysely<Database>, id: number): Promise<void> {
  const r = await db.deleteFrom('create_rights').where('id', '=', id).executeTakeFirst()
  if (r.numDeletedRows === 0n)
    throw new GatewayError('GW_NOT_FOUND', `no create right with id ${id}`)
}
