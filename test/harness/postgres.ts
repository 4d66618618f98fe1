/** Creates a throwaway PostgreSQL database on the machine's server for one test file. */
import pg from 'pg'

export const PG_ADMIN_URL =
  process.env.MLFLOW_GATE_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test'

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

export type TempDatabase = { readonly url: string; drop(): Promise<void> }

/** A database named for this process and moment, so parallel runs never collide. */
export async function createTempDatabase(prefix = 'mlflow_gate'): Promise<TempDatabase> {
  const name = `${prefix}_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`
  await admin((c) => c.query(`create database ${name}`))
  const url = new URL(PG_ADMIN_URL)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    drop: () =>
      admin((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  }
}
