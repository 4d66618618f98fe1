/** The MLflow UI's index page: sign-in redirect when visitors are not served, else MLflow's page with the gateway's badge added. */
import type { ServerResponse } from 'node:http'
import type { Policy } from '../authorize/policy.js'
import type { Operation } from '../classify/index.js'
import { toClientHeaders } from '../forward/headers.js'
import { AnswerTooLarge, readBounded } from '../forward/read-bounded.js'
import type { Upstream } from '../forward/upstream.js'
import type { Principal } from '../identify/principal.js'
import { GatewayError } from '../server/errors.js'
import type { RequestScope } from '../server/scope.js'
import { html, type Html } from './html.js'

/** MLflow's index.html is a few KB; anything far bigger is not the page we expect and is refused. */
const MAX_INDEX_BYTES = 2 * 1024 * 1024

/** The UI is a single page with hash routes (mlflow/server/__init__.py `serve`): `/` is every navigation. */
export function isUiIndex(op: Operation): boolean {
  return op.row?.path === '/' && (op.method === 'GET' || op.method === 'HEAD')
}

export async function answerUiIndex(
  res: ServerResponse,
  scope: RequestScope,
  op: Operation,
  deps: { readonly upstream: Upstream; readonly policy: Policy },
): Promise<void> {
  const principal = scope.principal!
  if (principal.kind === 'anonymous' && !deps.policy.anonymousEnabled) {
    // Browsers go to the sign-in page; there is nothing a visitor could do here.
    res.writeHead(302, {
      location: `/_gate/login?next=${encodeURIComponent(op.target)}`,
      'cache-control': 'no-store',
      'x-request-id': scope.id,
    })
    res.end()
    return
  }
  const { status, headers, body } = await fetchIndex(deps.upstream, op.target)
  scope.upstreamStatus = status
  const isHtml = String(headers['content-type'] ?? '').startsWith('text/html')
  const page = status === 200 && isHtml ? withBadge(body, principal) : body
  res.writeHead(status, {
    ...toClientHeaders(headers),
    'content-length': page.length,
    // The page now names its viewer: never cached, never shared.
    'cache-control': 'no-store',
    vary: 'cookie, authorization',
    'x-request-id': scope.id,
  })
  res.end(op.method === 'HEAD' ? undefined : page)
}

async function fetchIndex(upstream: Upstream, target: string) {
  try {
    const res = await upstream.pool.request({
      method: 'GET',
      path: upstream.basePath + target,
      // Uncompressed, so the badge can be added without decoding.
      headers: { host: upstream.hostHeader, 'accept-encoding': 'identity', accept: 'text/html' },
    })
    return {
      status: res.statusCode,
      headers: res.headers,
      body: await readBounded(res, MAX_INDEX_BYTES),
    }
  } catch (err) {
    if (err instanceof AnswerTooLarge)
      throw new GatewayError('GW_UPSTREAM_BAD_RESPONSE', `MLflow's UI page is over 2 MiB`)
    throw new GatewayError(
      'GW_UPSTREAM_UNAVAILABLE',
      `MLflow at ${upstream.origin} is not reachable`,
      {
        cause: err,
      },
    )
  }
}

/** Adds the badge just before `</body>`, outside React's root element, so React never touches it. */
export function withBadge(page: Buffer, principal: Principal): Buffer {
  const text = page.toString('utf8')
  const at = text.lastIndexOf('</body>')
  if (at === -1) return page
  const badge = `<link rel="stylesheet" href="/_gate/static/badge.css">${badgeHtml(principal).__html}`
  return Buffer.from(text.slice(0, at) + badge + text.slice(at), 'utf8')
}

function badgeHtml(p: Principal): Html {
  if (p.kind === 'anonymous') {
    return html`<div id="mlflow-gate-badge" role="complementary" aria-label="mlflow-gate">
      <span class="who">Guest</span><a href="/_gate/login">Sign in</a>
    </div>`
  }
  const signOut =
    p.via === 'session'
      ? html`<form method="post" action="/_gate/logout">
          <button type="submit">Sign out</button>
        </form>`
      : ''
  // Admins get to the admin pages, everyone else signed in to their own account (tokens, password).
  const pages = p.admin
    ? html`<a href="/_gate/admin/">Admin</a>`
    : html`<a href="/_gate/account/">Account</a>`
  return html`<div id="mlflow-gate-badge" role="complementary" aria-label="mlflow-gate">
    <span class="who" title="Signed in">${p.name}</span>${pages}${signOut}
  </div>`
}
