import { describe, expect, it } from 'vitest'
import type { Action } from '../classify/row.js'
import { parseConfig } from '../config/load.js'
import { ANONYMOUS, type Principal } from '../identify/principal.js'
import { decide, type Target } from './decide.js'
import { compilePolicy } from './policy.js'

const HASH =
  'pbkdf2:sha256:1000$IZhA9aWYQ0qXsMJd$0aee8346da11eff96947ce8a5c72f4c386d9e4ca851b0f99aa1adfdaa26f98eb'

const policy = compilePolicy(
  parseConfig(
    `
access:
  anonymous: true
  users:
    - { name: guest, password_hash: "${HASH}" }
    - { name: alice, password_hash: "${HASH}", groups: [ml-team] }
    - { name: bob, password_hash: "${HASH}" }
    - { name: root, password_hash: "${HASH}", admin: true }
  grants:
    - { to: anonymous, experiments: ["public-*"], registered_models: ["demo-*"], permission: READ }
    - { to: user:guest, experiments: ["*"], registered_models: ["*"], permission: READ }
    - { to: group:ml-team, experiment_ids: ["12"], permission: EDIT }
    - { to: user:bob, experiments: ["*"], permission: MANAGE }
    - { to: user:bob, experiments: ["secret-*"], permission: READ, deny: true }
  create:
    - { to: group:ml-team, experiments: ["team-*"] }
`,
    { source: 'test', baseDir: '/', env: {} },
  ).access,
)

const user = (name: string, groups: string[] = [], admin = false): Principal => ({
  kind: 'user',
  name,
  groups,
  admin,
  via: 'basic',
})
const exp = (id: string, name: string): Target => ({ kind: 'experiment', id, name })
const model = (name: string): Target => ({ kind: 'registered-model', name })
const create = (what: 'experiment' | 'registered-model' | 'prompt', name: string): Target => ({
  kind: 'create',
  what,
  name,
})

