/** MLflow's auth API answered by the gateway (never forwarded): identify, find the route, decide who may call, answer, audit. */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { toAuditEvent } from '../audit/event.js'
import { deny, reason, type Decision } from '../authorize/decision.js'
import type { Ids } from '../classify/ids.js'
import { identify } from '../identify/index.js'
import { responseClosed, toGatewayError } from '../server/pipeline.js'
import { respondDenied, respondError, respondJson } from '../server/respond.js'
import { newScope, type RequestScope } from '../server/scope.js'
import { readParams } from './request.js'
import type { AuthApiDeps, AuthRoute, Call } from './route.js'
import { findRoute } from './routes.js'

export { AUTH_PATHS } from './routes.js'
export type { AuthApiDeps } from './route.js'

/** Handles one request to an auth path. Never throws; the audit line is written at the end. */
export async function handleAuthApi(
  req: IncomingMessage,
  res: ServerResponse,
  deps: AuthApiDeps,
): Promise<void> {
  const scope = newScope(req)
  const refuse = (decision: Decision) => {
    scope.decision = decision
    respondDenied(res, scope)
  }
  try {
    const principal = (scope.principal = await identify(req, deps.identifiers, deps.throttle))
    const query = scope.rawUrl.indexOf('?')
    const path = query === -1 ? scope.rawUrl : scope.rawUrl.slice(0, query)
    const search = query === -1 ? '' : scope.rawUrl.slice(query + 1)
    const route = findRoute(scope.method, path)
    scope.operation = operation(scope, path, route)
    if (!route) return refuse(unknown(scope.method, path))
    if (principal.kind === 'anonymous') return refuse(anonymous(route, deps))
    if (route.writes && principal.readOnly)
      return refuse(
        deny(
          reason('read-only-token', `${principal.name} used a read-only API token; it only reads`),
        ),
      )
    const method = scope.method === 'HEAD' ? 'GET' : scope.method
    const params = await readParams(req, method, new URLSearchParams(search), deps.maxJsonBodyBytes)
    const call: Call = { principal, params, deps, client: scope.clientAddress }
    scope.operation = operation(
      scope,
      path,
      route,
      safely(() => route.resource?.(call)),
    )
    scope.decision = await route.authorize(call)
    if (!scope.decision.allow) return respondDenied(res, scope)
    const body = await route.run(call)
    // The caller's next request (with a new password, a new grant) must be decided on this change.
    if (route.writes) await deps.policy.refresh()
    respondJson(res, scope, body)
  } catch (err) {
    respondError(res, scope, toGatewayError(err, deps.log, scope.id))
  } finally {
    await responseClosed(res)
    if (!res.writableFinished && !scope.error) scope.clientAborted = true
    deps.audit.emit(toAuditEvent(scope, res.statusCode))
  }
}

/**
 * Every auth route needs a signed-in user, as in MLflow. An anonymous visitor asking who is signed
 * in (the UI does on every page) gets 401 without a Basic challenge when anonymous visitors are
 * served, so browsing the UI raises no sign-in prompt; otherwise the challenge goes out as
 * MLflow's would.
 */
function anonymous(route: AuthRoute, deps: AuthApiDeps): Decision {
  return route.quietWhenAnonymous && deps.policy.current.anonymousEnabled
    ? deny(reason('not-signed-in', 'nobody is signed in'))
    : deny(reason('unauthenticated', "sign in to use MLflow's auth API"))
}

function unknown(method: string, path: string): Decision {
  return deny(reason('unknown-endpoint', `${method} ${path} is not a route of MLflow's auth API`))
}

/** What the audit line names: the route as a catalogue-like row, and the resource when known. */
function operation(scope: RequestScope, path: string, route?: AuthRoute, ids?: Ids) {
  return {
    method: scope.method,
    path,
    target: scope.rawUrl,
    message: {},
    streamsBody: false,
    ...(route && {
      row: {
        method: route.method,
        path,
        action: route.action,
        body: 'json' as const,
        source: route.source,
      },
    }),
    ...(ids && { ids }),
  }
}

/** A resource that cannot be read from the parameters is simply not named in the audit line. */
function safely<T>(fn: () => T): T | undefined {
  try {
    return fn()
  } catch {
    return undefined
  }
}
