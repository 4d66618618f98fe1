/** `mlflow-gate user add|list|disable|enable|passwd|delete`: users in the store, written with origin `api`. */
import { hashNewPassword } from '../identify/new-password.js'
import {
  checkUserName,
  createUser,
  deleteUser,
  getUser,
  listUsers,
  updateUser,
} from '../storage/access/users.js'
import { STORE_OPTIONS, STORE_OPTIONS_HELP, withStore } from './access-store.js'
import type { Command, CommandGroup } from './index.js'
import { failure, printJson, table, usageError, yesNo } from './output.js'
import { readNewPassword } from './password-input.js'

const PASSWORD_HELP = `      --password-stdin   read the password from the first line of standard input (else it is
                         asked twice on the terminal, without echo; never give it as an argument).
                         At least 12 characters, as MLflow's own auth requires.`

/** One positional NAME, else a usage error. */
function oneName(command: string, positionals: string[], usage: string): string | number {
  return positionals.length === 1
    ? positionals[0]!
    : usageError(command, 'give one user name', usage)
}

/** Config-owned users come back at the next apply or start; say so instead of surprising people. */
async function configNote(origin: string | undefined, what: string): Promise<void> {
  if (origin === 'config')
    process.stderr.write(`mlflow-gate: note: this user is declared in the config file; ${what}\n`)
}

const add: Command = {
  summary: 'create a user (password asked, or from --password-stdin)',
  usage: 'Usage: mlflow-gate user add NAME [--admin] [--password-stdin | --no-password] [options]',
  help: `Creates a user who can sign in with HTTP Basic (the MLflow client's MLFLOW_TRACKING_USERNAME
and MLFLOW_TRACKING_PASSWORD). Names are unique ignoring case. The password is stored as a
Werkzeug scrypt hash, as MLflow's own auth does. The user is marked as made outside the config
file (origin api): 'apply' leaves it alone unless --prune.

Options:
      --admin            the user may do everything
${PASSWORD_HELP}
      --no-password      no password: the user signs in only with API tokens
${STORE_OPTIONS_HELP}

Example:
  mlflow-gate user add alice -c mlflow-gate.yaml
  printf '%s\\n' "$ALICE_PASSWORD" | mlflow-gate user add alice --password-stdin -c mlflow-gate.yaml
`,
  options: {
    ...STORE_OPTIONS,
    admin: { type: 'boolean' },
    'password-stdin': { type: 'boolean' },
    'no-password': { type: 'boolean' },
  },
  async run(values, positionals) {
    const name = oneName('user add', positionals, this.usage)
    if (typeof name === 'number') return name
    if (values['no-password'] && values['password-stdin'])
      return usageError(
        'user add',
        '--no-password and --password-stdin exclude each other',
        this.usage,
      )
    return withStore('user add', values, async ({ access, json }) => {
      checkUserName(name)
      // Checked before asking, so nobody types a password twice for a name that is taken.
      if (await getUser(access.db, name))
        return failure('user add', `user '${name}' already exists`)
      let hash: string | null = null
      if (!values['no-password']) {
        const password = await readNewPassword('user add', values['password-stdin'] === true)
        if (password === undefined) return 1
        hash = await hashNewPassword(password)
      }
      await access.change((trx) =>
        createUser(trx, { name, passwordHash: hash, admin: values.admin === true, origin: 'api' }),
      )
      const user = await getUser(access.db, name)
      if (json) printJson({ user })
      else process.stdout.write(`Created user ${name}${values.admin ? ' (admin)' : ''}.\n`)
      return 0
    })
  },
}

const list: Command = {
  summary: 'list users',
  usage: 'Usage: mlflow-gate user list [options]',
  help: `Lists every user with their admin and disabled flags, whether they have a password, their
groups and where they came from (config, api for the admin API and the CLI, import).

Options:
${STORE_OPTIONS_HELP}

Example:
  mlflow-gate user list -c mlflow-gate.yaml
  mlflow-gate user list -c mlflow-gate.yaml --json | jq -r '.users[].name'
`,
  options: STORE_OPTIONS,
  async run(values) {
    return withStore('user list', values, async ({ access, json }) => {
      const users = await listUsers(access.db)
      if (json) printJson({ users })
      else
        process.stdout.write(
          table(
            ['name', 'admin', 'disabled', 'password', 'origin', 'groups'],
            users.map((u) => [
              u.name,
              yesNo(u.admin),
              yesNo(u.disabled),
              yesNo(u.hasPassword),
              u.origin,
              u.groups.join(','),
            ]),
          ),
        )
      return 0
    })
  },
}

