/** Migration 0003: users, groups, grants, create rights, API tokens, audit events and the access revision. */
import { type Kysely, PostgresAdapter, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter
  // `serial` on PostgreSQL, `integer primary key autoincrement` on SQLite.
  const idColumn = (t: string) =>
    pg ? sql.raw(`${t} serial primary key`) : sql.raw(`${t} integer primary key autoincrement`)
  const ts = 'varchar(32)'
  await db.schema
    .createTable('access_revision')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('revision', 'bigint', (c) => c.notNull())
    .execute()
  await sql`insert into access_revision (id, revision) values (1, 0)`.execute(db)

  await sql`create table users (
    ${idColumn('id')},
    name varchar(255) not null,
    name_key varchar(255) not null unique,
    password_hash text,
    admin integer not null default 0,
    disabled integer not null default 0,
    origin varchar(16) not null,
    config_password_hash text,
    created_at ${sql.raw(ts)} not null,
    updated_at ${sql.raw(ts)} not null
  )`.execute(db)
  await sql`create table groups (
    ${idColumn('id')},
    name varchar(255) not null unique,
    origin varchar(16) not null,
    created_at ${sql.raw(ts)} not null
  )`.execute(db)
  await sql`create table group_members (
    group_id integer not null references groups(id) on delete cascade,
    user_id integer not null references users(id) on delete cascade,
    origin varchar(16) not null,
    primary key (group_id, user_id)
  )`.execute(db)
  for (const table of ['grants', 'create_rights']) {
    const specific =
      table === 'grants'
        ? sql`resource varchar(32) not null, pattern varchar(512) not null,
              permission varchar(16) not null, deny integer not null default 0,`
        : sql`kind varchar(32) not null, pattern varchar(512) not null,`
    await sql`create table ${sql.table(table)} (
      ${idColumn('id')},
      principal_type varchar(16) not null,
      user_id integer references users(id) on delete cascade,
      group_id integer references groups(id) on delete cascade,
      ${specific}
      origin varchar(16) not null,
      source varchar(255),
      created_at ${sql.raw(ts)} not null
    )`.execute(db)
  }
  await sql`create table api_tokens (
    id varchar(64) primary key,
    user_id integer not null references users(id) on delete cascade,
    name varchar(255) not null,
    secret_hash varchar(128) not null,
    read_only integer not null default 0,
    expires_at ${sql.raw(ts)},
    created_at ${sql.raw(ts)} not null,
    last_used_at ${sql.raw(ts)},
    unique (user_id, name)
  )`.execute(db)
  await sql`create table audit_events (
    ${idColumn('id')},
    at ${sql.raw(ts)} not null,
    request_id varchar(64) not null,
    principal varchar(255),
    method varchar(16) not null,
    path text not null,
    route text,
    resource text,
    client varchar(64) not null,
    allow integer,
    status integer not null,
    reasons text not null,
    error varchar(64)
  )`.execute(db)
  await sql`create index audit_events_at on audit_events (at)`.execute(db)
  await sql`create index audit_events_principal on audit_events (principal, at)`.execute(db)
  await sql`create index grants_user on grants (user_id)`.execute(db)
  await sql`create index grants_group on grants (group_id)`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'audit_events',
    'api_tokens',
    'create_rights',
    'grants',
    'group_members',
    'groups',
    'users',
    'access_revision',
  ]) {
    await db.schema.dropTable(t).execute()
  }
}
