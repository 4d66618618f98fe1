/** The admin API's answers as the pages receive them from callApi (the API's own zod schemas). */
import type { z } from 'zod'
import type * as s from '../../admin/schemas.js'

export type UserJson = z.input<typeof s.user>
export type GroupJson = z.input<typeof s.group>
export type GrantJson = z.input<typeof s.grant>
export type CreateRightJson = z.input<typeof s.createRight>
export type TokenJson = z.input<typeof s.token>
export type NewTokenJson = z.input<typeof s.newToken>
export type AuditEventJson = z.input<typeof s.auditEvent>
