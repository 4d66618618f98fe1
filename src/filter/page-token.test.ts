import { describe, expect, it } from 'vitest'
import { decodeCursor, encodeCursor } from './page-token.js'

describe('page tokens', () => {
  it('round-trips MLflow’s token and the position inside its page', () => {
    const c = { upstream: 'eyJvZmZzZXQiOiA1MH0=', skip: 7 }
    expect(decodeCursor(encodeCursor(c))).toEqual(c)
    expect(decodeCursor(encodeCursor({ upstream: undefined, skip: 0 }))).toEqual({
      upstream: undefined,
      skip: 0,
    })
  })

  it('starts at the beginning without a token', () => {
    expect(decodeCursor(undefined)).toEqual({ upstream: undefined, skip: 0 })
    expect(decodeCursor('')).toEqual({ upstream: undefined, skip: 0 })
  })

  it.each([
    'abc',
    'eyJvZmZzZXQiOiA1MH0=',
    'gate1.!!!',
    `gate1.${Buffer.from('{"u":1,"s":-1}').toString('base64url')}`,
    42,
  ])('refuses a token it did not issue: %s', (token) => {
    expect(() => decodeCursor(token)).toThrow(/not one this gateway issued/)
  })
})
