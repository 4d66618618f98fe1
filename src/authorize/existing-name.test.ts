import { describe, expect, it } from 'vitest'
import type { Operation } from '../classify/index.js'
import type { Row } from '../classify/row.js'
import { parseConfig } from '../config/load.js'
import type { Principal } from '../identify/principal.js'
import { allow, deny, reason } from './decision.js'
import { asExistingName } from './existing-name.js'
import { compilePolicy } from './policy.js'
import type { Resolver } from './resolve.js'

const HASH =
  'pbkdf2:sha256:1000$IZhA9aWYQ0qXsMJd$0aee8346da11eff96947ce8a5c72f4c386d9e4ca851b0f99aa1adfdaa26f98eb'

const policy = compilePolicy(
  parseConfig(
    `
access:
  users:
    - { name: alice, password_hash: "${HASH}" }
  grants:
    - { to: user:alice, experiments: ["team-*"], registered_models: ["team-*"], permission: EDIT }
`,
    { source: 'test', baseDir: '/', env: {} },
  ).access,
)
const alice: Principal = { kind: 'user', name: 'alice', groups: [], admin: false, via: 'basic' }

const EXISTING = new Set(['team-model', 'private-model'])
const resolver = {
  registeredModelExists: async (name: string) => EXISTING.has(name),
  experimentByName: async (name: string) =>
    ['team-exp', 'private-exp'].includes(name) ? { id: '7', name } : undefined,
} as unknown as Resolver

const create = (kind: 'experiment' | 'registered-model', name: string): Operation =>
  ({
    method: 'POST',
    path: '/api/2.0/mlflow/registered-models/create',
    target: '/api/2.0/mlflow/registered-models/create',
    row: { action: 'create' } as Row,
    ids: { kind, by: 'name', values: [name] },
    message: { name },
    streamsBody: false,
  }) as Operation

const noRight = deny(reason('no-create-right', 'alice may not create'))

describe('asExistingName', () => {
  it.each([
    ['registered-model', 'team-model', 'Registered Model (name=team-model) already exists.'],
    ['experiment', 'team-exp', 'Experiment (name=team-exp) already exists.'],
  ] as const)(
    'a create of an existing, readable %s answers already-exists',
    async (kind, name, msg) => {
      const d = await asExistingName(create(kind, name), alice, noRight, { policy, resolver })
      expect(d).toEqual(deny(...noRight.reasons, reason('already-exists', msg)))
    },
  )

  it.each([
    ['a name the caller may not read', create('registered-model', 'private-model'), noRight],
    ['a readable name that does not exist', create('registered-model', 'team-new'), noRight],
    ['an experiment the caller may not read', create('experiment', 'private-exp'), noRight],
    ['an allowed create', create('registered-model', 'team-model'), allow()],
    [
      'a denial for another reason',
      create('registered-model', 'team-model'),
      deny(reason('read-only-token', 'read-only')),
    ],
  ])('leaves %s denied as it was', async (_, op, decision) => {
    expect(await asExistingName(op, alice, decision, { policy, resolver })).toBe(decision)
  })
})
