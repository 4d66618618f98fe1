/** The zod schemas the admin API validates input with and describes its answers by (one source for both and for OpenAPI). */
import { z } from 'zod'
import { PASSWORD_MAX_LENGTH, newPasswordProblem } from '../identify/new-password.js'
import { CREATE_KINDS, GRANT_RESOURCES, PERMISSION_NAMES } from '../storage/access/grants.js'

/** User and group names: what `checkUserName` in storage/access/users.ts accepts. */
export const name = z
  .string()
  .regex(/^[^\s:]{1,255}$/, 'must be 1 to 255 characters without spaces or colons')

/** A password someone chooses now; the rule is MLflow's (identify/new-password.ts). */
export const newPassword = z
  .string()
  .max(PASSWORD_MAX_LENGTH)
  .superRefine((v, ctx) => {
    const problem = newPasswordProblem(v)
    if (problem) ctx.addIssue({ code: 'custom', message: problem })
  })
  .describe('At least 12 characters, as MLflow requires.')

export const principalRef = z
  .string()
  .regex(
    /^(anonymous|authenticated|user:[^\s:]+|group:[^\s:]+)$/,
    'must be anonymous, authenticated, user:NAME or group:NAME',
  )
  .describe('Who it is for: anonymous, authenticated, user:NAME or group:NAME.')

export const permission = z
  .enum(PERMISSION_NAMES as ['READ', 'USE', 'EDIT', 'MANAGE'])
  .describe('READ < USE < EDIT < MANAGE; each includes the ones before it.')
export const grantResource = z
  .enum(GRANT_RESOURCES as ['experiment', 'experiment-id', 'registered-model'])
  .describe('experiment (name or glob), experiment-id (an id), registered-model (name or glob).')
export const createKind = z.enum(CREATE_KINDS as ['experiment', 'registered-model', 'prompt'])
export const pattern = z
  .string()
  .min(1)
  .max(512)
  .describe('An exact name, a glob (* any run of characters, ? one character), or an id.')

export const origin = z
  .enum(['config', 'api', 'import'])
  .describe('Who made it: the config file (change it there), the API, or an import.')
const timestamp = z.string().describe('ISO 8601, UTC.')

/** A numeric id in a path (a grant's or create right's). */
export const numericId = z
  .string()
  .regex(/^[1-9][0-9]{0,14}$/, 'must be a positive whole number')
  .transform(Number)
export const tokenId = z.string().regex(/^[0-9a-f]{16}$/, 'must be 16 hexadecimal characters')

/** An ISO 8601 time or date in a query, turned into the UTC form the store compares. */
export const instant = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()])
  .transform((v) => new Date(v).toISOString())
  .describe('An ISO 8601 date or date-time with offset, e.g. 2026-05-01 or 2026-05-01T12:00:00Z.')

export const queryBoolean = z.enum(['true', 'false']).transform((v) => v === 'true')

// Answers. Strict objects: a field added by mistake (a hash) fails the response instead of leaking.

export const user = z.strictObject({
  name: z.string(),
  admin: z.boolean(),
  disabled: z.boolean().describe('A disabled user cannot sign in or use tokens.'),
  has_password: z.boolean().describe('False for users who sign in with API tokens only.'),
  groups: z.array(z.string()),
  origin,
  created_at: timestamp,
  updated_at: timestamp,
})

export const group = z.strictObject({
  name: z.string(),
  members: z.array(z.string()),
  origin,
  created_at: timestamp,
})

export const grant = z.strictObject({
  id: z.number().int(),
  to: z.string(),
  resource: grantResource,
  pattern: z.string(),
  permission,
  deny: z.boolean(),
  origin,
  source: z.string().nullable().describe('Where a config grant is written, e.g. access.grants[2].'),
  created_at: timestamp,
})

export const createRight = z.strictObject({
  id: z.number().int(),
  to: z.string(),
  kind: createKind,
  pattern: z.string(),
  origin,
  source: z.string().nullable(),
  created_at: timestamp,
})

export const token = z.strictObject({
  id: z.string().describe('The public part of the token; safe to show and log.'),
  user: z.string(),
  name: z.string(),
  read_only: z.boolean(),
  expires_at: timestamp.nullable(),
  expired: z.boolean(),
  created_at: timestamp,
  last_used_at: timestamp
    .nullable()
    .describe('Recorded in batches: up to a minute late when another gateway served the request.'),
})

export const newToken = token.extend({
  token: z
    .string()
    .describe(
      'The secret, shown only in this answer. Use it as MLFLOW_TRACKING_TOKEN, or as ' +
        'MLFLOW_TRACKING_PASSWORD with MLFLOW_TRACKING_USERNAME.',
    ),
})

export const reason = z.strictObject({ code: z.string(), message: z.string() })

export const auditEvent = z.strictObject({
  id: z.number().int(),
  at: timestamp,
  request_id: z.string(),
  principal: z.string().nullable(),
  method: z.string(),
  path: z.string(),
  route: z.string().nullable(),
  resource: z.string().nullable(),
  client: z.string(),
  allow: z.boolean().nullable(),
  status: z.number().int(),
  reasons: z.array(reason),
  error: z.string().nullable(),
})

export const errorBody = z.strictObject({
  error_code: z.string().describe("MLflow's error code, e.g. INVALID_PARAMETER_VALUE."),
  message: z.string(),
  gateway_code: z.string().describe("The gateway's stable code, e.g. GW_INVALID_PARAMETER."),
  problems: z
    .array(z.strictObject({ field: z.string(), message: z.string() }))
    .optional()
    .describe('Every problem with the input, when it was invalid.'),
})
