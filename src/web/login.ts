/** The sign-in and sign-out pages: server-rendered, no JavaScript, a fresh session at every sign-in. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Policy } from '../authorize/policy.js'
import type { Verified } from '../identify/basic.js'
import { verifyPassword } from '../identify/password.js'
import { checkSameSite, type Sessions } from '../identify/session.js'
import type { Throttle } from '../identify/throttle.js'
import { GatewayError } from '../server/errors.js'
import { html, page } from './html.js'
import { safeNext } from './next.js'
import { messagePage, sendPage, topBar } from './reply.js'
import { BADGE_CSS, PAGE_CSS } from './style.js'

export type WebDeps = {
  readonly policy: () => Policy
  readonly sessions: Sessions
  readonly throttle: Throttle
  readonly publicOrigin: string | undefined
  /** Told of every verified password (to upgrade old hash formats). */
  readonly verified?: Verified
}

/** Checked for unknown names so they take as long as wrong passwords (see identify/basic.ts). */
const DUMMY_HASH =
  'scrypt:32768:8:1$8bZbmHQhJjr7YZsn$d657047d5224af6c8a97b9b6a41dd55b6d6052a48c4d3d9e86e61e18242cae6b6b62406f63a8598b338a5db2daf8acc1d451d2b79440da69a7c1d174ad75de2a'

/**
 * HTML forms post `application/x-www-form-urlencoded`. The parser is added only inside the web
 * pages' own Fastify scopes: the admin JSON API must keep refusing form bodies (a cross-site form
 * can send them without a CORS preflight).
 */
export function addFormParser(scope: FastifyInstance): void {
  scope.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 16 * 1024 },
    (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
  )
}

export function registerLoginRoutes(app: FastifyInstance, deps: WebDeps): void {
  void app.register(async (web) => {
    addFormParser(web)
    loginRoutes(web, deps)
  })
}

function loginRoutes(app: FastifyInstance, deps: WebDeps): void {
  for (const [name, css] of [
    ['gate.css', PAGE_CSS],
    ['badge.css', BADGE_CSS],
  ] as const) {
    app.get(`/_gate/static/${name}`, async (_req, reply) =>
      reply
        .header('content-type', 'text/css; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .send(css),
    )
  }
  app.get('/_gate/login', async (req, reply) => {
    const next = safeNext((req.query as Record<string, unknown>).next)
    return sendPage(reply, 200, loginPage({ next, guest: deps.policy().anonymousEnabled }))
  })
  app.post('/_gate/login', (req, reply) => refusingCrossSite(req, reply, deps, signIn))
  app.post('/_gate/logout', (req, reply) =>
    refusingCrossSite(req, reply, deps, async () => {
      const cookie = await deps.sessions.signOut(req.raw)
      return reply.code(303).header('set-cookie', cookie).header('location', '/').send()
    }),
  )
}

/** Login CSRF and forced sign-out: a foreign page may not post these forms. */
async function refusingCrossSite(
  req: FastifyRequest,
  reply: FastifyReply,
  deps: WebDeps,
  handler: (req: FastifyRequest, reply: FastifyReply, deps: WebDeps) => Promise<unknown>,
) {
  try {
    checkSameSite(req.raw, deps.publicOrigin)
  } catch (err) {
    if (!(err instanceof GatewayError)) throw err
    return sendPage(
      reply,
      403,
      messagePage('Request refused', 'This form was sent from another site, so it was refused.'),
    )
  }
  return handler(req, reply, deps)
}

async function signIn(req: FastifyRequest, reply: FastifyReply, deps: WebDeps) {
  const form = (req.body ?? {}) as Record<string, unknown>
  const username = typeof form.username === 'string' ? form.username.trim() : ''
  const password = typeof form.password === 'string' ? form.password : ''
  const next = safeNext(form.next)
  const guest = deps.policy().anonymousEnabled
  const client = req.raw.socket.remoteAddress ?? ''
  const wait = deps.throttle.waitSeconds(username || undefined, client)
  if (wait > 0) {
    reply.header('retry-after', String(wait))
    const error = `Too many failed attempts. Try again in ${wait} second${wait === 1 ? '' : 's'}.`
    return sendPage(reply, 429, loginPage({ next, guest, username, error }))
  }
  const user = deps.policy().users.get(username.toLowerCase())
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH)
  if (!ok || !user || user.passwordHash === null || user.disabled) {
    deps.throttle.failed(username || undefined, client)
    const error = 'Wrong username or password.'
    return sendPage(reply, 401, loginPage({ next, guest, username, error }))
  }
  deps.throttle.succeeded(username, client)
  deps.verified?.(user, password)
  const cookie = await deps.sessions.signIn(user.name, req.raw)
  return reply.code(303).header('set-cookie', cookie).header('location', next).send()
}

export function loginPage(o: {
  next: string
  guest: boolean
  username?: string
  error?: string
}): string {
  return page(
    'Sign in',
    html`<div class="gate">${topBar()}</div>
      <main class="gate-center">
        <div class="card">
          <h1>Sign in</h1>
          <p class="sub">to the MLflow tracking server behind this gateway</p>
          ${o.error ? html`<div class="alert" role="alert" id="login-error">${o.error}</div>` : ''}
          <form
            method="post"
            action="/_gate/login"
            ${o.error ? html`aria-describedby="login-error"` : ''}
          >
            <input type="hidden" name="next" value="${o.next}" />
            <label for="username">Username</label>
            <input
              type="text"
              id="username"
              name="username"
              autocomplete="username"
              autocapitalize="none"
              spellcheck="false"
              required
              value="${o.username ?? ''}"
              ${o.username ? '' : html`autofocus`}
            />
            <label for="password">Password</label>
            <input
              type="password"
              id="password"
              name="password"
              autocomplete="current-password"
              required
              ${o.username ? html`autofocus` : ''}
            />
            <button type="submit">Sign in</button>
          </form>
          ${
            o.guest
              ? html`<p class="alt">or <a href="${guestHref(o.next)}">continue as a guest</a></p>`
              : ''
          }
        </div>
      </main>
      <p class="foot">
        Protected by mlflow-gate. API clients sign in with MLFLOW_TRACKING_USERNAME and
        MLFLOW_TRACKING_PASSWORD, or MLFLOW_TRACKING_TOKEN.
      </p>`,
    'gate',
  )
}

/** A visitor may not see the admin pages, so continuing as a guest from there goes to MLflow. */
const guestHref = (next: string) => (next.startsWith('/_gate/') ? '/' : next)
