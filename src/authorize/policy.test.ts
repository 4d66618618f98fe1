import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseConfig } from '../config/load.js'
import type { Principal } from '../identify/principal.js'
import { appliesTo, compilePolicy, globToRegExp, grantsFor } from './policy.js'

const HASH =
  'pbkdf2:sha256:1000$IZhA9aWYQ0qXsMJd$0aee8346da11eff96947ce8a5c72f4c386d9e4ca851b0f99aa1adfdaa26f98eb'
const names = ['ann', 'Bob', 'cy']
const groups = ['ml', 'ML', 'ops']

describe('policy', () => {
  it('indexes grants so grantsFor() is exactly the grants appliesTo() accepts', () => {
    const to = fc.constantFrom(
      'anonymous',
      'authenticated',
      ...names.map((n) => `user:${n}`),
      'user:BOB',
      ...groups.map((g) => `group:${g}`),
    )
    const principal: fc.Arbitrary<Principal> = fc.oneof(
      fc.constant({ kind: 'anonymous' } as const),
      fc.record({
        kind: fc.constant('user' as const),
        name: fc.constantFrom('ann', 'bob', 'BOB', 'cy'),
        groups: fc.subarray(groups),
        admin: fc.constant(false),
        via: fc.constant('basic' as const),
      }),
    )
    fc.assert(
      fc.property(fc.array(to, { maxLength: 12 }), principal, (tos, p) => {
        const users = names.map((name) => ({ name, password_hash: HASH }))
        const grants = tos.map((t) => ({ to: t, experiments: ['*'], permission: 'READ' }))
        const policy = compilePolicy(
          parseConfig(JSON.stringify({ access: { users, grants } }), {
            source: 't',
            baseDir: '/',
            env: {},
          }).access,
        )
        const expected = policy.grants
          .filter((g) => appliesTo(g.to, p))
          .map((g) => g.origin)
          .sort()
        expect(
          grantsFor(policy, p)
            .map((g) => g.origin)
            .sort(),
        ).toEqual(expected)
      }),
    )
  })

  it('turns globs into anchored patterns with only * and ? special', () => {
    expect(globToRegExp('public-*').test('public-demo')).toBe(true)
    expect(globToRegExp('public-*').test('x-public-demo')).toBe(false)
    expect(globToRegExp('a?c').test('abc')).toBe(true)
    expect(globToRegExp('a.c').test('abc')).toBe(false)
    expect(globToRegExp('(x)+[y]').test('(x)+[y]')).toBe(true)
  })
})
