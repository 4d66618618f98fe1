/** The core path of every MLflow request: identify, classify, authorize, forward (or filter), audit. */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Logger } from 'pino'
import { toAuditEvent } from '../audit/event.js'
import type { AuditSink } from '../audit/sink.js'
import { authorize, type AuthorizeDeps } from '../authorize/index.js'
import { classify, type ClassifyDeps } from '../classify/index.js'
import { answerGraphql, isGraphql, type GraphqlDeps } from '../filter/graphql/index.js'
import { answerFiltered, isFiltered } from '../filter/index.js'
import { forward } from '../forward/index.js'
import type { Upstream } from '../forward/upstream.js'
import { identify, type Identifier } from '../identify/index.js'
import type { Throttle } from '../identify/throttle.js'
import { answerUiIndex, isUiIndex } from '../web/ui-index.js'
import { GatewayError } from './errors.js'
import { respondDenied, respondError } from './respond.js'
import { learnFromAnswer } from './learn-from-answer.js'
import { newScope } from './scope.js'

export type PipelineDeps = ClassifyDeps &
  AuthorizeDeps &
  GraphqlDeps & {
    readonly identifiers: readonly Identifier[]
    readonly throttle: Throttle
    readonly upstream: Upstream
    readonly audit: AuditSink
    readonly log: Logger
    /** limits.max_search_response_bytes, for the searches filter/ answers. */
    readonly maxSearchResponseBytes: number
  }

/** Handles one request that is not one of the gateway's own routes. Never throws. */
export async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  deps: PipelineDeps,
): Promise<void> {
  const scope = newScope(req)
  try {
    scope.principal = await identify(req, deps.identifiers, deps.throttle)
    const operation = (scope.operation = await classify(req, deps))
    scope.decision = await authorize(scope.principal, operation, deps)
    if (!scope.decision.allow) return respondDenied(res, scope)
    if (isGraphql(operation, scope.principal))
      return await answerGraphql(req, res, scope, operation, deps)
    if (isFiltered(operation, scope.principal))
      return await answerFiltered(res, scope, operation, deps)
    if (isUiIndex(operation)) return await answerUiIndex(res, scope, operation, deps)
    // What MLflow's success changes (owners, cached names) is learnt before the client sees the
    // answer, so the client's next request is decided on it.
    await forward(req, res, scope, operation, deps.upstream, () => learnFromAnswer(scope, deps))
  } catch (err) {
    respondError(res, scope, toGatewayError(err, deps.log, scope.id))
  } finally {
    // Audit the outcome, not the headers: wait until the last byte went out or the connection broke.
    await responseClosed(res)
    if (!res.writableFinished && !scope.error) scope.clientAborted = true
    deps.audit.emit(toAuditEvent(scope, res.statusCode))
  }
}

/** Resolves once the response is fully handed to the OS ('finish') or the connection broke ('close'). */
export function responseClosed(res: ServerResponse): Promise<void> {
  if (res.writableFinished || res.closed) return Promise.resolve()
  return new Promise((resolve) => {
    res.once('finish', resolve)
    res.once('close', resolve)
  })
}

/** Anything that is not already a GatewayError is a bug: log it, answer 500 without details. */
export function toGatewayError(err: unknown, log: Logger, requestId: string): GatewayError {
  if (err instanceof GatewayError) return err
  log.error({ err, request_id: requestId }, 'unexpected error while handling a request')
  return new GatewayError('GW_INTERNAL', `internal gateway error (request id ${requestId})`)
}
