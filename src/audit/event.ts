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
  /** The catalogue row's template and action, e.g. `POST /api/2.0/mlflow/runs/log-metric [update]`. */
  readonly route: string | null
  /** What the request named, e.g. `run 6b2f...`; null when it names nothing. */
  readonly resource: string | null
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
  const row = scope.operation?.row
  const ids = scope.operation?.ids
  return {
    type: 'audit',
    request_id: scope.id,
    principal: scope.principal ? principalName(scope.principal) : null,
    method: scope.method,
    path: scope.operation?.path ?? scope.rawUrl.split('?')[0] ?? '',
    route: row ? `${row.method} ${row.path} [${row.action}]` : null,
    resource: ids ? `${ids.kind} ${ids.values.join(',')}` : null,
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
