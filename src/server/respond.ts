/** The one place that turns a gateway error or a denial into an HTTP response. */
import type { ServerResponse } from 'node:http'
import { type GatewayError, toErrorBody } from './errors.js'
import type { RequestScope } from './scope.js'

function sendJson(res: ServerResponse, scope: RequestScope, status: number, body: object): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-request-id': scope.id,
  })
  res.end(scope.method === 'HEAD' ? undefined : text)
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
  sendJson(res, scope, err.status, toErrorBody(err))
}

/** Answers a denied request with 403 PERMISSION_DENIED and the decision's reasons. */
export function respondDenied(res: ServerResponse, scope: RequestScope): void {
  const reasons = scope.decision?.reasons ?? []
  sendJson(res, scope, 403, {
    error_code: 'PERMISSION_DENIED',
    message: `mlflow-gate: permission denied: ${reasons.map((r) => r.message).join('; ')}`,
  })
}
