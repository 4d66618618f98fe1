/** The admin pages under /_gate/admin/ and the account page under /_gate/account/: identified like MLflow traffic, admitted like the admin API, audited. */
import { addFormParser } from '../login.js'
import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { decideAdmin } from '../../admin/admit.js'
import { adminAuditEvent, newCall, type AdminCall } from '../../admin/audit.js'
import type { Caller } from '../../admin/route.js'
import { identify } from '../../identify/index.js'
import { checkSameSite } from '../../identify/session.js'
import { GatewayError } from '../../server/errors.js'
import { messagePage, sendPage } from '../reply.js'
import { ACCOUNT_PAGES } from './account.js'
import { ADMIN_PAGES } from './pages.js'
import { clearFlashCookie, flashCookie, readFlash } from './flash.js'
import {
  ACCOUNT_PREFIX,
  ADMIN_PREFIX,
  type PageContext,
  type PageDeps,
  type PageResult,
  type PageRoute,
} from './page-route.js'

export type { PageDeps } from './page-route.js'

export function registerAdminPages(app: FastifyInstance, deps: PageDeps): void {
  registerSection(app, deps, ADMIN_PREFIX, ADMIN_PAGES)
  registerSection(app, deps, ACCOUNT_PREFIX, ACCOUNT_PAGES)
}

const FORM = 'application/x-www-form-urlencoded'
const TITLES: Record<number, string> = { 400: 'Bad request', 404: 'Not found', 409: 'Conflict' }

/**
 * One encapsulated plugin per section, so its hooks, error page and 404 page touch nothing else.
 * Before any handler: a POST must come from this site (whatever the credentials: a browser sends
 * remembered Basic credentials cross-site too) and be a form; then the caller is identified with
 * the MLflow traffic's identifiers and throttle, and admitted by the admin API's rule.
 */
function registerSection(
  app: FastifyInstance,
  deps: PageDeps,
  prefix: string,
  routes: readonly PageRoute[],
): void {
  void app.register(
    async (pages) => {
      addFormParser(pages)
      const calls = new WeakMap<FastifyRequest, AdminCall>()
      const callOf = (req: FastifyRequest) => {
        let call = calls.get(req)
        if (!call) calls.set(req, (call = newCall(randomUUID())))
        return call
      }
      pages.addHook('onRequest', async (req, reply) => {
        const call = callOf(req)
        void reply.header('x-request-id', call.id)
        const spec = (req.routeOptions.config as { page?: PageRoute }).page
        if (!spec) return
        call.route = `${spec.method} ${prefix}${spec.path} [${spec.access}]`
        const refused = await admit(req, reply, spec, deps, call, prefix)
        if (refused) return refused
      })
      pages.addHook('onResponse', async (req, reply) => {
        deps.audit.emit(
          adminAuditEvent(
            callOf(req),
            { method: req.method, path: req.url.split('?')[0]!, client: req.ip },
            reply.statusCode,
            req.raw.destroyed && !reply.raw.writableFinished,
          ),
        )
      })
      pages.setErrorHandler((err, req, reply) => {
        const call = callOf(req)
        if (err instanceof GatewayError && err.code !== 'GW_INTERNAL') {
          // A page that reads something missing (a deleted user's page) or MLflow unreachable.
          call.error = err.code
          const title = TITLES[err.status] ?? 'Cannot show this page'
          return sendPage(
            reply,
            err.status,
            messagePage(title, capitalised(err.message), back(prefix)),
          )
        }
        const status = (err as { statusCode?: number }).statusCode ?? 500
        if (status >= 400 && status < 500) {
          call.error = 'GW_BAD_REQUEST'
          return sendPage(
            reply,
            status,
            messagePage('Bad request', 'The form could not be read.', back(prefix)),
          )
        }
        req.log.error({ err }, 'admin page failure')
        call.error = 'GW_INTERNAL'
        return sendPage(
          reply,
          500,
          messagePage(
            'Something went wrong',
            'The page failed; the gateway log has the details.',
            back(prefix),
          ),
        )
      })
      pages.setNotFoundHandler((req, reply) => {
        callOf(req).error = 'GW_UNKNOWN_ROUTE'
        return sendPage(
          reply,
          404,
          messagePage('Page not found', 'There is no such page here.', back(prefix)),
        )
      })
      for (const spec of routes) {
        pages.route({
          method: spec.method,
          url: spec.path,
          config: { page: spec },
          handler: async (req, reply) => {
            const call = callOf(req)
            const flash = readFlash(req.headers.cookie)
            const ctx: PageContext = {
              caller: call.principal as Caller,
              params: strings(req.params),
              query: strings(req.query),
              form: spec.method === 'POST' ? strings(req.body) : {},
              flash,
              url: req.url,
              req: req.raw,
              deps,
              call,
            }
            const result = await spec.handler(ctx)
            // A message is shown once: the page that shows it clears it.
            if (flash) void reply.header('set-cookie', clearFlashCookie(deps.secureCookies))
            return send(reply, result, deps)
          },
        })
      }
    },
    { prefix },
  )
}

