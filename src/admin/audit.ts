/** One audit event per admin API request, in the same shape and sinks as MLflow traffic's, so changes to access are on record. */
import { performance } from 'node:perf_hooks'
import type { AuditEvent } from '../audit/event.js'
import type { Decision } from '../authorize/decision.js'
import { principalName, type Principal } from '../identify/principal.js'
import type { ErrorCode } from '../server/errors.js'

/** What the admin API learns about one request as it goes. */
export type AdminCall = {
  readonly id: string
  readonly startedAt: number
  /** The route template and who may use it, e.g. `PATCH /_gate/api/v1/users/:name [admin]`. */
  route?: string
  principal?: Principal
  decision?: Decision
  error?: ErrorCode
}

export function newCall(id: string): AdminCall {
  return { id, startedAt: performance.now() }
}

export function adminAuditEvent(
  call: AdminCall,
  req: { method: string; path: string; client: string },
  status: number,
  aborted: boolean,
): AuditEvent {
  return {
    type: 'audit',
    request_id: call.id,
    principal: call.principal ? principalName(call.principal) : null,
    method: req.method,
    path: req.path,
    route: call.route ?? null,
    resource: null,
    client: req.client,
    allow: call.decision?.allow ?? null,
    reasons: call.decision?.reasons ?? [],
    status,
    upstream_status: null,
    error: call.error ?? null,
    client_aborted: aborted,
    duration_ms: Math.round((performance.now() - call.startedAt) * 100) / 100,
  }
}
