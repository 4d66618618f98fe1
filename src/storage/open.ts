/** Opens the gateway's store (SQLite file or PostgreSQL) from its URL and brings its schema up to date. */
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely'
import pg from 'pg'
import type { Database } from './database.js'
import { migrationProvider } from './migrations/index.js'

export type Store = {
  readonly db: Kysely<Database>
  readonly kind: 'sqlite' | 'postgres'
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>
  close(): Promise<void>
}

export type StoreOptions = {
  /** Told about connection errors that happen between queries (the store recovers by itself). */
  onBackgroundError?: (err: Error) => void
  /** False leaves the schema as it is (for `mlflow-gate migrate`, which reports what it applies). */
  migrate?: boolean
}

/** `sqlite:PATH`, `sqlite::memory:` or `postgres://...`; the URL was validated with the config. */
export async function openStore(url: string, options: StoreOptions = {}): Promise<Store> {
  const kind = url.startsWith('sqlite:') ? 'sqlite' : 'postgres'
  const onError = options.onBackgroundError ?? (() => undefined)
  const db = new Kysely<Database>({
    dialect:
      kind === 'sqlite'
        ? sqliteDialect(url.slice('sqlite:'.length))
        : postgresDialect(url, onError),
  })
  try {
    if (options.migrate !== false) await migrate(db)
  } catch (err) {
    await db.destroy()
    throw err
  }
  return {
    db,
    kind,
    ping: async () => {
      await sql`select 1`.execute(db)
    },
    close: () => db.destroy(),
  }
}

/** Applies every pending migration in one go; the error names the migration that failed. */
export async function migrate(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider })
  const { error, results } = await migrator.migrateToLatest()
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown'
    throw new Error(`storage migration ${failed} failed: ${String(error)}`, { cause: error })
  }
  return (results ?? []).map((r) => r.migrationName)
}

function sqliteDialect(path: string): SqliteDialect {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const database = new SqliteDatabase(path)
  // WAL lets readers proceed while a change commits.
  database.pragma('journal_mode = WAL')
  database.pragma('foreign_keys = ON')
  database.pragma('busy_timeout = 5000')
  return new SqliteDialect({ database })
}

function postgresDialect(url: string, onError: (err: Error) => void): PostgresDialect {
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5_000 })
  // An idle connection that PostgreSQL closes (restart, failover) is reported on the pool; with no
  // listener Node would treat it as an uncaught error and stop the gateway. The pool drops that
  // connection and opens a new one for the next query.
  pool.on('error', onError)
  return new PostgresDialect({ pool })
}
