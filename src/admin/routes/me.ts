/** The caller's own account: who am I, and changing one's own password (the current one is required). */
import { z } from 'zod'
import { hashPassword, verifyPassword } from '../../identify/password.js'
import { GatewayError } from '../../server/errors.js'
import { passwordHashOf, updateUser } from '../../storage/access/users.js'
import { change } from '../change.js'
import { route } from '../route.js'
import * as s from '../schemas.js'

export const meRoutes = [
  route({
    id: 'whoAmI',
    method: 'GET',
    path: '/me',
    tag: 'me',
    summary: 'Who you are signed in as, and how',
    access: 'self',
    response: z.strictObject({
      name: z.string(),
      admin: z.boolean(),
      groups: z.array(z.string()),
      via: z
        .enum(['basic', 'token', 'session'])
        .describe('basic: a password; token: an API token (Bearer or as the Basic password).'),
      read_only: z.boolean().describe('True when signed in with a read-only API token.'),
      token_id: z.string().nullable().describe('The API token used, if any.'),
    }),
    handler: async ({ caller }) => ({
      name: caller.name,
      admin: caller.admin,
      groups: [...caller.groups],
      via: caller.via,
      read_only: caller.readOnly === true,
      token_id: caller.tokenId ?? null,
    }),
  }),
  route({
    id: 'changeOwnPassword',
    method: 'POST',
    path: '/me/password',
    tag: 'me',
    summary: 'Change your own password',
    description:
      'The old password stops working at once; API tokens keep working (revoke them separately).',
    access: 'self',
    body: z.strictObject({
      current_password: z.string().min(1),
      new_password: s.newPassword,
    }),
    status: 204,
    errors: [409],
    handler: async ({ caller, body, deps }) => {
      const stored = await passwordHashOf(deps.access.db, caller.name)
      if (!stored?.hash)
        throw new GatewayError(
          'GW_CONFLICT',
          'you have no password to change; an admin can set one',
        )
      if (!(await verifyPassword(body.current_password, stored.hash)))
        throw new GatewayError('GW_PERMISSION_DENIED', 'the current password is wrong')
      const passwordHash = await hashPassword(body.new_password)
      await change(deps, (trx) => updateUser(trx, caller.name, { passwordHash }))
    },
  }),
]
