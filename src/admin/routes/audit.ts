/** Audit events kept in the store (`audit.store`), newest first, a page at a time. */
import { z } from 'zod'
import { queryAudit } from '../../storage/access/audit.js'
import { route } from '../route.js'
import * as s from '../schemas.js'

const DEFAULT_LIMIT = 100

export const auditRoutes = [
  route({
    id: 'queryAuditEvents',
    method: 'GET',
    path: '/audit-events',
    tag: 'audit',
    summary: 'Query audit events, newest first',
    description:
      "For the next page pass `before_id` = the answer's `next_before_id`. Events reach the " +
      'store in batches, about a second after their request ended.',
    access: 'admin',
    query: z.strictObject({
      principal: z.string().min(1).optional().describe('A user name, or anonymous.'),
      allow: s.queryBoolean.optional().describe('true: allowed requests; false: denied ones.'),
      since: s.instant.optional().describe('Events at or after this time.'),
      until: s.instant.optional().describe('Events at or before this time.'),
      path: z.string().min(1).max(4096).optional().describe('A part of the request path.'),
      before_id: s.numericId.optional().describe('Only events older than this id.'),
      limit: z
        .string()
        .regex(/^([1-9][0-9]{0,2}|1000)$/, 'must be a whole number from 1 to 1000')
        .transform(Number)
        .optional()
        .describe(`Events per page, 1 to 1000 (default ${DEFAULT_LIMIT}).`),
    }),
    response: z.strictObject({
      events: z.array(s.auditEvent),
      next_before_id: z
        .number()
        .int()
        .nullable()
        .describe('Pass as before_id for the next page; null on the last page.'),
    }),
    handler: async ({ query, deps }) => {
      const limit = query.limit ?? DEFAULT_LIMIT
      const events = await queryAudit(deps.access.db, {
        principal: query.principal,
        allow: query.allow,
        since: query.since,
        until: query.until,
        path: query.path,
        beforeId: query.before_id,
        limit,
      })
      const last = events.at(-1)
      return {
        events: events.map((e) => ({ ...e, reasons: e.reasons.map((r) => ({ ...r })) })),
        next_before_id: events.length === limit && last ? last.id : null,
      }
    },
  }),
]
