/** The gateway's own JSON API under /_gate/api/v1/: users, groups, grants, create rights, tokens, audit events. */
import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { GatewayError } from '../server/errors.js'
import { admit } from './admit.js'
import { adminAuditEvent, newCall, type AdminCall } from './audit.js'
import { sendError, toGatewayError } from './errors.js'
import { OPENAPI_PATH, openApiDocument } from './openapi.js'
import { PREFIX, type AdminDeps, type AnyRoute, type Caller } from './route.js'
import { ADMIN_ROUTES } from './routes/index.js'
import { readInput } from './validate.js'

export { PREFIX } from './route.js'
export type { AdminDeps } from './route.js'

/**
 * Registers the API as one encapsulated Fastify plugin, so its authentication hook, error handler
 * and 404 apply to its routes only. Every request is identified like MLflow traffic, decided
 * (admin-only or own account), validated with zod, and audited.
 */
export function registerAdminApi(app: FastifyInstance, deps: AdminDeps): void {
  void app.register(
    async (api) => {
      // JSON only: a cross-site form or text/plain POST (the kinds a browser sends without a
      // CORS preflight) is refused before any handler, whatever credentials come with it. The
      // form parser comes from the root instance (web/login.ts registers it for the pages).
      for (const type of ['text/plain', 'application/x-www-form-urlencoded'])
        if (api.hasContentTypeParser(type)) api.removeContentTypeParser(type)
      const calls = new WeakMap<FastifyRequest, AdminCall>()
      const callOf = (req: FastifyRequest) => {
        let call = calls.get(req)
        if (!call) calls.set(req, (call = newCall(randomUUID())))
        return call
      }
      api.addHook('onRequest', async (req, reply) => {
        const call = callOf(req)
        void reply.header('x-request-id', call.id).header('cache-control', 'no-store')
        const spec = req.routeOptions.config as { spec?: AnyRoute }
        if (!spec.spec) return
        call.route = `${spec.spec.method} ${PREFIX}${spec.spec.path} [${spec.spec.access}]`
        const { principal, decision } = await admit(
          req.raw,
          spec.spec,
          deps.identifiers,
          deps.throttle,
        )
        call.principal = principal
        call.decision = decision
        if (!decision.allow) {
          const reasons = decision.reasons.map((r) => r.message).join('; ')
          throw new GatewayError(
            principal.kind === 'anonymous' ? 'GW_UNAUTHENTICATED' : 'GW_PERMISSION_DENIED',
            reasons,
          )
        }
      })
      api.addHook('onResponse', async (req, reply) => {
        const call = callOf(req)
        deps.audit.emit(
          adminAuditEvent(
            call,
            { method: req.method, path: req.url.split('?')[0]!, client: req.ip },
            reply.statusCode,
            req.raw.destroyed && !reply.raw.writableFinished,
          ),
        )
      })
      api.setErrorHandler((err, req, reply) => {
        const gwErr = toGatewayError(err)
        callOf(req).error = gwErr.code
        sendError(req, reply, gwErr)
      })
      api.setNotFoundHandler((req, reply) => {
        const err = new GatewayError(
          'GW_UNKNOWN_ROUTE',
          `${req.method} ${req.url.split('?')[0]} is not an admin API route; see ${PREFIX}${OPENAPI_PATH}`,
        )
        callOf(req).error = err.code
        sendError(req, reply, err)
      })

      const document = openApiDocument(ADMIN_ROUTES)
      api.get(OPENAPI_PATH, async () => document)
      for (const spec of ADMIN_ROUTES) {
        api.route({
          method: spec.method,
          url: spec.path,
          config: { spec },
          handler: async (req, reply) => {
            const input = readInput(spec, {
              params: req.params,
              query: req.query,
              body: req.body,
            })
            const caller = callOf(req).principal as Caller
            const result = await spec.handler({ ...input, caller, deps } as never)
            void reply.code(spec.status ?? 200)
            if (spec.status === 204) return reply.send()
            return spec.response ? spec.response.parse(result) : result
          },
        })
      }
    },
    { prefix: PREFIX },
  )
}
