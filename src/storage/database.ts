/** The gateway's database schema as Kysely sees it (one set of tables for SQLite and PostgreSQL). */

export type Database = {
  gate_meta: { key: string; value: string }
}
