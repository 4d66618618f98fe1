import { describe, expect, it } from 'vitest'
import { ANONYMOUS, type Principal } from '../identify/principal.js'
import { decideAdmin } from './admit.js'

const user = (over: Partial<Extract<Principal, { kind: 'user' }>> = {}): Principal => ({
  kind: 'user',
  name: 'u',
  groups: [],
  admin: false,
  via: 'basic',
  ...over,
})

describe('decideAdmin', () => {
  it.each([
    ['anonymous, admin route', ANONYMOUS, 'GET', 'admin', false, 'unauthenticated'],
    ['anonymous, own account', ANONYMOUS, 'GET', 'self', false, 'unauthenticated'],
    ['user, admin route', user(), 'GET', 'admin', false, 'admin-only'],
    ['user, own account read', user(), 'GET', 'self', true, 'authenticated'],
    ['user, own account write', user(), 'POST', 'self', true, 'authenticated'],
    ['admin, admin route write', user({ admin: true }), 'DELETE', 'admin', true, 'admin'],
    [
      'admin with a read-only token, read',
      user({ admin: true, via: 'token', readOnly: true }),
      'GET',
      'admin',
      true,
      'admin',
    ],
    [
      'admin with a read-only token, write',
      user({ admin: true, via: 'token', readOnly: true }),
      'PATCH',
      'admin',
      false,
      'read-only-token',
    ],
    [
      'user with a read-only token, own token creation',
      user({ via: 'token', readOnly: true }),
      'POST',
      'self',
      false,
      'read-only-token',
    ],
  ] as const)('%s', (_name, principal, method, access, allowed, code) => {
    const d = decideAdmin(principal, { method, access })
    expect(d.allow).toBe(allowed)
    expect(d.reasons.map((r) => r.code)).toEqual([code])
  })
})
