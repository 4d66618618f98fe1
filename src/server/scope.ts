/** RequestScope: everything the gateway learns about one request as it moves through the stages. */
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { performance } from 'node:perf_hooks'
import type { Decision } from '../authorize/decision.js'
import type { Operation } from '../classify/index.js'
import type { Principal } from '../identify/principal.js'
import type { GatewayError } from './errors.js'

export type RequestScope = {
  readonly id: string
  readonly startedAt: number
  readonly method: string
  readonly rawUrl: string
  readonly clientAddress: string
  principal?: Principal
  operation?: Operation
  decision?: Decision
  upstreamStatus?: number
  /** Set when the gateway answered with an error, or the transfer broke after headers. */
  error?: GatewayError
  /** The client went away before the response was complete. */
  clientAborted?: boolean
}

export function newScope(req: IncomingMessage): RequestScope {
  return {
    id: randomUUID(),
    startedAt: performance.now(),
    method: req.method ?? 'GET',
    rawUrl: req.url ?? '',
    clientAddress: req.socket.remoteAddress ?? 'unknown',
  }
}
