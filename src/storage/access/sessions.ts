/** Browser sessions: created at sign-in with a fresh random id, looked up by its hash, ended by sign-out or revocation. */
import { createHash, randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../database.js'
import { requireUserId } from './users.js'

export type SessionRow = {
  readonly user: string
  readonly createdAt: number
  readonly lastSeenAt: number
  readonly expiresAt: number
}

export const hashSessionId = (id: string) => createHash('sha256').update(id).digest('hex')

/** A new session for the user; the returned id goes in the cookie and nowhere else. */
export async function createSession(
  db: Kysely<Database>,
  s: { user: string; absoluteMs: number; client: string; userAgent: string | undefined },
): Promise<{ id: string; expiresAt: number }> {
  const user_id = await requireUserId(db, s.user)
  const id = randomBytes(32).toString('base64url')
  const now = Date.now()
  const expiresAt = now + s.absoluteMs
  await db
    .insertInto('sessions')
    .values({
      id_hash: hashSessionId(id),
      user_id,
      created_at: new Date(now).toISOString(),
      last_seen_at: new Date(now).toISOString(),
      expires_at: new Date(expiresAt).toISOString(),
      client: s.client.slice(0, 64),
      user_agent: s.userAgent?.slice(0, 512) ?? null,
    })
    .execute()
  return { id, expiresAt }
}

export async function findSession(
  db: Kysely<Database>,
  idHash: string,
): Promise<SessionRow | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'users.name_key',
      'sessions.created_at',
      'sessions.last_seen_at',
      'sessions.expires_at',
    ])
    .where('sessions.id_hash', '=', idHash)
    .executeTakeFirst()
  return (
    row && {
      user: row.name_key,
      createdAt: Date.parse(row.created_at),
      lastSeenAt: Date.parse(row.last_seen_at),
      expiresAt: Date.parse(row.expires_at),
    }
  )
}

export async function touchSessions(
  db: Kysely<Database>,
  seen: ReadonlyMap<string, number>,
): Promise<void> {
  for (const [idHash, at] of seen) {
    await db
      .updateTable('sessions')
      .set({ last_seen_at: new Date(at).toISOString() })
      .where('id_hash', '=', idHash)
      .execute()
  }
}

export async function deleteSession(db: Kysely<Database>, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute()
}

/** Ends every session of a user (password changed, user disabled). */
export async function deleteUserSessions(db: Kysely<Database>, userId: number): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute()
}

/** Removes sessions past their absolute end (run now and then; expired ones are refused anyway). */
export async function deleteExpiredSessions(db: Kysely<Database>, now = Date.now()): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<', new Date(now).toISOString()).execute()
}
