/** `mlflow-gate group add|delete|list|member add|member remove`: groups and their members, origin `api`. */
import {
  addMember,
  createGroup,
  deleteGroup,
  listGroups,
  removeMember,
} from '../storage/access/groups.js'
import { STORE_OPTIONS, STORE_OPTIONS_HELP, withStore } from './access-store.js'
import type { Command, CommandGroup } from './index.js'
import { printJson, table, usageError } from './output.js'

const add: Command = {
  summary: 'create a group',
  usage: 'Usage: mlflow-gate group add NAME [options]',
  help: `Creates an empty group; grant to it with 'grant add --to group:NAME' and add members with
'group member add'. Group names compare exactly (case matters), as in grants.

Options:
${STORE_OPTIONS_HELP}

Example:
  mlflow-gate group add data-science -c mlflow-gate.yaml
`,
  options: STORE_OPTIONS,
  async run(values, positionals) {
    if (positionals.length !== 1) return usageError('group add', 'give one group name', this.usage)
    const name = positionals[0]!
    return withStore('group add', values, async ({ access, json }) => {
      await access.change((trx) => createGroup(trx, { name, origin: 'api' }))
      if (json) printJson({ group: { name, origin: 'api', members: [] } })
      else process.stdout.write(`Created group ${name}.\n`)
      return 0
    })
  },
}

const remove: Command = {
  summary: 'delete a group with its grants, create rights and memberships',
  usage: 'Usage: mlflow-gate group delete NAME [options]',
  help: `Deletes the group, the grants and create rights given to it, and its memberships. The
members themselves stay.

Options:
${STORE_OPTIONS_HELP}

Example:
  mlflow-gate group delete data-science -c mlflow-gate.yaml
`,
  options: STORE_OPTIONS,
  async run(values, positionals) {
    if (positionals.length !== 1)
      return usageError('group delete', 'give one group name', this.usage)
    const name = positionals[0]!
    return withStore('group delete', values, async ({ access, json }) => {
      await access.change((trx) => deleteGroup(trx, name))
      if (json) printJson({ deleted: name })
      else process.stdout.write(`Deleted group ${name}.\n`)
      return 0
    })
  },
}

const list: Command = {
  summary: 'list groups and their members',
  usage: 'Usage: mlflow-gate group list [options]',
  help: `Lists every group, where it came from and its members.

Options:
${STORE_OPTIONS_HELP}

Example:
  mlflow-gate group list -c mlflow-gate.yaml
`,
  options: STORE_OPTIONS,
  async run(values) {
    return withStore('group list', values, async ({ access, json }) => {
      const groups = await listGroups(access.db)
      if (json) printJson({ groups })
      else
        process.stdout.write(
          table(
            ['name', 'origin', 'members'],
            groups.map((g) => [g.name, g.origin, g.members.join(',')]),
          ),
        )
      return 0
    })
  },
}

function memberCommand(verb: 'add' | 'remove'): Command {
  const usage = `Usage: mlflow-gate group member ${verb} GROUP USER... [options]`
  return {
    summary: verb === 'add' ? 'add users to a group' : 'remove users from a group',
    usage,
    help: `${
      verb === 'add'
        ? 'Adds each user to the group (adding a member again changes nothing).'
        : 'Removes each user from the group; the users themselves stay.'
    } All of them or none: if one name is wrong nothing changes.

Options:
${STORE_OPTIONS_HELP}

Example:
  mlflow-gate group member ${verb} data-science alice bob -c mlflow-gate.yaml
`,
    options: STORE_OPTIONS,
    async run(values, positionals) {
      const [group, ...users] = positionals
      if (!group || users.length === 0)
        return usageError(`group member ${verb}`, 'give a group and at least one user', usage)
      return withStore(`group member ${verb}`, values, async ({ access, json }) => {
        await access.change(async (trx) => {
          for (const user of users) {
            if (verb === 'add') await addMember(trx, group, user, 'api')
            else await removeMember(trx, group, user)
          }
        })
        const after = (await listGroups(access.db)).find((g) => g.name === group)
        if (json) printJson({ group: after })
        else
          process.stdout.write(
            `${verb === 'add' ? 'Added' : 'Removed'} ${users.join(', ')} ${verb === 'add' ? 'to' : 'from'} ${group}; members now: ${after?.members.join(', ') || '(none)'}.\n`,
          )
        return 0
      })
    },
  }
}

export const groupGroup: CommandGroup = {
  summary: 'add, list and delete groups, and change their members',
  commands: {
    add,
    list,
    delete: remove,
    member: {
      summary: 'add users to a group or remove them',
      commands: { add: memberCommand('add'), remove: memberCommand('remove') },
    },
  },
}
