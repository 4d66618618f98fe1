import { describe, expect, it } from 'vitest'
import type { Caller } from '../../admin/route.js'
import { GatewayError } from '../../server/errors.js'
import { callApi, refusalText } from './call-api.js'
import type { PageDeps } from './page-route.js'

const caller = (admin: boolean, readOnly?: true): Caller => ({
  kind: 'user',
  name: 'ann',
  groups: [],
  admin,
  via: 'session',
  ...(readOnly && { readOnly }),
})
// Refusals happen before a handler touches anything, so no dependencies are needed.
const deps = {} as PageDeps

async function refusal(p: Promise<unknown>): Promise<GatewayError> {
  try {
    await p
  } catch (err) {
    if (err instanceof GatewayError) return err
    throw err
  }
  throw new Error('expected a refusal')
}

describe('callApi', () => {
  it("checks the route's access rule as the API does", async () => {
    const notAdmin = await refusal(callApi({ caller: caller(false), deps }, 'listUsers'))
    expect(notAdmin.code).toBe('GW_PERMISSION_DENIED')
    const readOnly = await refusal(
      callApi({ caller: caller(true, true), deps }, 'createGroup', { body: { name: 'g' } }),
    )
    expect([readOnly.code, readOnly.message]).toEqual([
      'GW_PERMISSION_DENIED',
      'ann used a read-only API token; it only reads',
    ])
  })

  it("reads the input with the route's schemas and says every problem by field", async () => {
    const err = await refusal(
      callApi({ caller: caller(true), deps }, 'createUser', {
        body: { name: 'has space', password: 'short', admin: true },
      }),
    )
    expect(refusalText(err)).toBe(
      'Name: must be 1 to 255 characters without spaces or colons. ' +
        'Password: a password must be at least 12 characters',
    )
    const unknown = await refusal(
      callApi({ caller: caller(true), deps }, 'updateGrant', {
        params: { id: 'x' },
        body: { permission: 'ALL' },
      }),
    )
    expect(refusalText(unknown)).toBe(
      'Id: must be a positive whole number. Permission: must be one of READ, USE, EDIT, MANAGE',
    )
  })

  it('refuses an id that is no route', async () => {
    await expect(callApi({ caller: caller(true), deps }, 'noSuchRoute')).rejects.toThrow(
      "no admin API route with id 'noSuchRoute'",
    )
  })
})
