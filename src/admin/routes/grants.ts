/** Grants (a permission on experiments or registered models, one pattern each) and create rights. */
import { z } from 'zod'
import {
  addCreateRight,
  addGrant,
  listCreateRights,
  listGrants,
  removeCreateRight,
  removeGrant,
  updateGrantPermission,
} from '../../storage/access/grants.js'
import { change, found, notConfigOwned } from '../change.js'
import { createRightJson, grantJson } from '../json.js'
import { route } from '../route.js'
import * as s from '../schemas.js'

const params = z.strictObject({ id: s.numericId })

export const grantRoutes = [
  route({
    id: 'listGrants',
    method: 'GET',
    path: '/grants',
    tag: 'grants',
    summary: 'List grants, optionally only those for one principal, resource kind or pattern',
    access: 'admin',
    query: z.strictObject({
      to: s.principalRef.optional(),
      resource: s.grantResource.optional(),
      pattern: z.string().optional().describe('Exactly as stored (not matched as a glob).'),
    }),
    response: z.strictObject({ grants: z.array(s.grant) }),
    errors: [404],
    handler: async ({ query, deps }) => ({
      grants: (await listGrants(deps.access.db, query)).map(grantJson),
    }),
  }),
  route({
    id: 'getGrant',
    method: 'GET',
    path: '/grants/:id',
    tag: 'grants',
    summary: 'Get a grant',
    access: 'admin',
    params,
    response: s.grant,
    errors: [404],
    handler: async ({ params, deps }) =>
      grantJson(found((await listGrants(deps.access.db, params))[0], `grant with id ${params.id}`)),
  }),
  route({
    id: 'createGrant',
    method: 'POST',
    path: '/grants',
    tag: 'grants',
    summary: 'Grant a permission',
    description:
      'A deny grant removes this permission (and those above it) whatever allows it elsewhere.',
    access: 'admin',
    body: z.strictObject({
      to: s.principalRef,
      resource: s.grantResource,
      pattern: s.pattern,
      permission: s.permission,
      deny: z.boolean().default(false),
    }),
    status: 201,
    response: s.grant,
    errors: [404],
    handler: async ({ body, deps }) => {
      const id = await change(deps, (trx) => addGrant(trx, { ...body, origin: 'api' }))
      return grantJson((await listGrants(deps.access.db, { id }))[0]!)
    },
  }),
  route({
    id: 'updateGrant',
    method: 'PATCH',
    path: '/grants/:id',
    tag: 'grants',
    summary: "Change a grant's permission",
    access: 'admin',
    params,
    body: z.strictObject({ permission: s.permission }),
    response: s.grant,
    errors: [404, 409],
    handler: async ({ params, body, deps }) => {
      await change(deps, async (trx) => {
        const grant = found((await listGrants(trx, params))[0], `grant with id ${params.id}`)
        notConfigOwned(grant.origin, `grant ${grant.id}`, grant.source ?? 'access.grants')
        await updateGrantPermission(trx, params.id, body.permission)
      })
      return grantJson((await listGrants(deps.access.db, params))[0]!)
    },
  }),
  route({
    id: 'deleteGrant',
    method: 'DELETE',
    path: '/grants/:id',
    tag: 'grants',
    summary: 'Remove a grant',
    access: 'admin',
    params,
    status: 204,
    errors: [404, 409],
    handler: async ({ params, deps }) => {
      await change(deps, async (trx) => {
        const grant = found((await listGrants(trx, params))[0], `grant with id ${params.id}`)
        notConfigOwned(grant.origin, `grant ${grant.id}`, grant.source ?? 'access.grants')
        await removeGrant(trx, params.id)
      })
    },
  }),
]

export const createRightRoutes = [
  route({
    id: 'listCreateRights',
    method: 'GET',
    path: '/create-rights',
    tag: 'create rights',
    summary: 'List create rights',
    access: 'admin',
    response: z.strictObject({ create_rights: z.array(s.createRight) }),
    handler: async ({ deps }) => ({
      create_rights: (await listCreateRights(deps.access.db)).map(createRightJson),
    }),
  }),
  route({
    id: 'createCreateRight',
    method: 'POST',
    path: '/create-rights',
    tag: 'create rights',
    summary: 'Allow a principal to create experiments, registered models or prompts by name',
    access: 'admin',
    body: z.strictObject({ to: s.principalRef, kind: s.createKind, pattern: s.pattern }),
    status: 201,
    response: s.createRight,
    errors: [404],
    handler: async ({ body, deps }) => {
      const id = await change(deps, (trx) => addCreateRight(trx, { ...body, origin: 'api' }))
      return createRightJson((await listCreateRights(deps.access.db)).find((c) => c.id === id)!)
    },
  }),
  route({
    id: 'deleteCreateRight',
    method: 'DELETE',
    path: '/create-rights/:id',
    tag: 'create rights',
    summary: 'Remove a create right',
    access: 'admin',
    params,
    status: 204,
    errors: [404, 409],
    handler: async ({ params, deps }) => {
      await change(deps, async (trx) => {
        const right = found(
          (await listCreateRights(trx)).find((c) => c.id === params.id),
          `create right with id ${params.id}`,
        )
        notConfigOwned(right.origin, `create right ${right.id}`, right.source ?? 'access.create')
        await removeCreateRight(trx, params.id)
      })
    },
  }),
]
