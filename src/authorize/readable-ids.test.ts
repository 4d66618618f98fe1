import { describe, expect, it } from 'vitest'
import { parseConfig } from '../config/load.js'
import { ANONYMOUS, type Principal } from '../identify/principal.js'
import { NO_OWNERS, type Owners } from './owners.js'
import { compilePolicy } from './policy.js'
import { MAX_READABLE_IDS, readableExperimentIds } from './readable-ids.js'

const HASH =
  'pbkdf2:sha256:1000$IZhA9aWYQ0qXsMJd$0aee8346da11eff96947ce8a5c72f4c386d9e4ca851b0f99aa1adfdaa26f98eb'

const policyWith = (grants: string) =>
  compilePolicy(
    parseConfig(
      `
access:
  anonymous: true
  users:
    - { name: ann, password_hash: "${HASH}", groups: [team] }
  grants:
${grants}
`,
      { source: 'test', baseDir: '/', env: {} },
    ).access,
  )
const ann: Principal = { kind: 'user', name: 'Ann', groups: ['team'], admin: false, via: 'basic' }
const owners: Owners = { ...NO_OWNERS, ownedBy: (_, owner) => (owner === 'ann' ? ['40'] : []) }

describe('readableExperimentIds', () => {
  it("lists ids from the caller's, their groups' and everyone's grants, and what they created", () => {
    const policy = policyWith(`
    - { to: user:ann, experiment_ids: ["1", "2"], permission: READ }
    - { to: group:team, experiment_ids: ["3"], permission: EDIT }
    - { to: anonymous, experiment_ids: ["4"], permission: READ }
    - { to: user:ann, experiment_ids: ["2"], permission: READ, deny: true }
    - { to: user:ann, registered_models: ["m-*"], permission: READ }`)
    expect([...readableExperimentIds(ann, policy, owners)!].sort()).toEqual([
      '1',
      '2',
      '3',
      '4',
      '40',
    ])
    expect(readableExperimentIds(ANONYMOUS, policy, owners)).toEqual(['4'])
  })

  it('gives no list when a name pattern applies, when there are too many, or none', () => {
    const patterned = policyWith(`
    - { to: user:ann, experiment_ids: ["1"], permission: READ }
    - { to: authenticated, experiments: ["shared-*"], permission: READ }`)
    expect(readableExperimentIds(ann, patterned, NO_OWNERS)).toBeUndefined()
    const many = Array.from({ length: MAX_READABLE_IDS + 1 }, (_, i) => `"${i}"`).join(', ')
    const tooMany = policyWith(
      `    - { to: user:ann, experiment_ids: [${many}], permission: READ }`,
    )
    expect(readableExperimentIds(ann, tooMany, NO_OWNERS)).toBeUndefined()
    const none = policyWith(`    - { to: user:ann, registered_models: ["*"], permission: READ }`)
    expect(readableExperimentIds(ann, none, NO_OWNERS)).toBeUndefined()
    expect(readableExperimentIds({ ...ann, admin: true }, none, owners)).toBeUndefined()
  })
})
