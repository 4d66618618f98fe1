/** classify: works out what a request asks for and the exact target that will be forwarded. */
import type { IncomingMessage } from 'node:http'
import { GatewayError } from '../server/errors.js'

export type Operation = {
  readonly method: string
  /** Path without the query, as received (the catalogue lookup comes with access control). */
  readonly path: string
  /** The request-target forwarded to MLflow: exactly what was classified. */
  readonly target: string
}

/**
 * Accepts only origin-form targets (RFC 9112 section 3.2.1). Absolute-form (`GET http://x/ ...`),
 * authority-form (CONNECT) and asterisk-form (`OPTIONS *`) are refused: MLflow never needs them,
 * and a proxy that forwards them can be steered to another host.
 */
export function classify(req: IncomingMessage): Operation {
  const target = req.url ?? ''
  if (!target.startsWith('/') || target.startsWith('//')) {
    throw new GatewayError('GW_BAD_REQUEST', 'the request target must be a path starting with "/"')
  }
  if (req.method === 'CONNECT') {
    throw new GatewayError('GW_BAD_REQUEST', 'CONNECT is not supported')
  }
  const q = target.indexOf('?')
  return { method: req.method ?? 'GET', path: q === -1 ? target : target.slice(0, q), target }
}
