/** Migration 0004: browser sessions, kept server-side so they can be revoked. */
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table sessions (
    id_hash varchar(64) primary key,
    user_id integer not null references users(id) on delete cascade,
    created_at varchar(32) not null,
    last_seen_at varchar(32) not null,
    expires_at varchar(32) not null,
    client varchar(64) not null,
    user_agent varchar(512)
  )`.execute(db)
  await sql`create index sessions_user on sessions (user_id)`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sessions').execute()
}
