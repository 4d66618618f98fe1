/** forwardBuffered: sends a decided request to MLflow and rewrites its (bounded) answer before the client sees it. */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Operation } from '../classify/index.js'
import { GatewayError } from '../server/errors.js'
import type { RequestScope } from '../server/scope.js'
import { toClientHeaders } from './headers.js'
import { prepareUpstream } from './index.js'
import { AnswerTooLarge, readBounded } from './read-bounded.js'
import { toUpstreamError } from './translate-error.js'
import type { Upstream } from './upstream.js'

export type Rewrite = {
  /** The largest answer read into memory; a larger one is refused, never passed on unchanged. */
  readonly maxBytes: number
  /** The setting that sets `maxBytes`, named in the refusal. */
  readonly setting: string
  /** Turns MLflow's answer into what the client may see. */
  readonly apply: (body: Buffer, status: number) => Buffer
}

/**
 * Like forward(), but the request body must already be read (`operation.body`) and the answer is
 * read whole, rewritten and sent with its new length. MLflow is asked for an uncompressed answer
 * so the rewrite reads what MLflow meant; a compressed one is refused.
 */
export async function forwardBuffered(
  req: IncomingMessage,
  res: ServerResponse,
  scope: RequestScope,
  operation: Operation,
  upstream: Upstream,
  rewrite: Rewrite,
): Promise<void> {
  const { abort, headers } = prepareUpstream(req, res, scope, upstream)
  headers['accept-encoding'] = 'identity'
  let response
  let body: Buffer
  try {
    response = await upstream.pool.request({
      method: operation.method,
      path: upstream.basePath + operation.target,
      headers,
      body: operation.body ?? null,
      signal: abort.signal,
    })
    scope.upstreamStatus = response.statusCode
    body = await readBounded(response, rewrite.maxBytes)
  } catch (err) {
    if (abort.signal.aborted) return // The client left while MLflow was still answering.
    if (err instanceof AnswerTooLarge) {
      throw new GatewayError(
        'GW_ANSWER_TOO_LARGE',
        `MLflow's answer is larger than ${rewrite.maxBytes} bytes (${rewrite.setting}), the most the gateway filters in memory; ask for less`,
      )
    }
    throw err instanceof GatewayError ? err : toUpstreamError(err, upstream)
  }
  const encoding = response.headers['content-encoding']
  if (encoding !== undefined && encoding !== 'identity') {
    throw new GatewayError('GW_UPSTREAM_BAD_RESPONSE', `MLflow sent a ${encoding} answer`)
  }
  const out = rewrite.apply(body, response.statusCode)
  const clientHeaders = toClientHeaders(response.headers)
  delete clientHeaders['content-length']
  res.writeHead(response.statusCode, {
    ...clientHeaders,
    'content-length': out.length,
    'x-request-id': scope.id,
  })
  res.end(out)
}
