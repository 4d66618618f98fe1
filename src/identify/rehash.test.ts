import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { USERS } from '../../test/harness/users.js'
import type { UserRecord } from '../authorize/policy.js'
import { accessStore, type AccessStore } from '../storage/access/index.js'
import { createUser, passwordHashOf, updateUser } from '../storage/access/users.js'
import { openStore, type Store } from '../storage/open.js'
import { passwordRehasher } from './basic.js'
import { needsRehash, verifyPassword } from './password.js'

let store: Store
let access: AccessStore
beforeEach(async () => {
  store = await openStore('sqlite::memory:')
  access = accessStore(store)
})
afterEach(() => store.close())

const record = (name: string, passwordHash: string): UserRecord => ({
  name,
  passwordHash,
  admin: false,
  disabled: false,
  groups: [],
})
const hashOf = async (name: string) => (await passwordHashOf(store.db, name))!.hash!

/** The rehasher works after the request; this waits for the revision it would move. */
async function settle(before: number, expectChange: boolean) {
  for (let i = 0; i < 200 && (await access.revision()) === before; i++)
    await new Promise((r) => setTimeout(r, 10))
  expect((await access.revision()) !== before).toBe(expectChange)
}

describe('passwordRehasher', () => {
  it('upgrades an imported pbkdf2 hash to scrypt once the password verified', async () => {
    await access.change((trx) =>
      createUser(trx, { name: 'alice', passwordHash: USERS.reader.hash, origin: 'import' }),
    )
    const before = await access.revision()
    passwordRehasher(access, (err) => {
      throw err
    })(record('alice', USERS.reader.hash), USERS.reader.password)
    await settle(before, true)
    const now = await hashOf('alice')
    expect(needsRehash(now)).toBe(false)
    expect(await verifyPassword(USERS.reader.password, now)).toBe(true)
  })

  it('leaves hashes the config file gave alone, and never overwrites a password changed meanwhile', async () => {
    await access.change(async (trx) => {
      await createUser(trx, {
        name: 'carl',
        passwordHash: USERS.guest.hash,
        origin: 'config',
        configPasswordHash: USERS.guest.hash,
      })
      await createUser(trx, { name: 'dora', passwordHash: USERS.editor.hash, origin: 'api' })
      await updateUser(trx, 'dora', { passwordHash: USERS.creator.hash })
    })
    const before = await access.revision()
    const rehash = passwordRehasher(access, (err) => {
      throw err
    })
    rehash(record('carl', USERS.guest.hash), USERS.guest.password)
    // What the gateway verified is older than what is stored now.
    rehash(record('dora', USERS.editor.hash), USERS.editor.password)
    await new Promise((r) => setTimeout(r, 300))
    await settle(before, false)
    expect(await hashOf('carl')).toBe(USERS.guest.hash)
    expect(await hashOf('dora')).toBe(USERS.creator.hash)
  })
})
