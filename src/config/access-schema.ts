/** The `access` section of the config: who exists, who may do what, and who may create. */
import { z } from 'zod'
import { hashFormatProblem } from '../identify/password.js'

export const PERMISSIONS = ['READ', 'USE', 'EDIT', 'MANAGE'] as const

/** `anonymous`, `authenticated`, `user:NAME` or `group:NAME`. */
const principalRef = z
  .string()
  .regex(
    /^(anonymous|authenticated|user:[^\s:]+|group:[^\s:]+)$/,
    'must be anonymous, authenticated, user:NAME or group:NAME',
  )
  .describe('Who a grant is for: anonymous, authenticated, user:NAME or group:NAME.')

/** Names or glob patterns (`*` any run of characters, `?` one character). */
const patterns = (what: string) =>
  z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe(`${what}: exact names or glob patterns (* and ?).`)

const user = z.strictObject({
  name: z.string().regex(/^[^\s:]+$/, 'must be a name without spaces or colons'),
  password_hash: z
    .string()
    .superRefine((v, ctx) => {
      const problem = hashFormatProblem(v)
      if (problem)
        ctx.addIssue({
          code: 'custom',
          message: `${problem} (make one with: mlflow-gate hash-password)`,
        })
    })
    .describe('Werkzeug-format hash, as printed by `mlflow-gate hash-password`.'),
  admin: z.boolean().default(false).describe('Admins may do everything.'),
  groups: z
    .array(z.string().regex(/^[^\s:]+$/))
    .default([])
    .describe('Groups the user belongs to.'),
})

const grant = z
  .strictObject({
    to: principalRef,
    experiments: patterns('Experiments by name'),
    experiment_ids: z
      .array(z.string().regex(/^\d+$/, 'must be a numeric experiment id'))
      .min(1)
      .optional(),
    registered_models: patterns('Registered models (and their prompts, versions, aliases) by name'),
    permission: z
      .enum(PERMISSIONS)
      .describe('READ < USE < EDIT < MANAGE; each includes the ones before it.'),
    deny: z
      .boolean()
      .default(false)
      .describe(
        'A deny grant removes this permission (and those above it) whatever allows it elsewhere.',
      ),
  })
  .refine((g) => g.experiments || g.experiment_ids || g.registered_models, {
    message: 'a grant must name experiments, experiment_ids or registered_models',
  })

const createRight = z
  .strictObject({
    to: principalRef,
    experiments: patterns('May create experiments with these names'),
    registered_models: patterns('May create registered models with these names'),
    prompts: patterns('May create prompts with these names'),
  })
  .refine((c) => c.experiments || c.registered_models || c.prompts, {
    message: 'a create right must name experiments, registered_models or prompts',
  })

export const accessSchema = z
  .strictObject({
    anonymous: z
      .boolean()
      .default(false)
      .describe(
        'Serve callers without credentials as the principal `anonymous` (they get only what grants to anonymous allow). When false they get 401.',
      ),
    apply_on_start: z
      .boolean()
      .default(true)
      .describe(
        'At start, make the store match the users, groups (from users[].groups), grants and create rights below (what `mlflow-gate apply` does). Objects made through the API, UI or an import are left alone. Set false to manage the store only with `mlflow-gate apply` and the API.',
      ),
    custom_artifact_locations: z
      .boolean()
      .default(false)
      .describe(
        "Let users who are not admins give a new experiment its own `artifact_location`. Off by default: MLflow stores and later reads from that location with the server's own access (an `http://` location made MLflow 2.x fetch from any host), and a location inside another experiment's folder overlaps it.",
      ),
    users: z.array(user).default([]),
    grants: z.array(grant).default([]),
    create: z
      .array(createRight)
      .default([])
      .describe('The separate right to create; READ/USE/EDIT never imply it.'),
  })
  .superRefine((access, ctx) => {
    const seen = new Map<string, number>()
    access.users.forEach((u, i) => {
      const key = u.name.toLowerCase()
      if (seen.has(key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['users', i, 'name'],
          message: `duplicate user (also users[${seen.get(key)}]; names compare case-insensitively)`,
        })
      }
      seen.set(key, i)
    })
    const checkUserRef = (to: string, path: (string | number)[]) => {
      if (to.startsWith('user:') && !seen.has(to.slice(5).toLowerCase())) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `no user named '${to.slice(5)}' in access.users`,
        })
      }
    }
    access.grants.forEach((g, i) => checkUserRef(g.to, ['grants', i, 'to']))
    access.create.forEach((c, i) => checkUserRef(c.to, ['create', i, 'to']))
  })
  .prefault({})
  .describe(
    'Who may do what. Without this section nobody is anonymous-enabled and nothing is granted.',
  )

export type AccessConfig = z.output<typeof accessSchema>
