/** The whole access state read at one revision, for the in-memory view decisions use. */
import type { Kysely, Transaction } from 'kysely'
import type { CreateKindColumn, Database, GrantResource, PermissionColumn } from '../database.js'
import { listCreateRights, listGrants } from './grants.js'

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
  // The same queries the admin API lists with, so the two can never disagree.
  const grants = await listGrants(trx)
  const rights = await listCreateRights(trx)
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
      to: g.to,
      resource: g.resource,
      pattern: g.pattern,
      permission: g.permission,
      deny: g.deny,
      source: g.source,
    })),
    createRights: rights.map((c) => ({
      id: c.id,
      to: c.to,
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
