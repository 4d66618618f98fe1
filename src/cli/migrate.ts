/** `mlflow-gate migrate`: brings the store's schema up to date and says which migrations ran. */
import { migrationProvider } from '../storage/migrations/index.js'
import { migrate } from '../storage/open.js'
import { openOrReport, redact, storageUrl } from './access-store.js'
import type { Command } from './index.js'
import { printJson } from './output.js'

export const migrateCommand: Command = {
  summary: "apply the store's pending schema migrations and list them",
  usage: 'Usage: mlflow-gate migrate [--config FILE | --storage URL] [--json]',
  help: `Applies every schema migration the store has not had yet, in order, and prints their names.
'serve' and every access command do the same when they open the store; run this on its own to
upgrade the database at a chosen moment (before rolling out a new version, say). A migration that
fails is named, and the error says why. Exit code: 0 up to date, 1 a migration failed.

Options:
  -c, --config FILE  the YAML config whose storage.url names the store
      --storage URL  the store itself instead: sqlite:PATH or postgres://...
      --json         print {"applied": [...], "total": N}

Example:
  mlflow-gate migrate --config mlflow-gate.yaml
  mlflow-gate migrate --storage postgres://gate@db/gate
`,
  options: {
    config: { type: 'string', short: 'c' },
    storage: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(values) {
    const url = storageUrl('migrate', values)
    if (url === undefined) return 1
    const store = await openOrReport('migrate', url, { migrate: false })
    if (!store) return 1
    try {
      const applied = await migrate(store.db)
      const total = Object.keys(await migrationProvider.getMigrations()).length
      if (values.json) printJson({ applied, total })
      else if (applied.length === 0)
        process.stdout.write(`${redact(url)}: up to date (${total} migrations)\n`)
      else
        process.stdout.write(
          `${redact(url)}: applied ${applied.length} of ${total} migrations\n` +
            applied.map((name) => `  ${name}\n`).join(''),
        )
      return 0
    } catch (err) {
      process.stderr.write(`mlflow-gate migrate: ${(err as Error).message}\n`)
      return 1
    } finally {
      await store.close()
    }
  },
}
