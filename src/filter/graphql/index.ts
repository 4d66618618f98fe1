/** filter/graphql: MLflow's GraphQL endpoint, decided field by field, answers trimmed to what the caller may read. */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { decide } from '../../authorize/decide.js'
import type { Decision } from '../../authorize/decision.js'
import type { AuthorizeDeps } from '../../authorize/index.js'
import type { Operation } from '../../classify/index.js'
import { forwardBuffered } from '../../forward/buffered.js'
import { forward } from '../../forward/index.js'
import type { Upstream } from '../../forward/upstream.js'
import type { Principal } from '../../identify/principal.js'
import { GatewayError } from '../../server/errors.js'
import { respondDenied } from '../../server/respond.js'
import type { RequestScope } from '../../server/scope.js'
import { analyse, type Analysis } from './analyse.js'
import { decideNamed } from './decide-named.js'
import { trimAnswer, type Plan } from './plan.js'

/** The catalogue rows' `filter` name for GraphQL (classify/rows/jobs-and-misc.ts). */
export const GRAPHQL_FILTER = 'graphql'

export type GraphqlDeps = AuthorizeDeps & {
  readonly upstream: Upstream
  readonly maxGraphqlResponseBytes: number
}

/** Admins' GraphQL requests are forwarded untouched; everyone else's go through answerGraphql. */
export function isGraphql(op: Operation, principal: Principal): boolean {
  return op.row?.filter === GRAPHQL_FILTER && !(principal.kind === 'user' && principal.admin)
}

/**
 * The decision on what the request names (400 when it cannot be analysed). With nothing named,
 * `allowed` (authorize()'s "filtered" decision) stands.
 */
export async function decideGraphql(
  principal: Principal,
  op: Operation,
  allowed: Decision,
  deps: AuthorizeDeps,
): Promise<{ decision: Decision; analysis: Analysis }> {
  const analysis = analyse(op.message)
  const decision =
    analysis.named.length > 0 ? await decideNamed(principal, analysis.named, deps) : allowed
  return { decision, analysis }
}

/**
 * Denies (403) a query naming any experiment or run the caller may not read, as the REST route
 * for that resource would; otherwise forwards it, and when its answer can hold model versions,
 * reads that answer and drops the versions of registered models the caller may not read.
 */
export async function answerGraphql(
  req: IncomingMessage,
  res: ServerResponse,
  scope: RequestScope,
  op: Operation,
  deps: GraphqlDeps,
): Promise<void> {
  const principal = scope.principal!
  const { decision, analysis } = await decideGraphql(principal, op, scope.decision!, deps)
  scope.decision = decision
  if (!decision.allow) return respondDenied(res, scope)
  const plan = analysis.plan
  if (!plan) return forward(req, res, scope, op, deps.upstream)
  const seen = new Map<string, boolean>()
  const mayRead = (name: string) => {
    let ok = seen.get(name)
    if (ok === undefined) {
      const target = { kind: 'registered-model', name } as const
      ok = decide(principal, 'read', [target], deps.policy, deps.owners).allow
      seen.set(name, ok)
    }
    return ok
  }
  await forwardBuffered(req, res, scope, op, deps.upstream, {
    maxBytes: deps.maxGraphqlResponseBytes,
    setting: 'limits.max_graphql_response_bytes',
    apply: (body, status) => trimBody(body, status, plan, mayRead),
  })
}

/**
 * MLflow answers `{"data": ..., "errors": [...]}` (handlers.py `_graphql`). An answer that is not
 * JSON is passed on only when it is an error page (MLflow's 500 carries no data); a 200 that is
 * not JSON cannot be checked and is refused.
 */
function trimBody(
  body: Buffer,
  status: number,
  plan: Plan,
  mayRead: (name: string) => boolean,
): Buffer {
  let answer: unknown
  try {
    answer = JSON.parse(body.toString('utf8'))
  } catch {
    if (status !== 200) return body
    throw new GatewayError(
      'GW_UPSTREAM_BAD_RESPONSE',
      'MLflow sent a GraphQL answer that is not JSON',
    )
  }
  if (answer === null || typeof answer !== 'object' || !('data' in answer)) {
    if (status !== 200) return body
    throw new GatewayError('GW_UPSTREAM_BAD_RESPONSE', 'MLflow sent a GraphQL answer without data')
  }
  const a = answer as { data: unknown }
  a.data = trimAnswer(a.data, plan, mayRead)
  return Buffer.from(JSON.stringify(answer))
}
