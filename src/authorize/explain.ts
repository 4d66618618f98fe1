/** explainRequest: classifies and decides a described request exactly as the pipeline would, without sending it. */
import type { IncomingMessage } from 'node:http'
import { Readable } from 'node:stream'
import { classify, type ClassifyDeps, type Operation } from '../classify/index.js'
import { decideGraphql, isGraphql } from '../filter/graphql/index.js'
import type { Principal } from '../identify/principal.js'
import type { Decision } from './decision.js'
import { authorize, type AuthorizeDeps } from './index.js'

export type DescribedRequest = {
  readonly method: string
  /** The request-target as a client would send it: path and query. */
  readonly url: string
  /** The JSON request body, as text. */
  readonly body?: string
}

/**
 * The operation and decision for `request` made by `principal`. Throws the GatewayError the
 * pipeline would answer with when the request is refused before deciding (400) or cannot be
 * decided (MLflow unreachable, 503). MLflow is only asked which experiment a run, trace or logged
 * model belongs to, never sent the request.
 */
export async function explainRequest(
  principal: Principal,
  request: DescribedRequest,
  deps: ClassifyDeps & AuthorizeDeps,
): Promise<{ operation: Operation; decision: Decision }> {
  const operation = await classify(describedRequest(request), deps)
  let decision = await authorize(principal, operation, deps)
  // GraphQL is decided on what the query names, as the pipeline does in filter/graphql/.
  if (decision.allow && isGraphql(operation, principal))
    ({ decision } = await decideGraphql(principal, operation, decision, deps))
  return { operation, decision }
}

/** The IncomingMessage classify() would see for the described request. */
export function describedRequest(r: DescribedRequest): IncomingMessage {
  const headers: Record<string, string> =
    r.body === undefined
      ? {}
      : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(r.body)) }
  return Object.assign(Readable.from(r.body === undefined ? [] : [Buffer.from(r.body)]), {
    method: r.method.toUpperCase(),
    url: r.url,
    headers,
    rawHeaders: Object.entries(headers).flat(),
  }) as unknown as IncomingMessage
}
