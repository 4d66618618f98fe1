import { describe, expect, it } from 'vitest'
import { parseConfig } from '../config/load.js'
import { ANONYMOUS, type Principal } from '../identify/principal.js'
import { NO_OWNERS, type Owners } from './owners.js'
import { compilePolicy } from './policy.js'
import { MAX_READABLE_IDS, readableExperimentIds, type IdsNamed } from './readable-ids.js'

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
/** What MLflow would list for each glob; `huge-*` matches too many to list. */
const idsNamed: IdsNamed = async (pattern) =>
  ({ 'public-*': ['7', '8'], 'team-?': ['9'], 'none-*': [], 'exact-a': ['5'], 'exact-b': [] })[
    pattern
  ]
const sorted = async (p: Promise<readonly string[] | undefined>) => {
  const ids = await p
  return ids && [...ids].sort()
}

describe('readableExperimentIds', () => {
  it("lists ids from the caller's, their groups' and everyone's grants, what they created, and what name patterns match", async () => {
    const policy = policyWith(`
    - { to: user:ann, experiment_ids: ["1", "2"], permission: READ }
    - { to: group:team, experiment_ids: ["3"], experiments: ["team-?"], permission: EDIT }
    - { to: anonymous, experiment_ids: ["4"], experiments: ["public-*"], permission: READ }
    - { to: user:ann, experiment_ids: ["2"], permission: READ, deny: true }
    - { to: user:ann, experiments: ["huge-*"], permission: READ, deny: true }
    - { to: user:ann, registered_models: ["m-*"], permission: READ }
    - { to: user:ann, experiments: ["exact-a", "exact-b"], permission: READ }`)
    expect(await sorted(readableExperimentIds(ann, policy, owners, idsNamed))).toEqual([
      '1',
      '2',
      '3',
      '4',
      '40',
      '5',
      '7',
      '8',
      '9',
    ])
    expect(await sorted(readableExperimentIds(ANONYMOUS, policy, owners, idsNamed))).toEqual([
      '4',
      '7',
      '8',
    ])
  })

  it('is an empty list when nothing can be read', async () => {
    const policy = policyWith(`    - { to: user:ann, experiments: ["none-*"], permission: READ }`)
    expect(await readableExperimentIds(ann, policy, NO_OWNERS, idsNamed)).toEqual([])
  })

  it('gives no list for a * grant, a pattern that cannot be listed, too many ids, or an admin', async () => {
    const cases = [
      `    - { to: authenticated, experiments: ["*"], permission: READ }`,
      `    - { to: user:ann, experiments: ["huge-*"], permission: READ }`,
      `    - { to: user:ann, experiments: [${Array.from({ length: 9 }, (_, i) => `"p${i}-*"`).join(', ')}], permission: READ }`,
      `    - { to: user:ann, experiment_ids: [${Array.from({ length: MAX_READABLE_IDS + 1 }, (_, i) => `"${i}"`).join(', ')}], permission: READ }`,
    ]
    for (const grants of cases)
      expect(await readableExperimentIds(ann, policyWith(grants), NO_OWNERS, idsNamed)).toBe(
        undefined,
      )
    const admin = { ...ann, admin: true }
    expect(await readableExperimentIds(admin, policyWith(cases[1]!), owners, idsNamed)).toBe(
      undefined,
    )
  })
})
