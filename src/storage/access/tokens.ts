/** API tokens: named, optionally expiring and read-only, stored only as a hash, shown once at creation. */
import { createHash, randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import { GatewayError } from '../../server/errors.js'
import type { Database } from '../database.js'
import { requireUserId } from './users.js'

/**
 * `mlgt_<id>_<secret>`: the id finds the row without a scan and is safe to show in lists and
 * audit lines; the 32-byte secret is what proves possession. The prefix lets secret scanners
 * (and people) recognise a leaked token.
 */
export const TOKEN_PREFIX = 'mlgt_'
const TOKEN = /^mlgt_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/

export type TokenRow = {
  readonly id: string
  readonly user: string
  readonly name: string
  readonly readOnly: boolean
  readonly expiresAt: string | null
  readonly createdAt: string
  readonly lastUsedAt: string | null
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex')
}

/** Splits a presented token into id and secret; undefined when it is not shaped like one. */
export function parseToken(text: string): { id: string; secret: string } | undefined {
  const m = TOKEN.exec(text)
  return m ? { id: m[1]!, secret: m[2]! } : undefined
}

export async function createToken(
  db: Kysely<Database>,
  t: { user: string; name: string; readOnly?: boolean; expiresAt?: string | null },
): Promise<{ id: string; token: string }> {
  if (!/^[\w .@-]{1,100}$/.test(t.name))
    throw new GatewayError(
      'GW_INVALID_PARAMETER',
      'token name must be 1 to 100 letters, digits, spaces or . _ @ -',
    )
  if (t.expiresAt != null && Number.isNaN(Date.parse(t.expiresAt)))
    throw new GatewayError('GW_INVALID_PARAMETER', `expiry '${t.expiresAt}' is not a date`)
  const user_id = await requireUserId(db, t.user)
  const clash = await db
    .selectFrom('api_tokens')
    .select('id')
    .where('user_id', '=', user_id)
    .where('name', '=', t.name)
    .executeTakeFirst()
  if (clash)
    throw new GatewayError('GW_ALREADY_EXISTS', `'${t.user}' already has a token named '${t.name}'`)
  const id = randomBytes(8).toString('hex')
  const secret = randomBytes(32).toString('base64url')
  await db
    .insertInto('api_tokens')
    .values({
      id,
      user_id,
      name: t.name,
      secret_hash: hashSecret(secret),
      read_only: t.readOnly ? 1 : 0,
      expires_at: t.expiresAt == null ? null : new Date(t.expiresAt).toISOString(),
      created_at: new Date().toISOString(),
      last_used_at: null,
    })
    .execute()
  return { id, token: `${TOKEN_PREFIX}${id}_${secret}` }
}

export async function listTokens(db: Kysely<Database>, user?: string): Promise<TokenRow[]> {
  let q = db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select([
      'api_tokens.id',
      'users.name as user',
      'api_tokens.name',
      'api_tokens.read_only',
      'api_tokens.expires_at',
      'api_tokens.created_at',
      'api_tokens.last_used_at',
    ])
    .orderBy('users.name_key')
    .orderBy('api_tokens.name')
  if (user !== undefined) q = q.where('users.name_key', '=', user.toLowerCase())
  return (await q.execute()).map((r) => ({
    id: r.id,
    user: r.user,
    name: r.name,
    readOnly: r.read_only === 1,
    expiresAt: r.expires_at,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
  }))
}

/** Revokes (deletes) a token; with `user`, only that user's token, so users manage their own. */
export async function revokeToken(db: Kysely<Database>, id: string, user?: string): Promise<void> {
  let q = db.deleteFrom('api_tokens').where('id', '=', id)
  if (user !== undefined) q = q.where('user_id', '=', await requireUserId(db, user))
  const r = await q.executeTakeFirst()
  if (r.numDeletedRows === 0n) throw new GatewayError('GW_NOT_FOUND', `no token with id ${id}`)
}

/** Records when tokens were last used (batched by the caller; a lost update only loses a time). */
export async function touchTokens(
  db: Kysely<Database>,
  used: ReadonlyMap<string, string>,
): Promise<void> {
  for (const [id, at] of used) {
    await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute()
  }
}
