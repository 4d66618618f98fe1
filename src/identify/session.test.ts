import type { IncomingMessage } from 'node:http'
import { pino } from 'pino'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { compileSnapshot, type Policy } from '../authorize/policy.js'
import { accessStore, type AccessStore } from '../storage/access/index.js'
import { createUser } from '../storage/access/users.js'
import { openStore, type Store } from '../storage/open.js'
import { createSessions, readCookie } from './session.js'

const MIN = 60_000

describe('sessions', () => {
  let store: Store
  let access: AccessStore
  let policy: Policy
  beforeEach(async () => {
    store = await openStore('sqlite::memory:')
    access = accessStore(store)
    await access.change((t) => createUser(t, { name: 'ann', passwordHash: null, origin: 'api' }))
    policy = compileSnapshot(await access.snapshot(), {
      anonymousEnabled: false,
      customArtifactLocations: false,
    })
  })
  afterEach(() => store.close())

  const request = (cookie?: string, method = 'GET') =>
    ({
      method,
      headers: cookie ? { cookie } : {},
      socket: { remoteAddress: '127.0.0.1' },
    }) as unknown as IncomingMessage

  it('end after the idle time without use, and at the absolute end however used', async () => {
    let t = Date.now()
    const sessions = createSessions(
      access,
      () => policy,
      { idleMs: 10 * MIN, absoluteMs: 60 * MIN, secure: false, publicOrigin: undefined },
      pino({ level: 'silent' }),
      () => t,
    )
    const setCookie = await sessions.signIn('ann', request())
    const cookie = setCookie.split(';')[0]!
    // Used every 9 minutes: it lives until its absolute end.
    for (let i = 0; i < 7; i++) {
      expect(await sessions.identifier(request(cookie))).toMatchObject({
        name: 'ann',
        via: 'session',
      })
      t += 9 * MIN
    }
    expect(await sessions.identifier(request(cookie))).toBeUndefined()

    const idle = (await sessions.signIn('ann', request())).split(';')[0]!
    t += 10 * MIN
    expect(await sessions.identifier(request(idle))).toBeUndefined()
    await sessions.close()
  })

  it('reads one cookie among many, exactly by name', () => {
    expect(readCookie('a=1; mlflow-gate-session=xyz; b=2', 'mlflow-gate-session')).toBe('xyz')
    expect(readCookie('xmlflow-gate-session=1', 'mlflow-gate-session')).toBeUndefined()
    expect(readCookie(undefined, 'x')).toBeUndefined()
  })
})
