import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { createTempDatabase, type TempDatabase } from '../../test/harness/postgres.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore } from './open.js'

/** The same contract for every backend (SQLite file, PostgreSQL database made for this run). */
function storeContract(name: string, url: () => string) {
  describe(`store on ${name}`, () => {
    it('creates its schema on first open, answers ping, and reopens without migrating again', async () => {
      const first = await openStore(url())
      await first.ping()
      const created = await first.db.selectFrom('gate_meta').selectAll().execute()
      expect(created.map((r) => r.key)).toEqual(['created_at'])
      await first.close()

      const second = await openStore(url())
      const again = await second.db.selectFrom('gate_meta').selectAll().execute()
      expect(again).toEqual(created)
      const applied = await sql<{
        name: string
      }>`select name from kysely_migration order by name`.execute(second.db)
      expect(applied.rows.map((r) => r.name)).toEqual([
        '0001-init',
        '0002-resource-owners',
        '0003-access',
        '0004-sessions',
      ])
      await second.close()
    })
  })
}

const dir = mkdtempSync(join(tmpdir(), 'mlflow-gate-store-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
storeContract('SQLite', () => `sqlite:${join(dir, 'nested', 'gate.db')}`)

// A database per run on the machine's PostgreSQL, so parallel runs never collide.
let database: TempDatabase
beforeAll(async () => {
  database = await createTempDatabase()
})
afterAll(() => database.drop())
storeContract('PostgreSQL', () => database.url)