/** Sends the refusal page and returns the reply when the request may not go on; else records the caller. */
async function admit(
  req: FastifyRequest,
  reply: FastifyReply,
  spec: PageRoute,
  deps: PageDeps,
  call: AdminCall,
  prefix: string,
): Promise<FastifyReply | undefined> {
  const refuse = (status: number, title: string, message: string, code: GatewayError['code']) => {
    call.error = code
    return sendPage(reply, status, messagePage(title, message, back(prefix)))
  }
  try {
    if (spec.method === 'POST') {
      checkSameSite(req.raw, deps.publicOrigin)
      if ((req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase() !== FORM)
        return refuse(415, 'Not a form', 'These pages only take their own forms.', 'GW_BAD_REQUEST')
    }
    call.principal = await identify(req.raw, deps.identifiers, deps.throttle)
  } catch (err) {
    if (!(err instanceof GatewayError)) throw err
    if (err.code === 'GW_CROSS_SITE')
      return refuse(
        403,
        'Request refused',
        'This form was sent from another site, so it was refused.',
        err.code,
      )
    if (err.code === 'GW_TOO_MANY_ATTEMPTS') {
      void reply.header('retry-after', String(err.retryAfterSeconds ?? 60))
      return refuse(429, 'Too many attempts', capitalised(err.message), err.code)
    }
    return refuse(err.status, 'Not signed in', capitalised(err.message), err.code)
  }
  const principal = call.principal
  if (principal.kind === 'anonymous') {
    // A visitor is sent to sign in and brought back; after a POST, to the section's first page.
    const next = spec.method === 'GET' ? req.url : `${prefix}/`
    return reply
      .code(303)
      .header('cache-control', 'no-store')
      .header('location', `/_gate/login?next=${encodeURIComponent(next)}`)
      .send()
  }
  call.decision = decideAdmin(principal, spec)
  if (call.decision.allow) return undefined
  const readOnly = call.decision.reasons.some((r) => r.code === 'read-only-token')
  call.error = 'GW_PERMISSION_DENIED'
  const [title, message] = readOnly
    ? ['Read-only token', 'You used a read-only API token; it cannot change anything.']
    : [
        'Admins only',
        `Only gateway admins may open these pages; you are signed in as ${principal.name}.`,
      ]
  return sendPage(
    reply,
    403,
    messagePage(title, message, { href: `${ACCOUNT_PREFIX}/`, text: 'Go to your account' }),
  )
}

function send(reply: FastifyReply, result: PageResult, deps: PageDeps) {
  if (result.kind === 'page') return sendPage(reply, result.status ?? 200, result.html)
  const cookies = [
    ...(result.flash ? [flashCookie(result.flash, deps.secureCookies)] : []),
    ...(result.cookies ?? []),
  ]
  if (cookies.length > 0) void reply.header('set-cookie', cookies)
  return reply.code(303).header('cache-control', 'no-store').header('location', result.to).send()
}

/** Path parameters, query and form fields as strings: a repeated field counts once (its first value). */
function strings(value: unknown): Record<string, string> {
  if (value === null || typeof value !== 'object') return {}
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(value)) {
    const first = Array.isArray(v) ? v[0] : v
    if (typeof first === 'string') out[k] = first
  }
  return out
}

const back = (prefix: string) =>
  prefix === ADMIN_PREFIX
    ? { href: `${ADMIN_PREFIX}/`, text: 'Back to the admin pages' }
    : { href: `${ACCOUNT_PREFIX}/`, text: 'Back to your account' }

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)