function flagCommand(verb: 'disable' | 'enable'): Command {
  const disabled = verb === 'disable'
  return {
    summary: disabled
      ? 'stop a user from signing in (passwords and tokens), keeping their grants'
      : 'let a disabled user sign in again',
    usage: `Usage: mlflow-gate user ${verb} NAME [options]`,
    help: `${
      disabled
        ? "Refuses the user's password and API tokens from now on (a running gateway within\nstorage.refresh_ms) while keeping their grants and tokens, so enabling them restores everything."
        : 'Lets a disabled user sign in again with their password and tokens.'
    }

Options:
${STORE_OPTIONS_HELP}

Example:
  mlflow-gate user ${verb} alice -c mlflow-gate.yaml
`,
    options: STORE_OPTIONS,
    async run(values, positionals) {
      const name = oneName(`user ${verb}`, positionals, this.usage)
      if (typeof name === 'number') return name
      return withStore(`user ${verb}`, values, async ({ access, json }) => {
        await access.change((trx) => updateUser(trx, name, { disabled }))
        if (json) printJson({ user: await getUser(access.db, name) })
        else process.stdout.write(`${disabled ? 'Disabled' : 'Enabled'} user ${name}.\n`)
        return 0
      })
    },
  }
}

const passwd: Command = {
  summary: "set a user's password",
  usage: 'Usage: mlflow-gate user passwd NAME [--password-stdin] [options]',
  help: `Sets a new password (stored as a Werkzeug scrypt hash). For a user declared in the config
file the new password is kept until the file's password_hash itself changes.

Options:
${PASSWORD_HELP}
${STORE_OPTIONS_HELP}

Example:
  mlflow-gate user passwd alice -c mlflow-gate.yaml
`,
  options: { ...STORE_OPTIONS, 'password-stdin': { type: 'boolean' } },
  async run(values, positionals) {
    const name = oneName('user passwd', positionals, this.usage)
    if (typeof name === 'number') return name
    return withStore('user passwd', values, async ({ access, json }) => {
      // Checked before asking, so nobody types a password twice for a typo.
      if (!(await getUser(access.db, name)))
        return failure('user passwd', `no user named '${name}'`)
      const password = await readNewPassword('user passwd', values['password-stdin'] === true)
      if (password === undefined) return 1
      const passwordHash = await hashNewPassword(password)
      await access.change((trx) => updateUser(trx, name, { passwordHash }))
      if (json) printJson({ user: await getUser(access.db, name) })
      else process.stdout.write(`Changed the password of ${name}.\n`)
      return 0
    })
  },
}

const remove: Command = {
  summary: 'delete a user with their grants, create rights, memberships and tokens',
  usage: 'Usage: mlflow-gate user delete NAME [options]',
  help: `Deletes the user and everything that belongs to them: grants, create rights, group
memberships and API tokens. To stop someone signing in but keep all that, use 'user disable'.

Options:
${STORE_OPTIONS_HELP}

Example:
  mlflow-gate user delete alice -c mlflow-gate.yaml
`,
  options: STORE_OPTIONS,
  async run(values, positionals) {
    const name = oneName('user delete', positionals, this.usage)
    if (typeof name === 'number') return name
    return withStore('user delete', values, async ({ access, json }) => {
      const before = await getUser(access.db, name)
      await access.change((trx) => deleteUser(trx, name))
      await configNote(before?.origin, "'apply' and the next start will create it again")
      if (json) printJson({ deleted: name })
      else process.stdout.write(`Deleted user ${name}.\n`)
      return 0
    })
  },
}

export const userGroup: CommandGroup = {
  summary: 'add, list, disable, enable, delete users and set their passwords',
  commands: {
    add,
    list,
    disable: flagCommand('disable'),
    enable: flagCommand('enable'),
    passwd,
    delete: remove,
  },
}
