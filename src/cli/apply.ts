/** `mlflow-gate apply`: makes the store match the config file's access section, in one transaction. */
import { desiredAccess } from '../config/desired.js'
import { applyDesired } from '../storage/access/apply.js'
import { describeChange } from '../storage/access/plan.js'
import { withStore } from './access-store.js'
import type { Command } from './index.js'
import { failure, printJson } from './output.js'
import { confirm } from './password-input.js'
import { formatPlan, planFor, requireConfig } from './plan.js'

export const applyCommand: Command = {
  summary: 'make the store match the config file (users, groups, grants, create rights)',
  usage: 'Usage: mlflow-gate apply --config FILE [--storage URL] [--prune] [--yes] [--json]',
  help: `Prints the plan (as 'mlflow-gate plan'), asks for confirmation, and applies it in one
transaction: every change or none. A running gateway on the same store picks the result up within
storage.refresh_ms. Objects made through the API, the CLI or an import are left alone unless
--prune is given. 'serve' does the same at start when access.apply_on_start is true.

Exit code: 0 applied or nothing to do, 1 refused or failed (nothing changed), 2 usage mistake.

Options:
  -c, --config FILE  the YAML config (required)
      --storage URL  apply to this store instead of the config's storage.url
      --prune        also remove what the file does not declare but the API, CLI or import made
  -y, --yes          do not ask (needed when standard input is not a terminal)
      --json         print {"applied": [...]} (implies nothing is asked: give --yes)

Example:
  mlflow-gate apply --config mlflow-gate.yaml
  mlflow-gate apply -c mlflow-gate.yaml --prune --yes
`,
  options: {
    config: { type: 'string', short: 'c' },
    storage: { type: 'string' },
    prune: { type: 'boolean' },
    yes: { type: 'boolean', short: 'y' },
    json: { type: 'boolean' },
  },
  async run(values) {
    const config = requireConfig('apply', values, this.usage)
    if (typeof config === 'number') return config
    const prune = values.prune === true
    return withStore(
      'apply',
      values,
      async ({ access, json }) => {
        const plan = await planFor(access, config, prune)
        if (!json) process.stdout.write(formatPlan(plan, values.config as string))
        if (plan.changes.length === 0) {
          if (json) printJson({ applied: [] })
          return 0
        }
        if (values.yes !== true) {
          if (json || !process.stdin.isTTY)
            return failure('apply', 'not applied: standard input is not a terminal, so add --yes')
          if (
            !(await confirm(
              plan.changes.length === 1
                ? 'Apply this change?'
                : `Apply these ${plan.changes.length} changes?`,
            ))
          )
            return failure('apply', 'not applied')
        }
        let applied
        try {
          applied = await applyDesired(access, desiredAccess(config.access), { prune })
        } catch (err) {
          return failure('apply', `failed, nothing was changed: ${(err as Error).message}`)
        }
        if (json) printJson({ applied })
        else
          process.stdout.write(
            appliedText(applied.map(describeChange), plan.changes.map(describeChange)),
          )
        return 0
      },
      config,
    )
  },
}

/** The store may have moved between the plan shown and the transaction: say so when it did. */
function appliedText(applied: string[], shown: string[]): string {
  const same = applied.length === shown.length && applied.every((l, i) => l === shown[i])
  const n = `${applied.length} change${applied.length === 1 ? '' : 's'}`
  if (same) return `Applied ${n}.\n`
  return `The store changed since the plan was shown; applied ${n} instead:\n${applied.map((l) => `${l}\n`).join('')}`
}
