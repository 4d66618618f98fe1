import { afterEach, describe, expect, it } from 'vitest'
import { startLivePolicy, type LivePolicy } from '../authorize/live-policy.js'
import { accessStore } from '../storage/access/index.js'
import { createUser, updateUser } from '../storage/access/users.js'
import { openStore, type Store } from '../storage/open.js'
import { change } from './change.js'
import type { AdminDeps } from './route.js'

let store: Store | undefined
let policy: LivePolicy | undefined
afterEach(async () => {
  policy?.close()
  await store?.close()
})

describe('change', () => {
  it('answers only once the running policy has the change', async () => {
    store = await openStore('sqlite::memory:')
    const access = accessStore(store)
    // Each reload takes a while, as a database round trip can; the reload after a change is
    // started but not awaited by the store, so only change() waiting for it makes this pass.
    const slow: typeof access = {
      ...access,
      snapshot: async () => {
        await new Promise((r) => setTimeout(r, 50))
        return access.snapshot()
      },
    }
    // A long poll: only the change itself may bring the policy up to date.
    policy = await startLivePolicy(slow, {
      settings: { anonymousEnabled: false, customArtifactLocations: false },
      pollMs: 3_600_000,
      onError: () => undefined,
    })
    const deps = { access: slow, policy } as unknown as AdminDeps
    await change(deps, (trx) => createUser(trx, { name: 'ann', passwordHash: null, origin: 'api' }))
    expect(policy.current.users.get('ann')?.disabled).toBe(false)
    await change(deps, (trx) => updateUser(trx, 'ann', { disabled: true }))
    expect(policy.current.users.get('ann')?.disabled).toBe(true)
  })
})
