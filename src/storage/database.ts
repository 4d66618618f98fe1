/** The gateway's database schema as Kysely sees it (one set of tables for SQLite and PostgreSQL). */

export type Database = {
  gate_meta: { key: string; value: string }
  /** The creator of an experiment (key: its id) or registered model (key: its name) holds MANAGE. */
  resource_owners: { kind: OwnedKind; resource_key: string; owner: string; created_at: string }
}

export type OwnedKind = 'experiment' | 'registered-model'
