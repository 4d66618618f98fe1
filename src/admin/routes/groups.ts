/** Groups and their members. */
import { z } from 'zod'
import {
  addMember,
  createGroup,
  deleteGroup,
  listGroups,
  memberOrigin,
  removeMember,
  type GroupRow,
} from '../../storage/access/groups.js'
import type { Kysely } from 'kysely'
import type { Database } from '../../storage/database.js'
import { change, found, notConfigOwned } from '../change.js'
import { groupJson } from '../json.js'
import { route } from '../route.js'
import * as s from '../schemas.js'

const params = z.strictObject({ name: s.name })

async function getGroup(db: Kysely<Database>, name: string): Promise<GroupRow> {
  return found(
    (await listGroups(db)).find((g) => g.name === name),
    `group named '${name}'`,
  )
}

export const groupRoutes = [
  route({
    id: 'listGroups',
    method: 'GET',
    path: '/groups',
    tag: 'groups',
    summary: 'List groups with their members',
    access: 'admin',
    response: z.strictObject({ groups: z.array(s.group) }),
    handler: async ({ deps }) => ({ groups: (await listGroups(deps.access.db)).map(groupJson) }),
  }),
  route({
    id: 'getGroup',
    method: 'GET',
    path: '/groups/:name',
    tag: 'groups',
    summary: 'Get a group',
    access: 'admin',
    params,
    response: s.group,
    errors: [404],
    handler: async ({ params, deps }) => groupJson(await getGroup(deps.access.db, params.name)),
  }),
  route({
    id: 'createGroup',
    method: 'POST',
    path: '/groups',
    tag: 'groups',
    summary: 'Create a group',
    access: 'admin',
    body: z.strictObject({ name: s.name }),
    status: 201,
    response: s.group,
    errors: [409],
    handler: async ({ body, deps }) => {
      await change(deps, (trx) => createGroup(trx, { name: body.name, origin: 'api' }))
      return groupJson(await getGroup(deps.access.db, body.name))
    },
  }),
  route({
    id: 'deleteGroup',
    method: 'DELETE',
    path: '/groups/:name',
    tag: 'groups',
    summary: 'Delete a group with its grants, create rights and memberships',
    access: 'admin',
    params,
    status: 204,
    errors: [404, 409],
    handler: async ({ params, deps }) => {
      await change(deps, async (trx) => {
        const group = await getGroup(trx, params.name)
        notConfigOwned(group.origin, `group '${group.name}'`, 'access.users[].groups')
        await deleteGroup(trx, params.name)
      })
    },
  }),
  route({
    id: 'addGroupMember',
    method: 'POST',
    path: '/groups/:name/members',
    tag: 'groups',
    summary: 'Add a member (adding a member again changes nothing)',
    access: 'admin',
    params,
    body: z.strictObject({ user: s.name }),
    response: s.group,
    errors: [404],
    handler: async ({ params, body, deps }) => {
      await change(deps, (trx) => addMember(trx, params.name, body.user, 'api'))
      return groupJson(await getGroup(deps.access.db, params.name))
    },
  }),
  route({
    id: 'removeGroupMember',
    method: 'DELETE',
    path: '/groups/:name/members/:user',
    tag: 'groups',
    summary: 'Remove a member',
    access: 'admin',
    params: z.strictObject({ name: s.name, user: s.name }),
    status: 204,
    errors: [404, 409],
    handler: async ({ params, deps }) => {
      await change(deps, async (trx) => {
        notConfigOwned(
          await memberOrigin(trx, params.name, params.user),
          `the membership of '${params.user}' in '${params.name}'`,
          `access.users, user '${params.user}', groups`,
        )
        await removeMember(trx, params.name, params.user)
      })
    },
  }),
]
