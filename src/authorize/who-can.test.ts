import { describe, expect, it } from 'vitest'
import { parseConfig } from '../config/load.js'
import type { Owners } from './owners.js'
import { compilePolicy } from './policy.js'
import { whoCanAccess, type AccessRow } from './who-can.js'

const HASH =
  'pbkdf2:sha256:1000$IZhA9aWYQ0qXsMJd$0aee8346da11eff96947ce8a5c72f4c386d9e4ca851b0f99aa1adfdaa26f98eb'

const policyWith = (anonymous: boolean) =>
  compilePolicy(
    parseConfig(
      `
access:
  anonymous: ${anonymous}
  users:
    - { name: root, password_hash: "${HASH}", admin: true }
    - { name: alice, password_hash: "${HASH}", groups: [ml-team] }
    - { name: bob, password_hash: "${HASH}" }
    - { name: carol, password_hash: "${HASH}" }
    - { name: dave, password_hash: "${HASH}" }
  grants:
    - { to: anonymous, experiments: ["shared-*"], permission: READ }
    - { to: authenticated, experiment_ids: ["7"], permission: USE }
    - { to: group:ml-team, experiments: ["shared-*"], permission: EDIT }
    - { to: user:bob, experiments: ["shared-team"], permission: MANAGE }
    - { to: user:bob, experiment_ids: ["7"], permission: EDIT, deny: true }
    - { to: user:carol, experiments: ["other"], permission: MANAGE }
`,
      { source: 'test', baseDir: '/', env: {} },
    ).access,
  )

const owners: Owners = {
  ownerOf: (kind, key) => (kind === 'experiment' && key === '7' ? 'dave' : undefined),
  ownedBy: (kind, owner) => (kind === 'experiment' && owner === 'dave' ? ['7'] : []),
  record: async () => undefined,
  forget: async () => undefined,
}

const summary = (r: AccessRow) => ({
  who: r.principal,
  permission: r.permission ?? null,
  grants: r.grants.map((s) => `${s.via}/${s.match}/${s.grant.permission}`),
  denies: r.denies.map((s) => `${s.via}/${s.match}/${s.grant.permission}`),
  admin: r.admin,
  owner: r.owner,
})

describe('whoCanAccess', () => {
  it('lists each principal with the level decide() allows and the grants that give it', () => {
    const access = whoCanAccess({ id: '7', name: 'shared-team' }, policyWith(true), owners)
    expect(access.covering.map((s) => s.grant.origin)).toEqual([
      'access.grants[0]',
      'access.grants[1]',
      'access.grants[2]',
      'access.grants[3]',
      'access.grants[4]',
    ])
    expect(access.rows.map(summary)).toEqual([
      {
        who: 'anonymous',
        permission: 'READ',
        grants: ['anonymous/pattern/READ'],
        denies: [],
        admin: false,
        owner: false,
      },
      {
        who: 'authenticated',
        permission: 'USE',
        grants: ['anonymous/pattern/READ', 'authenticated/id/USE'],
        denies: [],
        admin: false,
        owner: false,
      },
      {
        who: 'alice',
        permission: 'EDIT',
        grants: ['anonymous/pattern/READ', 'authenticated/id/USE', 'group/pattern/EDIT'],
        denies: [],
        admin: false,
        owner: false,
      },
      {
        // MANAGE by name, but a deny of EDIT by id caps bob at USE.
        who: 'bob',
        permission: 'USE',
        grants: ['anonymous/pattern/READ', 'authenticated/id/USE', 'user/name/MANAGE'],
        denies: ['user/id/EDIT'],
        admin: false,
        owner: false,
      },
      {
        who: 'dave',
        permission: 'MANAGE',
        grants: ['anonymous/pattern/READ', 'authenticated/id/USE'],
        denies: [],
        admin: false,
        owner: true,
      },
      {
        who: 'root',
        permission: 'MANAGE',
        grants: ['anonymous/pattern/READ', 'authenticated/id/USE'],
        denies: [],
        admin: true,
        owner: false,
      },
    ])
    // carol's grant names another experiment: she gets what every signed-in user gets.
    expect(access.others).toEqual(['carol'])
  })

  it('gives anonymous nothing when the gateway does not serve visitors', () => {
    const access = whoCanAccess({ id: '9', name: 'shared-x' }, policyWith(false))
    expect(access.anonymousServed).toBe(false)
    expect(access.rows[0]).toMatchObject({ principal: 'anonymous', permission: undefined })
    expect(access.rows[0]!.grants).toHaveLength(1)
    expect(access.rows[1]).toMatchObject({ principal: 'authenticated', permission: 'READ' })
  })
})