const cases: [string, Principal, Action, Target[], boolean, string][] = [
  [
    'anonymous reads a public experiment',
    ANONYMOUS,
    'read',
    [exp('1', 'public-demo')],
    true,
    'grant-allows',
  ],
  [
    'anonymous cannot read a private one',
    ANONYMOUS,
    'read',
    [exp('2', 'private')],
    false,
    'no-grant',
  ],
  [
    'anonymous cannot log to a public one',
    ANONYMOUS,
    'update',
    [exp('1', 'public-demo')],
    false,
    'no-grant',
  ],
  ['anonymous reads a demo model', ANONYMOUS, 'read', [model('demo-iris')], true, 'grant-allows'],
  [
    'anonymous may not create',
    ANONYMOUS,
    'create',
    [create('experiment', 'public-x')],
    false,
    'no-create-right',
  ],
  [
    'guest reads everything',
    user('guest'),
    'read',
    [exp('2', 'private'), model('prod')],
    true,
    'grant-allows',
  ],
  ['guest writes nothing', user('guest'), 'update', [exp('2', 'private')], false, 'no-grant'],
  [
    'guest creates nothing',
    user('guest'),
    'create',
    [create('registered-model', 'm')],
    false,
    'no-create-right',
  ],
  [
    'READ never implies create',
    user('guest'),
    'create',
    [create('experiment', 'x')],
    false,
    'no-create-right',
  ],
  [
    'the team edits 12 by id',
    user('alice', ['ml-team']),
    'update',
    [exp('12', 'anything')],
    true,
    'grant-allows',
  ],
  [
    'EDIT does not cover delete (in MLflow only MANAGE can_delete)',
    user('alice', ['ml-team']),
    'delete',
    [exp('12', 'anything')],
    false,
    'no-grant',
  ],
  [
    'EDIT is not MANAGE',
    user('alice', ['ml-team']),
    'manage',
    [exp('12', 'anything')],
    false,
    'no-grant',
  ],
  [
    'EDIT on 12 is nothing on 13',
    user('alice', ['ml-team']),
    'read',
    [exp('13', 'x')],
    false,
    'no-grant',
  ],
  [
    'the team creates team-*',
    user('alice', ['ml-team']),
    'create',
    [create('experiment', 'team-a')],
    true,
    'create-right',
  ],
  [
    'but not other names',
    user('alice', ['ml-team']),
    'create',
    [create('experiment', 'x')],
    false,
    'no-create-right',
  ],
  ['deny beats allow', user('bob'), 'read', [exp('5', 'secret-plans')], false, 'grant-denies'],
  [
    'deny of READ blocks EDIT too',
    user('bob'),
    'update',
    [exp('5', 'secret-plans')],
    false,
    'grant-denies',
  ],
  ['allow elsewhere still works', user('bob'), 'manage', [exp('6', 'open')], true, 'grant-allows'],
  ['users get what anonymous gets', user('bob'), 'read', [model('demo-x')], true, 'grant-allows'],
  [
    'names compare case-insensitively',
    user('GUEST'),
    'read',
    [exp('2', 'private')],
    true,
    'grant-allows',
  ],
  [
    'every target must pass',
    ANONYMOUS,
    'read',
    [exp('1', 'public-a'), exp('2', 'private')],
    false,
    'no-grant',
  ],
  ['admins may do everything', user('root', [], true), 'admin', [], true, 'admin'],
  ['others may not use admin routes', user('bob'), 'admin', [], false, 'admin-only'],
  ['public routes need nobody', ANONYMOUS, 'public', [], true, 'public-route'],
  [
    'denied routes stay denied even for admins',
    user('root', [], true),
    'deny',
    [],
    false,
    'route-denied',
  ],
  ['authenticated routes need a user', ANONYMOUS, 'authenticated', [], false, 'unauthenticated'],
  [
    'guest may list all experiments',
    user('guest'),
    'read',
    [{ kind: 'all', of: 'experiment' }],
    true,
    'grant-allows',
  ],
  [
    'public-* is not all experiments',
    ANONYMOUS,
    'read',
    [{ kind: 'all', of: 'experiment' }],
    false,
    'no-grant',
  ],
  [
    'a partial deny blocks listing all',
    user('bob'),
    'read',
    [{ kind: 'all', of: 'experiment' }],
    false,
    'grant-denies',
  ],
  ['patterns are anchored', ANONYMOUS, 'read', [exp('3', 'not-public-x')], false, 'no-grant'],
]

describe('decide', () => {
  it.each(cases)('%s', (_name, principal, action, targets, allowed, code) => {
    const d = decide(principal, action, targets, policy)
    expect(d.allow).toBe(allowed)
    expect(d.reasons.map((r) => r.code)).toContain(code)
  })

  it('says in the reason what was needed and on what', () => {
    const d = decide(ANONYMOUS, 'update', [exp('1', 'public-demo')], policy)
    expect(d.reasons[0]!.message).toBe(
      "anonymous needs EDIT on experiment 1 ('public-demo'), and no grant gives it",
    )
  })
})

describe('a new experiment with its own artifact_location', () => {
  const at = (location: string): Target => ({
    kind: 'create',
    what: 'experiment',
    name: 'team-x',
    artifactLocation: location,
  })
  const alice = user('alice', ['ml-team'])

  it('is for admins only by default, even with the right to create the name', () => {
    const d = decide(alice, 'create', [at('http://169.254.169.254/')], policy)
    expect(d.allow).toBe(false)
    expect(d.reasons.map((r) => r.code)).toEqual(['custom-artifact-location'])
    expect(decide(alice, 'create', [create('experiment', 'team-x')], policy).allow).toBe(true)
    expect(decide(user('root', [], true), 'create', [at('s3://b/x')], policy).allow).toBe(true)
  })

  it('is allowed to holders of the create right when the config says so', () => {
    const open = { ...policy, customArtifactLocations: true }
    expect(decide(alice, 'create', [at('s3://b/x')], open).allow).toBe(true)
    expect(decide(user('bob'), 'create', [at('s3://b/x')], open).reasons[0]!.code).toBe(
      'no-create-right',
    )
  })
})
