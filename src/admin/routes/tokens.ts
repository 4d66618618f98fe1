/** API tokens: admins list, create and revoke anyone's; every user lists, creates and revokes their own. */
import { z } from 'zod'
import { createToken, listTokens, revokeToken } from '../../storage/access/tokens.js'
import { getUser } from '../../storage/access/users.js'
import { change, found } from '../change.js'
import { tokenJson } from '../json.js'
import { route, type AdminDeps } from '../route.js'
import * as s from '../schemas.js'

const DAY_MS = 86_400_000

const newTokenBody = z
  .strictObject({
    name: z
      .string()
      .regex(/^[\w .@-]{1,100}$/, 'must be 1 to 100 letters, digits, spaces or . _ @ -')
      .describe("Unique among the user's tokens, e.g. 'ci' or 'laptop'."),
    read_only: z
      .boolean()
      .default(false)
      .describe('A read-only token only reads, whatever its user may do.'),
    expires_at: z.iso
      .datetime({ offset: true })
      .refine((v) => Date.parse(v) > Date.now(), 'must be in the future')
      .optional(),
    expires_in_days: z.number().int().min(1).max(36_500).optional(),
  })
  .refine((b) => b.expires_at === undefined || b.expires_in_days === undefined, {
    message: 'give expires_at or expires_in_days, not both',
    path: ['expires_in_days'],
  })
  .describe('Without expires_at or expires_in_days the token does not expire.')

type NewTokenBody = z.output<typeof newTokenBody>

async function create(deps: AdminDeps, user: string, body: NewTokenBody) {
  const expiresAt =
    body.expires_in_days !== undefined
      ? new Date(Date.now() + body.expires_in_days * DAY_MS).toISOString()
      : (body.expires_at ?? null)
  const { id, token } = await change(deps, (trx) =>
    createToken(trx, { user, name: body.name, readOnly: body.read_only, expiresAt }),
  )
  const row = (await listTokens(deps.access.db, user)).find((t) => t.id === id)!
  return { ...tokenJson(row), token }
}

/** Lists with `last_used_at` as of now: uses this process has not written yet are written first. */
async function list(deps: AdminDeps, user?: string) {
  await deps.tokenUsage.flush()
  return { tokens: (await listTokens(deps.access.db, user)).map((t) => tokenJson(t)) }
}

async function requireUser(deps: AdminDeps, name: string): Promise<string> {
  return found(await getUser(deps.access.db, name), `user named '${name}'`).name
}

const tokenList = z.strictObject({ tokens: z.array(s.token) })
const idParams = z.strictObject({ id: s.tokenId })
const nameParams = z.strictObject({ name: s.name })
const CREATE_NOTE =
  'The answer holds the token itself (`token`); it is shown only once and stored only as a hash.'

export const tokenRoutes = [
  route({
    id: 'listOwnTokens',
    method: 'GET',
    path: '/me/tokens',
    tag: 'tokens',
    summary: 'List your own API tokens',
    access: 'self',
    response: tokenList,
    handler: ({ caller, deps }) => list(deps, caller.name),
  }),
  route({
    id: 'createOwnToken',
    method: 'POST',
    path: '/me/tokens',
    tag: 'tokens',
    summary: 'Create an API token for yourself',
    description: CREATE_NOTE,
    access: 'self',
    body: newTokenBody,
    status: 201,
    response: s.newToken,
    errors: [409],
    handler: ({ caller, body, deps }) => create(deps, caller.name, body),
  }),
  route({
    id: 'revokeOwnToken',
    method: 'DELETE',
    path: '/me/tokens/:id',
    tag: 'tokens',
    summary: 'Revoke one of your API tokens',
    access: 'self',
    params: idParams,
    status: 204,
    errors: [404],
    handler: async ({ caller, params, deps }) => {
      await change(deps, (trx) => revokeToken(trx, params.id, caller.name))
    },
  }),
  route({
    id: 'listTokens',
    method: 'GET',
    path: '/tokens',
    tag: 'tokens',
    summary: "List every user's API tokens (or one user's)",
    access: 'admin',
    query: z.strictObject({ user: s.name.optional() }),
    response: tokenList,
    handler: ({ query, deps }) => list(deps, query.user),
  }),
  route({
    id: 'listUserTokens',
    method: 'GET',
    path: '/users/:name/tokens',
    tag: 'tokens',
    summary: "List a user's API tokens",
    access: 'admin',
    params: nameParams,
    response: tokenList,
    errors: [404],
    handler: async ({ params, deps }) => list(deps, await requireUser(deps, params.name)),
  }),
  route({
    id: 'createUserToken',
    method: 'POST',
    path: '/users/:name/tokens',
    tag: 'tokens',
    summary: 'Create an API token for a user',
    description: CREATE_NOTE,
    access: 'admin',
    params: nameParams,
    body: newTokenBody,
    status: 201,
    response: s.newToken,
    errors: [404, 409],
    handler: async ({ params, body, deps }) =>
      create(deps, await requireUser(deps, params.name), body),
  }),
  route({
    id: 'revokeToken',
    method: 'DELETE',
    path: '/tokens/:id',
    tag: 'tokens',
    summary: "Revoke any user's API token",
    access: 'admin',
    params: idParams,
    status: 204,
    errors: [404],
    handler: async ({ params, deps }) => {
      await change(deps, (trx) => revokeToken(trx, params.id))
    },
  }),
]
