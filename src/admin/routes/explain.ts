/** Why may a user (or an anonymous visitor) make a request: decided as the pipeline would, never sent. */
import { z } from 'zod'
import { reason as reasonOf } from '../../authorize/decision.js'
import { explainRequest } from '../../authorize/explain.js'
import type { Policy, UserRecord } from '../../authorize/policy.js'
import { ANONYMOUS, type Principal } from '../../identify/principal.js'
import { GatewayError } from '../../server/errors.js'
import { found } from '../change.js'
import { route } from '../route.js'
import * as s from '../schemas.js'

export const explainRoutes = [
  route({
    id: 'explainRequest',
    method: 'POST',
    path: '/explain',
    tag: 'explain',
    summary: 'Why a user may or may not make an MLflow request',
    description:
      'Classifies and decides the request exactly as the gateway would, with the current ' +
      'users, groups and grants. The request is not sent; MLflow is only asked which experiment ' +
      'a run, trace or logged model belongs to.',
    access: 'admin',
    body: z.strictObject({
      user: s.name.optional().describe('Decide as this user; without it, as an anonymous visitor.'),
      method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']),
      path: z
        .string()
        .startsWith('/', 'must start with /')
        .max(8192)
        .describe('Path and query, e.g. /api/2.0/mlflow/experiments/get?experiment_id=1.'),
      body: z
        .union([z.record(z.string(), z.unknown()), z.string()])
        .optional()
        .describe('The JSON request body, as an object or as text.'),
    }),
    response: z.strictObject({
      allow: z.boolean(),
      caller: z.string(),
      route: z
        .string()
        .nullable()
        .describe('The catalogue row, e.g. GET /api/2.0/mlflow/runs/get [read].'),
      resource: z.string().nullable(),
      reasons: z.array(s.reason),
      refused: z
        .strictObject({ gateway_code: z.string(), status: z.number().int(), message: z.string() })
        .nullable()
        .describe(
          'Set when the gateway would refuse the request before deciding, or could not decide.',
        ),
    }),
    errors: [404],
    handler: async ({ body, deps }) => {
      const user = body.user === undefined ? undefined : userRecord(deps.policy.current, body.user)
      const principal: Principal = user
        ? { kind: 'user', name: user.name, groups: user.groups, admin: user.admin, via: 'basic' }
        : ANONYMOUS
      const caller = user?.name ?? 'anonymous'
      const none = { route: null, resource: null, refused: null }
      // A disabled user cannot sign in at all, whatever their grants say.
      if (user?.disabled)
        return {
          allow: false,
          caller,
          ...none,
          reasons: [reasonOf('unauthenticated', `${caller} is disabled`)],
        }
      const text =
        typeof body.body === 'string' ? body.body : body.body && JSON.stringify(body.body)
      try {
        const { operation: op, decision } = await explainRequest(
          principal,
          { method: body.method, url: body.path, body: text },
          { ...deps.explain, policy: deps.policy.current },
        )
        return {
          allow: decision.allow,
          caller,
          route: op.row ? `${op.row.method} ${op.row.path} [${op.row.action}]` : null,
          resource: op.ids ? `${op.ids.kind} ${op.ids.values.join(',')}` : null,
          reasons: decision.reasons.map((r) => ({ ...r })),
          refused: null,
        }
      } catch (err) {
        if (!(err instanceof GatewayError)) throw err
        const refused = { gateway_code: err.code, status: err.status, message: err.message }
        return { allow: false, caller, ...none, reasons: [], refused }
      }
    },
  }),
]

function userRecord(policy: Policy, name: string): UserRecord {
  return found(policy.users.get(name.toLowerCase()), `user named '${name}'`)
}
