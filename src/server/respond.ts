/** The one place that turns a gateway error or a denial into an HTTP response. */
import type { ServerResponse } from 'node:http'
import { GatewayError, toErrorBody } from './errors.js'
import type { RequestScope } from './scope.js'

/**
 * MLflow's client and browsers answer this challenge with Basic credentials, as they do with
 * MLflow's own basic-auth app (RFC 7235 section 4.1).
 */
const CHALLENGE = { 'www-authenticate': 'Basic realm="mlflow", charset="UTF-8"' }

function sendJson(
  res: ServerResponse,
  scope: RequestScope,
  status: number,
  body: object,
  extra: Record<string, string> = {},
): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    // A refused request may have left body bytes unread (a denied 1 GiB upload, a malformed body):
    // closing the connection means none of it is read in vain or taken for the next request on
    // this socket (security.md 2.5).
    ...(status === 400 || status === 413 || !res.req.complete ? { connection: 'close' } : {}),
    ...extra,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-request-id': scope.id,
  })
  res.end(scope.method === 'HEAD' ? undefined : text)
}

/** Answers 200 with a JSON body: the gateway's own answers on MLflow-compatible routes. */
export function respondJson(res: ServerResponse, scope: RequestScope, body: object): void {
  sendJson(res, scope, 200, body)
}

/**
 * Answers with the error in MLflow's JSON error shape. If response headers already went out, the
 * only honest signal left is to cut the connection: a clean end would make a truncated body look
 * complete.
 */
export function respondError(res: ServerResponse, scope: RequestScope, err: GatewayError): void {
  scope.error = err
  if (res.headersSent || res.destroyed) {
    res.destroy()
    return
  }
  send(res, scope, err)
}

/**
 * Answers a denied request through the same error catalogue: 401 with a Basic challenge when
 * signing in would help, 404 for a route the gateway does not know or a name the caller may not
 * look up (authorize/missing-name.ts), otherwise 403 saying what right is missing. A denial is a
 * normal result, so it is not recorded as the request's error.
 */
export function respondDenied(res: ServerResponse, scope: RequestScope): void {
  const reasons = scope.decision?.reasons ?? []
  const codes = new Set(reasons.map((r) => r.code))
  // Nobody is signed in where signing in is not required: 401 without a challenge, which a
  // browser would answer with its password prompt (the UI asking who is signed in).
  if (codes.has('not-signed-in')) {
    const err = new GatewayError('GW_NOT_SIGNED_IN', reasons.map((r) => r.message).join('; '))
    return sendJson(res, scope, err.status, toErrorBody(err))
  }
  const code = codes.has('unauthenticated')
    ? 'GW_UNAUTHENTICATED'
    : codes.has('unknown-endpoint')
      ? 'GW_UNKNOWN_ROUTE'
      : codes.has('not-found')
        ? 'GW_NOT_FOUND'
        : codes.has('already-exists')
          ? 'GW_ALREADY_EXISTS'
          : 'GW_PERMISSION_DENIED'
  // A hidden name's answer must read like a missing one's, an existing name's like MLflow's; the
  // audit line keeps the real reasons.
  const only = { GW_NOT_FOUND: 'not-found', GW_ALREADY_EXISTS: 'already-exists' }[code as string]
  const shown = only ? reasons.filter((r) => r.code === only) : reasons
  send(res, scope, new GatewayError(code, shown.map((r) => r.message).join('; ')))
}

/**
 * Requests made by a page's scripts carry Fetch Metadata (`Sec-Fetch-Mode: cors` or
 * `same-origin`). They get no Basic challenge: the browser would answer it with its own password
 * dialog over the MLflow UI, where the gateway's sign-in page is the way in.
 */
function fromBrowserPage(res: ServerResponse): boolean {
  // Browsers send Sec-Fetch-Site with every request; Node's fetch sends only Sec-Fetch-Mode, and
  // such clients should still be challenged.
  const { 'sec-fetch-mode': mode, 'sec-fetch-site': site } = res.req.headers
  return site !== undefined && mode !== undefined && mode !== 'navigate'
}

function send(res: ServerResponse, scope: RequestScope, err: GatewayError): void {
  sendJson(res, scope, err.status, toErrorBody(err), {
    ...(err.status === 401 && !fromBrowserPage(res) && CHALLENGE),
    ...(err.retryAfterSeconds !== undefined && { 'retry-after': String(err.retryAfterSeconds) }),
  })
}
