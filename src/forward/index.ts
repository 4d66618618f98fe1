/** forward: sends one decided request to MLflow and streams the answer back, both bodies unbuffered. */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { pipeline } from 'node:stream/promises'
import type { Operation } from '../classify/index.js'
import type { RequestScope } from '../server/scope.js'
import { toClientHeaders, toDownloadHeaders, toUpstreamHeaders } from './headers.js'
import { toUpstreamError } from './translate-error.js'
import type { Upstream } from './upstream.js'

/**
 * Forwards `operation.target` (what was decided, never the raw URL) to MLflow. When the client
 * goes away, the upstream request is aborted rather than ended, so MLflow sees a broken upload
 * and never stores a truncated artifact as complete. Throws a GatewayError when no response
 * could be had; failures after the headers went out cut the client connection.
 */
export async function forward(
  req: IncomingMessage,
  res: ServerResponse,
  scope: RequestScope,
  operation: Operation,
  upstream: Upstream,
  /** Runs once MLflow's status is known and before the client sees any of the answer. */
  beforeAnswer: () => Promise<void> = async () => undefined,
): Promise<void> {
  const { abort, headers } = prepareUpstream(req, res, scope, upstream)

  let response
  try {
    response = await upstream.pool.request({
      method: operation.method,
      path: upstream.basePath + operation.target,
      headers,
      // A JSON body read for the decision is sent as those same bytes; anything else streams.
      body: operation.body ?? (operation.streamsBody ? req : null),
      signal: abort.signal,
    })
  } catch (err) {
    if (abort.signal.aborted) return // The client left while MLflow was still answering.
    throw toUpstreamError(err, upstream)
  }
  scope.upstreamStatus = response.statusCode
  await beforeAnswer()
  const clientHeaders = toClientHeaders(response.headers)
  res.writeHead(response.statusCode, {
    ...(operation.row?.download ? toDownloadHeaders(clientHeaders) : clientHeaders),
    'x-request-id': scope.id,
  })
  try {
    await pipeline(response.body, res)
  } catch (err) {
    if (!abort.signal.aborted) scope.error = toUpstreamError(err, upstream)
    res.destroy()
  }
}

/**
 * What every forward needs before asking MLflow: an abort signal fired when the client goes away
 * before the answer is complete, and the request headers MLflow may see (headers.ts rules).
 */
export function prepareUpstream(
  req: IncomingMessage,
  res: ServerResponse,
  scope: RequestScope,
  upstream: Upstream,
): { abort: AbortController; headers: ReturnType<typeof toUpstreamHeaders> } {
  const abort = new AbortController()
  res.once('close', () => {
    if (!res.writableFinished) abort.abort()
  })
  const headers = toUpstreamHeaders(req.headers, {
    clientAddress: scope.clientAddress,
    requestHost: req.headers.host,
    proto: 'encrypted' in req.socket ? 'https' : 'http',
    upstreamHost: upstream.hostHeader,
  })
  headers['x-request-id'] = scope.id
  return { abort, headers }
}
