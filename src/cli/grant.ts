/** `mlflow-gate grant add|list|revoke`: grants in the store (one pattern per row), written with origin `api`. */
import type { GrantResource, PermissionColumn } from '../storage/database.js'
import {
  addGrant,
  listGrants,
  PERMISSION_NAMES,
  removeGrant,
  type GrantFilter,
  type GrantRow,
} from '../storage/access/grants.js'
import { STORE_OPTIONS, STORE_OPTIONS_HELP, withStore } from './access-store.js'
import type { Command, CommandGroup } from './index.js'
import { printJson, table, usageError } from './output.js'
import { removeByIds } from './remove-by-id.js'

/** The flag for each kind of resource a grant can name. */
const RESOURCE_FLAGS: Record<string, GrantResource> = {
  experiment: 'experiment',
  'experiment-id': 'experiment-id',
  'registered-model': 'registered-model',
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : [])

export function grantTable(grants: readonly GrantRow[]): string {
  return table(
    ['id', 'to', 'permission', 'resource', 'pattern', 'origin', 'source'],
    grants.map((g) => [
      String(g.id),
      g.to,
      `${g.deny ? 'deny ' : ''}${g.permission}`,
      g.resource,
      g.pattern,
      g.origin,
      g.source ?? '',
    ]),
  )
}

const add: Command = {
  summary: 'give a user, a group, everyone signed in or anonymous a permission',
  usage:
    'Usage: mlflow-gate grant add --to WHO --permission P (--experiment PATTERN | --experiment-id ID |\n' +
    '                             --registered-model PATTERN)... [--deny] [options]',
  help: `Adds one grant per pattern, all in one transaction. Permissions climb READ < USE < EDIT <
MANAGE, each including the ones before it; only MANAGE deletes. A --deny grant takes the
permission (and those above it) away whatever allows it elsewhere: --deny --permission READ
shuts someone out entirely. Patterns are exact names or globs (* any run of characters, ?
one character). Registered-model grants cover the model's versions, aliases and prompts.

Options:
      --to WHO                   user:NAME, group:NAME, authenticated or anonymous
      --permission P             READ, USE, EDIT or MANAGE
      --experiment PATTERN       experiments by name (repeatable)
      --experiment-id ID         experiments by numeric id (repeatable)
      --registered-model PATTERN registered models and prompts by name (repeatable)
      --deny                     a deny grant
${STORE_OPTIONS_HELP}

Example:
  mlflow-gate grant add --to user:alice --permission EDIT --experiment 'team-a/*' -c gate.yaml
  mlflow-gate grant add --to group:contractors --deny --permission READ --registered-model 'prod-*'
`,
  options: {
    ...STORE_OPTIONS,
    to: { type: 'string' },
    permission: { type: 'string' },
    deny: { type: 'boolean' },
    experiment: { type: 'string', multiple: true },
    'experiment-id': { type: 'string', multiple: true },
    'registered-model': { type: 'string', multiple: true },
  },
  async run(values, positionals) {
    const to = values.to as string | undefined
    const permission = (values.permission as string | undefined)?.toUpperCase()
    const rows = Object.entries(RESOURCE_FLAGS).flatMap(([flag, resource]) =>
      strings(values[flag]).map((pattern) => ({ resource, pattern })),
    )
    const problem =
      positionals.length > 0
        ? `unexpected argument '${positionals[0]}'`
        : !to
          ? '--to is required'
          : !permission || !PERMISSION_NAMES.includes(permission as PermissionColumn)
            ? `--permission must be one of ${PERMISSION_NAMES.join(', ')}`
            : rows.length === 0
              ? 'name at least one --experiment, --experiment-id or --registered-model'
              : undefined
    if (problem) return usageError('grant add', problem, this.usage)
    return withStore('grant add', values, async ({ access, json }) => {
      const ids = await access.change(async (trx) => {
        const out: number[] = []
        for (const r of rows)
          out.push(
            await addGrant(trx, {
              to: to!,
              ...r,
              permission: permission as PermissionColumn,
              deny: values.deny === true,
              origin: 'api',
            }),
          )
        return out
      })
      const created = (await listGrants(access.db)).filter((g) => ids.includes(g.id))
      if (json) printJson({ grants: created })
      else process.stdout.write(grantTable(created))
      return 0
    })
  },
}

const list: Command = {
  summary: 'list grants',
  usage:
    'Usage: mlflow-gate grant list [--to WHO] [--resource experiment|experiment-id|registered-model] [options]',
  help: `Lists grants with their id (for 'grant revoke'), whom they are for, the permission (deny
grants show as 'deny READ'), what they name, and where they came from: config (with the place in
the file), api (the admin API and the CLI) or import.

Options:
      --to WHO           only grants to user:NAME, group:NAME, authenticated or anonymous
      --resource KIND    only grants naming experiment, experiment-id or registered-model
${STORE_OPTIONS_HELP}

Example:
  mlflow-gate grant list --to user:alice -c mlflow-gate.yaml
`,
  options: { ...STORE_OPTIONS, to: { type: 'string' }, resource: { type: 'string' } },
  async run(values) {
    const resource = values.resource as string | undefined
    if (
      resource !== undefined &&
      !Object.values(RESOURCE_FLAGS).includes(resource as GrantResource)
    )
      return usageError(
        'grant list',
        `--resource must be one of ${Object.keys(RESOURCE_FLAGS).join(', ')}`,
        this.usage,
      )
    const filter: GrantFilter = {
      ...(values.to !== undefined && { to: values.to as string }),
      ...(resource !== undefined && { resource: resource as GrantResource }),
    }
    return withStore('grant list', values, async ({ access, json }) => {
      const grants = await listGrants(access.db, filter)
      if (json) printJson({ grants })
      else process.stdout.write(grantTable(grants))
      return 0
    })
  },
}

const revoke: Command = {
  summary: 'remove grants by id',
  usage: 'Usage: mlflow-gate grant revoke ID... [options]',
  help: `Removes the grants with these ids (see 'grant list'), all or none. A grant from the config
file comes back at the next apply or start: remove it from the file instead.

Options:
${STORE_OPTIONS_HELP}

Example:
  mlflow-gate grant revoke 12 13 -c mlflow-gate.yaml
`,
  options: STORE_OPTIONS,
  async run(values, positionals) {
    if (positionals.length === 0 || positionals.some((p) => !/^\d+$/.test(p)))
      return usageError('grant revoke', 'give one or more numeric grant ids', this.usage)
    const ids = positionals.map(Number)
    return withStore('grant revoke', values, ({ access, json }) =>
      removeByIds(access, ids, json, {
        noun: 'grant',
        verb: 'Revoked',
        jsonKey: 'revoked',
        list: (db) => listGrants(db),
        remove: removeGrant,
      }),
    )
  },
}

export const grantGroup: CommandGroup = {
  summary: 'add, list and revoke grants (who may do what on which experiments and models)',
  commands: { add, list, revoke },
}
