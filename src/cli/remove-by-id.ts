/** Removes grants or create rights by id for the CLI, all or none, warning about those the config file will bring back. */
import type { Kysely } from 'kysely'
import type { AccessStore } from '../storage/access/index.js'
import type { Database } from '../storage/database.js'
import { printJson } from './output.js'

type Stored = { readonly id: number; readonly origin: string; readonly source: string | null }

export type Removal<R extends Stored> = {
  /** 'grant' or 'create right', for the messages. */
  readonly noun: string
  readonly verb: 'Revoked' | 'Removed'
  /** The key of the `--json` answer. */
  readonly jsonKey: string
  readonly list: (db: Kysely<Database>) => Promise<R[]>
  readonly remove: (db: Kysely<Database>, id: number) => Promise<void>
}

export async function removeByIds<R extends Stored>(
  access: AccessStore,
  ids: readonly number[],
  json: boolean,
  how: Removal<R>,
): Promise<number> {
  const fromFile = (await how.list(access.db)).filter(
    (r) => ids.includes(r.id) && r.origin === 'config',
  )
  await access.change(async (trx) => {
    for (const id of ids) await how.remove(trx, id)
  })
  for (const r of fromFile)
    process.stderr.write(
      `mlflow-gate: note: ${how.noun} ${r.id} is declared in the config file (${r.source}); 'apply' and the next start will add it again\n`,
    )
  if (json) printJson({ [how.jsonKey]: ids })
  else
    process.stdout.write(
      `${how.verb} ${ids.length === 1 ? how.noun : `${how.noun}s`} ${ids.join(', ')}.\n`,
    )
  return 0
}
