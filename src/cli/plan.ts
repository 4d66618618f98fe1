/** `mlflow-gate plan`: what `apply` would change in the store to match the config file's access section. */
import { desiredAccess } from '../config/desired.js'
import type { Config } from '../config/schema.js'
import type { AccessStore } from '../storage/access/index.js'
import { describeChange, planChanges, type Change } from '../storage/access/plan.js'
import { withStore } from './access-store.js'
import { configOrReport } from './config-or-report.js'
import type { Command, OptionValues } from './index.js'
import { printJson, usageError } from './output.js'

export const planCommand: Command = {
  summary: 'show what apply would change in the store to match the config file',
  usage: 'Usage: mlflow-gate plan --config FILE [--storage URL] [--prune] [--json]',
  help: `Compares the users, groups (from users[].groups), grants and create rights the file declares
with the store, and prints one line per change: + add, ~ change, - remove. Objects made through
the API, the CLI or an import are kept, and counted, unless --prune is given. Nothing is written.

Exit code: 0 nothing to change, 2 changes pending (as 'terraform plan -detailed-exitcode', handy
in CI), 1 the config or the store could not be read. A usage mistake also exits 2, with the
usage on stderr and nothing on stdout.

Options:
  -c, --config FILE  the YAML config (required: its access section is what is compared)
      --storage URL  compare with this store instead of the config's storage.url
      --prune        also plan to remove what the file does not declare but the API, the CLI
                     or an import made
      --json         print {"changes": [...], "summary": {...}, "kept": N}

Example:
  mlflow-gate plan --config mlflow-gate.yaml
  mlflow-gate plan -c mlflow-gate.yaml --prune || [ $? -eq 2 ] && echo 'changes pending'
`,
  options: {
    config: { type: 'string', short: 'c' },
    storage: { type: 'string' },
    prune: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run(values) {
    const config = requireConfig('plan', values, this.usage)
    if (typeof config === 'number') return config
    return withStore(
      'plan',
      values,
      async ({ access, json }) => {
        const plan = await planFor(access, config, values.prune === true)
        if (json) printJson(plan)
        else process.stdout.write(formatPlan(plan, values.config as string))
        return plan.changes.length === 0 ? 0 : 2
      },
      config,
    )
  },
}

export type Plan = {
  readonly changes: Change[]
  readonly summary: { add: number; change: number; remove: number }
  /** Objects made outside the file that stay (what --prune would also remove). */
  readonly kept: number
}

/** The config, or an exit code after saying why there is none. */
export function requireConfig(
  command: string,
  values: OptionValues,
  usage: string,
): Config | number {
  if (values.config === undefined)
    return usageError(
      command,
      '--config is required: the access section it applies lives there',
      usage,
    )
  return configOrReport(values.config as string) ?? 1
}

export async function planFor(access: AccessStore, config: Config, prune: boolean): Promise<Plan> {
  const desired = desiredAccess(config.access)
  const changes = await planChanges(access.db, desired, { prune })
  const kept = prune
    ? 0
    : (await planChanges(access.db, desired, { prune: true })).length - changes.length
  const count = (prefix: string) =>
    changes.filter((c) => describeChange(c).startsWith(prefix)).length
  return { changes, summary: { add: count('+'), change: count('~'), remove: count('-') }, kept }
}

export function formatPlan(plan: Plan, file: string): string {
  const keptLine =
    plan.kept > 0
      ? `${plan.kept} object${plan.kept === 1 ? '' : 's'} made outside the file (API, CLI, import) kept; --prune would remove ${plan.kept === 1 ? 'it' : 'them'}.\n`
      : ''
  if (plan.changes.length === 0) return `No changes: the store matches ${file}.\n${keptLine}`
  const { add, change, remove } = plan.summary
  return (
    plan.changes.map((c) => `${describeChange(c)}\n`).join('') +
    `\nPlan: ${add} to add, ${change} to change, ${remove} to remove.\n${keptLine}`
  )
}
