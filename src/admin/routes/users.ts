/** Users: list, read, create (with a password or for tokens only), update admin/disabled/password, delete. */
import { z } from 'zod'
import { hashPassword } from '../../identify/password.js'
import {
  createUser,
  deleteUser,
  getUser,
  listUsers,
  updateUser,
} from '../../storage/access/users.js'
import { change, found, notConfigOwned, notSelf } from '../change.js'
import { userJson } from '../json.js'
import { route } from '../route.js'
import * as s from '../schemas.js'

const params = z.strictObject({ name: s.name })
const where = (name: string) => `access.users, user '${name}'`

export const userRoutes = [
  route({
    id: 'listUsers',
    method: 'GET',
    path: '/users',
    tag: 'users',
    summary: 'List users',
    access: 'admin',
    response: z.strictObject({ users: z.array(s.user) }),
    handler: async ({ deps }) => ({ users: (await listUsers(deps.access.db)).map(userJson) }),
  }),
  route({
    id: 'getUser',
    method: 'GET',
    path: '/users/:name',
    tag: 'users',
    summary: 'Get a user',
    access: 'admin',
    params,
    response: s.user,
    errors: [404],
    handler: async ({ params, deps }) =>
      userJson(found(await getUser(deps.access.db, params.name), `user named '${params.name}'`)),
  }),
  route({
    id: 'createUser',
    method: 'POST',
    path: '/users',
    tag: 'users',
    summary: 'Create a user',
    description:
      'Without a password the user can only use API tokens (an admin creates the first one).',
    access: 'admin',
    body: z.strictObject({
      name: s.name,
      password: s.newPassword.nullable().optional(),
      admin: z.boolean().default(false),
      disabled: z.boolean().default(false),
    }),
    status: 201,
    response: s.user,
    errors: [409],
    handler: async ({ body, deps }) => {
      const passwordHash = body.password ? await hashPassword(body.password) : null
      await change(deps, (trx) =>
        createUser(trx, {
          name: body.name,
          passwordHash,
          admin: body.admin,
          disabled: body.disabled,
          origin: 'api',
        }),
      )
      return userJson((await getUser(deps.access.db, body.name))!)
    },
  }),
  route({
    id: 'updateUser',
    method: 'PATCH',
    path: '/users/:name',
    tag: 'users',
    summary: 'Change a user: admin, disabled, password',
    description:
      'Disabling a user or changing their password takes effect on their next request. ' +
      '`password: null` removes the password (API tokens only). Users from the config file may ' +
      "be disabled and given a new password, but their admin flag is the file's.",
    access: 'admin',
    params,
    body: z
      .strictObject({
        admin: z.boolean().optional(),
        disabled: z.boolean().optional(),
        password: s.newPassword.nullable().optional(),
      })
      .refine((b) => Object.keys(b).length > 0, 'give at least one of admin, disabled, password'),
    response: s.user,
    errors: [404, 409],
    handler: async ({ params, body, caller, deps }) => {
      if (body.admin === false) notSelf(caller, params.name, 'remove the admin right from')
      if (body.disabled === true) notSelf(caller, params.name, 'disable')
      const passwordHash =
        body.password === undefined || body.password === null
          ? body.password
          : await hashPassword(body.password)
      await change(deps, async (trx) => {
        const user = found(await getUser(trx, params.name), `user named '${params.name}'`)
        if (body.admin !== undefined && body.admin !== user.admin)
          notConfigOwned(user.origin, `the admin flag of '${user.name}'`, where(user.name))
        await updateUser(trx, params.name, {
          ...(body.admin !== undefined && { admin: body.admin }),
          ...(body.disabled !== undefined && { disabled: body.disabled }),
          ...(passwordHash !== undefined && { passwordHash }),
        })
      })
      return userJson((await getUser(deps.access.db, params.name))!)
    },
  }),
  route({
    id: 'deleteUser',
    method: 'DELETE',
    path: '/users/:name',
    tag: 'users',
    summary: 'Delete a user with their grants, create rights, memberships and tokens',
    access: 'admin',
    params,
    status: 204,
    errors: [404, 409],
    handler: async ({ params, caller, deps }) => {
      notSelf(caller, params.name, 'delete')
      await change(deps, async (trx) => {
        const user = found(await getUser(trx, params.name), `user named '${params.name}'`)
        notConfigOwned(user.origin, `user '${user.name}'`, where(user.name))
        await deleteUser(trx, params.name)
      })
    },
  }),
]
