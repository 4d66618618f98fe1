/** `mlflow-gate create-right add|list|remove`: the separate right to create experiments, registered models and prompts. */
import type { CreateKindColumn } from '../storage/database.js'
import {
  addCreateRight,
  listCreateRights,
  removeCreateRight,
  type CreateRightRow,
} from '../storage/access/grants.js'
import { STORE_OPTIONS, STORE_OPTIONS_HELP, withStore } from './access-store.js'
import type { Command, CommandGroup } from './index.js'
import { printJson, table, usageError } from './output.js'
import { removeByIds } from './remove-by-id.js'

/** The flag for each kind of thing a create right names. */
const KIND_FLAGS: Record<string, CreateKindColumn> = {
  experiment: 'experiment',
  'registered-model': 'registered-model',
  prompt: 'prompt',
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : [])

function print(rights: readonly CreateRightRow[], json: boolean): void {
  if (json) return printJson({ create_rights: rights })
  process.stdout.write(
    table(
      ['id', 'to', 'kind', 'pattern', 'origin', 'source'],
      rights.map((r) => [String(r.id), r.to, r.kind, r.pattern, r.origin, r.source ?? '']),
    ),
  )
}

const add: Command = {
  summary: 'let a user, a group, everyone signed in or anonymous create things by name',
  usage:
    'Usage: mlflow-gate create-right add --to WHO (--experiment PATTERN | --registered-model PATTERN |\n' +
    '                                    --prompt PATTERN)... [options]',
  help: `Adds one create right per pattern, all in one transaction. Grants never imply the right to
create: READ, USE, EDIT and MANAGE are on things that exist. Whoever creates an experiment or a
registered model through the gateway then holds MANAGE on it. Patterns are exact names or globs
(* any run of characters, ? one character).

Options:
      --to WHO                    user:NAME, group:NAME, authenticated or anonymous
      --experiment PATTERN        experiments by name (repeatable)
      --registered-model PATTERN  registered models by name (repeatable)
      --prompt PATTERN            prompts by name (repeatable)
${STORE_OPTIONS_HELP}

Example:
  mlflow-gate create-right add --to group:ml-team --experiment 'team-a/*' -c gate.yaml
`,
  options: {
    ...STORE_OPTIONS,
    to: { type: 'string' },
    experiment: { type: 'string', multiple: true },
    'registered-model': { type: 'string', multiple: true },
    prompt: { type: 'string', multiple: true },
  },
  async run(values, positionals) {
    const to = values.to as string | undefined
    const rows = Object.entries(KIND_FLAGS).flatMap(([flag, kind]) =>
      strings(values[flag]).map((pattern) => ({ kind, pattern })),
    )
    const problem =
      positionals.length > 0
        ? `unexpected argument '${positionals[0]}'`
        : !to
          ? '--to is required'
          : rows.length === 0
            ? 'name at least one --experiment, --registered-model or --prompt'
            : undefined
    if (problem) return usageError('create-right add', problem, this.usage)
    return withStore('create-right add', values, async ({ access, json }) => {
      const ids = await access.change(async (trx) => {
        const out: number[] = []
        for (const r of rows) out.push(await addCreateRight(trx, { to: to!, ...r, origin: 'api' }))
        return out
      })
      print(
        (await listCreateRights(access.db)).filter((r) => ids.includes(r.id)),
        json,
      )
      return 0
    })
  },
}

const list: Command = {
  summary: 'list create rights',
  usage: 'Usage: mlflow-gate create-right list [options]',
  help: `Lists create rights with their id (for 'create-right remove'), whom they are for, what they
let them create, and where they came from: config (with the place in the file), api or import.

Options:
${STORE_OPTIONS_HELP}

Example:
  mlflow-gate create-right list --json -c mlflow-gate.yaml
`,
  options: STORE_OPTIONS,
  async run(values) {
    return withStore('create-right list', values, async ({ access, json }) => {
      print(await listCreateRights(access.db), json)
      return 0
    })
  },
}

const remove: Command = {
  summary: 'remove create rights by id',
  usage: 'Usage: mlflow-gate create-right remove ID... [options]',
  help: `Removes the create rights with these ids (see 'create-right list'), all or none. What was
created with them stays, and so does its creator's MANAGE. A right from the config file comes back
at the next apply or start: remove it from the file instead.

Options:
${STORE_OPTIONS_HELP}

Example:
  mlflow-gate create-right remove 4 -c mlflow-gate.yaml
`,
  options: STORE_OPTIONS,
  async run(values, positionals) {
    if (positionals.length === 0 || positionals.some((p) => !/^\d+$/.test(p)))
      return usageError('create-right remove', 'give one or more numeric ids', this.usage)
    const ids = positionals.map(Number)
    return withStore('create-right remove', values, ({ access, json }) =>
      removeByIds(access, ids, json, {
        noun: 'create right',
        verb: 'Removed',
        jsonKey: 'removed',
        list: listCreateRights,
        remove: removeCreateRight,
      }),
    )
  },
}

export const createRightGroup: CommandGroup = {
  summary: 'add, list and remove create rights (who may create which experiments, models, prompts)',
  commands: { add, list, remove },
}
