/** The whole access state read at one revision, for the in-memory view decisions use. */
import type { Kysely, Transaction } from 'kysely'
import type { CreateKindColumn, Database, GrantResource, PermissionColumn } from '../database.js'
import { principalRef } from './principals.js'

export type SnapshotUser = {
  readonly name: string
  readonly passwordHash: string | null
  readonly admin: boolean
  readonly disabled: boolean
  readonly groups: readonly string[]
}

export type SnapshotGrant = {
  readonly id: number
  readonly to: string
  readonly resource: GrantResource
  readonly pattern: string
  readonly permission: PermissionColumn
  readonly deny: boolean
  readonly source: string | null
}

export type SnapshotCreateRight = {
  readonly id: number
  readonly to: string
  readonly kind: CreateKindColumn
  readonly pattern: string
  readonly source: string | null
}

export type SnapshotToken = {
  readonly id: string
  /** The owner's name as stored. */
  readonly user: string
  readonly secretHash: string
  readonly readOnly: boolean
  readonly expiresAt: string | null
}

export type AccessSnapshot = {
  readonly revision: number
  readonly users: readonly SnapshotUser[]
  readonly grants: readonly SnapshotGrant[]
  readonly createRights: readonly SnapshotCreateRight[]
  readonly tokens: readonly SnapshotToken[]
}

/** Reads every table inside one transaction so the snapshot never mixes two revisions. */
export async function readSnapshot(
  db: Kysely<Database>,
  postgres: boolean,
): Promise<AccessSnapshot> {
  const tx = postgres ? db.transaction().setIsolationLevel('repeatable read') : db.transaction()
  return tx.execute(readSnapshotIn)
}

/** The snapshot as seen by a transaction the caller holds. */
export async function readSnapshotIn(trx: Transaction<Database>): Promise<AccessSnapshot> {
  const { revision } = await trx
    .selectFrom('access_revision')
    .select('revision')
    .where('id', '=', 1)
    .executeTakeFirstOrThrow()
  const users = await trx.selectFrom('users').selectAll().orderBy('id').execute()
  const members = await trx
    .selectFrom('group_members')
    .innerJoin('groups', 'groups.id', 'group_members.group_id')
    .select(['group_members.user_id', 'groups.name'])
    .orderBy('groups.name')
    .execute()
  const grants = await trx
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
      'grants.source',
    ])
    .orderBy('grants.id')
    .execute()
  const rights = await trx
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
      'create_rights.source',
    ])
    .orderBy('create_rights.id')
    .execute()
  const tokens = await trx
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select([
      'api_tokens.id',
      'users.name as user',
      'api_tokens.secret_hash',
      'api_tokens.read_only',
      'api_tokens.expires_at',
    ])
    .execute()
  const groupsOf = new Map<number, string[]>()
  for (const m of members) groupsOf.set(m.user_id, [...(groupsOf.get(m.user_id) ?? []), m.name])
  return {
    revision: Number(revision),
    users: users.map((u) => ({
      name: u.name,
      passwordHash: u.password_hash,
      admin: u.admin === 1,
      disabled: u.disabled === 1,
      groups: groupsOf.get(u.id) ?? [],
    })),
    grants: grants.map((g) => ({
      id: g.id,
      to: principalRef(g),
      resource: g.resource,
      pattern: g.pattern,
      permission: g.permission,
      deny: g.deny === 1,
      source: g.source,
    })),
    createRights: rights.map((c) => ({
      id: c.id,
      to: principalRef(c),
      kind: c.kind,
      pattern: c.pattern,
      source: c.source,
    })),
    tokens: tokens.map((t) => ({
      id: t.id,
      user: t.user,
      secretHash: t.secret_hash,
      readOnly: t.read_only === 1,
      expiresAt: t.expires_at,
    })),
  }
}
