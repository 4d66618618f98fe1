/** Audit events in the store: written in batches by the audit sink, queried by the admin API and pages. */
import { sql, type Kysely } from 'kysely'
import type { AuditEvent } from '../../audit/event.js'
import type { Database } from '../database.js'

export type AuditQuery = {
  readonly principal?: string
  readonly allow?: boolean
  /** ISO-8601 bounds on the event time, inclusive. */
  readonly since?: string
  readonly until?: string
  /** A substring of the path. */
  readonly path?: string
  /** Events with an id below this (the next page of a newest-first listing). */
  readonly beforeId?: number
  readonly limit?: number
}

export type StoredAuditEvent = Omit<
  AuditEvent,
  'type' | 'upstream_status' | 'client_aborted' | 'duration_ms'
> & {
  readonly id: number
  readonly at: string
}

export async function insertAuditEvents(
  db: Kysely<Database>,
  events: readonly (AuditEvent & { at: string })[],
): Promise<void> {
  if (events.length === 0) return
  await db
    .insertInto('audit_events')
    .values(
      events.map((e) => ({
        at: e.at,
        request_id: e.request_id,
        principal: e.principal,
        method: e.method,
        path: e.path.slice(0, 4096),
        route: e.route,
        resource: e.resource,
        client: e.client,
        allow: e.allow === null ? null : e.allow ? 1 : 0,
        status: e.status,
        reasons: JSON.stringify(e.reasons),
        error: e.error,
      })),
    )
    .execute()
}

/** Newest first, at most 1000 a page. */
export async function queryAudit(
  db: Kysely<Database>,
  q: AuditQuery = {},
): Promise<StoredAuditEvent[]> {
  let s = db
    .selectFrom('audit_events')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(Math.min(Math.max(q.limit ?? 100, 1), 1000))
  if (q.principal !== undefined) s = s.where('principal', '=', q.principal)
  if (q.allow !== undefined) s = s.where('allow', '=', q.allow ? 1 : 0)
  if (q.since !== undefined) s = s.where('at', '>=', q.since)
  if (q.until !== undefined) s = s.where('at', '<=', q.until)
  if (q.path !== undefined) {
    // An explicit ESCAPE: SQLite's LIKE has no default escape character, PostgreSQL's is `\`.
    const pattern = `%${q.path.replace(/[%_\\]/g, '\\$&')}%`
    s = s.where(sql<boolean>`path like ${pattern} escape '\\'`)
  }
  if (q.beforeId !== undefined) s = s.where('id', '<', q.beforeId)
  return (await s.execute()).map((r) => ({
    id: r.id,
    at: r.at,
    request_id: r.request_id,
    principal: r.principal,
    method: r.method,
    path: r.path,
    route: r.route,
    resource: r.resource,
    client: r.client,
    allow: r.allow === null ? null : r.allow === 1,
    status: r.status,
    reasons: JSON.parse(r.reasons) as StoredAuditEvent['reasons'],
    error: r.error,
  }))
}
