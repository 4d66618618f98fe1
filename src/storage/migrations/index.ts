/** The ordered list of schema migrations, shipped in code so a bundled install needs no SQL files. */
import type { Migration, MigrationProvider } from 'kysely'
import * as m0001 from './0001-init.js'
import * as m0002 from './0002-resource-owners.js'
import * as m0003 from './0003-access.js'
import * as m0004 from './0004-sessions.js'

const MIGRATIONS: Record<string, Migration> = {
  '0001-init': m0001,
  '0002-resource-owners': m0002,
  '0003-access': m0003,
  '0004-sessions': m0004,
}

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
}
