/** Opens MLflow's auth database read-only: a basic_auth.db file, a sqlite:/// URL or a PostgreSQL URL. */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import pg from 'pg'

/** Read access to the auth database, inside one read-only snapshot so counts and rows agree. */
export type AuthSource = {
  /** For the report: the path, or the URL without its password. */
  readonly description: string
  readonly tables: ReadonlySet<string>
  rows<T>(sql: string): Promise<T[]>
  close(): Promise<void>
}

export class SourceError extends Error {
  override name = 'SourceError'
}

/**
 * What `--from` names. MLflow's `database_uri` (basic_auth.ini) is a SQLAlchemy URL:
 * `sqlite:///relative.db`, `sqlite:////absolute.db`, `postgresql[+driver]://...`
 * (sqlalchemy.engine.url.make_url); a bare path is taken as a SQLite file.
 */
export function parseFrom(
  from: string,
): { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string } {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(from)?.[1]?.toLowerCase()
  if (scheme === 'sqlite') {
    const m = /^sqlite:\/\/\/([^?]*)/i.exec(from)
    if (!m || m[1] === '' || m[1] === ':memory:')
      throw new SourceError(
        `'${from}' names no SQLite file (expected sqlite:///relative.db or sqlite:////absolute.db)`,
      )
    return { kind: 'sqlite', path: resolve(m[1]!) }
  }
  const dialect = scheme?.split('+')[0]
  if (dialect === 'postgresql' || dialect === 'postgres') {
    // The driver part (+psycopg2, +pg8000) means nothing to node-postgres.
    return { kind: 'postgres', url: from.replace(/^[^:]+:/, 'postgresql:') }
  }
  if (scheme !== undefined && from.includes('://'))
    throw new SourceError(
      `'${dialect}' auth databases are not supported: import reads SQLite and PostgreSQL. ` +
        "Copy the auth tables into SQLite first (for example with sqlite3 and your database's dump tool).",
    )
  return { kind: 'sqlite', path: resolve(from) }
}

export async function openAuthSource(from: string): Promise<AuthSource> {
  const target = parseFrom(from)
  return target.kind === 'sqlite' ? openSqlite(target.path) : openPostgres(target.url)
}

function openSqlite(path: string): AuthSource {
  if (!existsSync(path)) throw new SourceError(`no such file: ${path}`)
  let db: SqliteDatabase.Database
  try {
    db = new SqliteDatabase(path, { readonly: true, fileMustExist: true })
    db.prepare('begin').run()
  } catch (err) {
    throw new SourceError(`cannot open ${path} as SQLite: ${(err as Error).message}`)
  }
  const tables = db.prepare("select name from sqlite_master where type = 'table'").all() as {
    name: string
  }[]
  return {
    description: path,
    tables: new Set(tables.map((t) => t.name)),
    rows: async <T>(sql: string) => db.prepare(sql).all() as T[],
    close: async () => {
      db.prepare('rollback').run()
      db.close()
    },
  }
}

async function openPostgres(url: string): Promise<AuthSource> {
  const description = url.replace(/^(postgresql:\/\/[^:/@]+:)[^@]*@/, '$1***@')
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 })
  try {
    await client.connect()
    // One read-only snapshot: nothing can be written through this connection, and every table is
    // read as of the same moment even if MLflow is running.
    await client.query('begin transaction isolation level repeatable read read only')
  } catch (err) {
    await client.end().catch(() => undefined)
    throw new SourceError(`cannot connect to ${description}: ${(err as Error).message}`)
  }
  const { rows } = await client.query<{ table_name: string }>(
    'select table_name from information_schema.tables where table_schema = current_schema()',
  )
  return {
    description,
    tables: new Set(rows.map((r) => r.table_name)),
    rows: async <T>(sql: string) => (await client.query(sql)).rows as T[],
    close: async () => {
      await client.query('rollback').catch(() => undefined)
      await client.end()
    },
  }
}
