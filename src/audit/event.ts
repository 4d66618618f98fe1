/** AuditEvent: the one JSON line recorded per request, built from its RequestScope. */
import { performance } from 'node:perf_hooks'
import type { Reason } from '../authorize/decision.js'
import { principalName } from '../identify/principal.js'
import type { RequestScope } from '../server/scope.js'

export type AuditEvent = {
  readonly type: 'audit'
  readonly request_id: string
  readonly principal: string | null
  readonly method: string
  readonly path: string
  readonly client: string
  readonly allow: boolean | null
  readonly reasons: readonly Reason[]
  readonly status: number
  readonly upstream_status: number | null
  readonly error: string | null
  readonly client_aborted: boolean
  readonly duration_ms: number
}

export function toAuditEvent(scope: RequestScope, status: number): AuditEvent {
  return {
    type: 'audit',
    request_id: scope.id,
    principal: scope.principal ? principalName(scope.principal) : null,
    method: scope.method,
    path: scope.operation?.path ?? scope.rawUrl.split('?')[0] ?? '',
    client: scope.clientAddress,
    allow: scope.decision?.allow ?? null,
    reasons: scope.decision?.reasons ?? [],
    status,
    upstream_status: scope.upstreamStatus ?? null,
    error: scope.error?.code ?? null,
    client_aborted: scope.clientAborted ?? false,
    duration_ms: Math.round((performance.now() - scope.startedAt) * 100) / 100,
  }
}
