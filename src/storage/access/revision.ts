/** The access revision: one counter every change to users, groups, grants or tokens increments, so views know to reload. */
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '../database.js'

export async function bumpRevision(trx: Transaction<Database>): Promise<void> {
  await trx
    .updateTable('access_revision')
    .set({ revision: sql`revision + 1` })
    .where('id', '=', 1)
    .execute()
}

export async function readRevision(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('access_revision')
    .select('revision')
    .where('id', '=', 1)
    .executeTakeFirstOrThrow()
  return Number(row.revision)
}
