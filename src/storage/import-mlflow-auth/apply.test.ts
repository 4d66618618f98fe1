import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { addGrant, listGrants } from '../access/grants.js'
import { accessStore, type AccessStore } from '../access/index.js'
import { createUser, listUsers, updateUser } from '../access/users.js'
import { openStore, type Store } from '../open.js'
import { applyImport, isWrite, planImport } from './apply.js'
import type { ImportItems } from './map.js'

const HASH =
  'pbkdf2:sha256:1000$grvv75d1YAkIOsW6$242e2c3522e64e94fe40e8e7117bce235a1f20a2ff94830d3b4070e3a00c265e'

const items = (permission: 'READ' | 'EDIT' = 'EDIT'): ImportItems => ({
  mode: 'roles',
  version: 'f1a2b3c4d5e6',
  users: [
    { name: 'alice', passwordHash: HASH, admin: false, hash: 'pbkdf2' },
    { name: 'bob', passwordHash: HASH, admin: true, hash: 'pbkdf2' },
  ],
  groups: [{ name: 'readers', role: 'readers', members: ['alice'] }],
  grants: [
    {
      to: 'user:alice',
      resource: 'experiment-id',
      pattern: '1',
      permission,
      deny: false,
      from: 'role_permissions 1',
    },
    {
      to: 'user:alice',
      resource: 'experiment-id',
      pattern: '2',
      permission: 'READ',
      deny: true,
      from: 'role_permissions 2',
    },
    {
      to: 'group:readers',
      resource: 'experiment',
      pattern: '*',
      permission: 'READ',
      deny: false,
      from: 'role_permissions 3',
    },
  ],
  skipped: [],
  notes: [],
})

let store: Store
let access: AccessStore
beforeEach(async () => {
  store = await openStore('sqlite::memory:')
  access = accessStore(store)
})
afterEach(() => store.close())

describe('importing into the store', () => {
  it('writes everything with origin import, and a second run finds it all present', async () => {
    const first = await applyImport(access, items())
    expect(first.filter(isWrite).map((a) => a.op)).toEqual([
      'add-user',
      'add-user',
      'add-group',
      'add-member',
      'add-grant',
      'add-grant',
      'add-grant',
    ])
    expect((await listUsers(store.db)).map((u) => [u.name, u.origin, u.admin, u.groups])).toEqual([
      ['alice', 'import', false, ['readers']],
      ['bob', 'import', true, []],
    ])
    expect((await listGrants(store.db)).map((g) => [g.to, g.origin, g.source])).toEqual([
      ['user:alice', 'import', 'mlflow role_permissions 1'],
      ['user:alice', 'import', 'mlflow role_permissions 2'],
      ['group:readers', 'import', 'mlflow role_permissions 3'],
    ])
    const revision = await access.revision()
    const second = await applyImport(access, items())
    expect(second.filter(isWrite)).toEqual([])
    expect(await access.revision()).toBe(revision)
  })

  it('follows a permission changed in MLflow on its own earlier grant, but never changes users', async () => {
    await applyImport(access, items('EDIT'))
    await access.change((trx) => updateUser(trx, 'alice', { admin: true }))
    const again = await applyImport(access, items('READ'))
    expect(again.filter(isWrite)).toEqual([
      expect.objectContaining({ op: 'update-grant', was: 'EDIT' }),
    ])
    const alice = (await listUsers(store.db)).find((u) => u.name === 'alice')!
    expect(alice.admin).toBe(true)
    expect((await listGrants(store.db, { to: 'user:alice' }))[0]!.permission).toBe('READ')
  })

  it('leaves grants made by the config or the API for the same resource alone', async () => {
    await access.change(async (trx) => {
      await createUser(trx, { name: 'ALICE', passwordHash: null, origin: 'config' })
      await addGrant(trx, {
        to: 'user:alice',
        resource: 'experiment-id',
        pattern: '1',
        permission: 'MANAGE',
        origin: 'config',
      })
    })
    const actions = await planImport(store.db, items())
    expect(actions.find((a) => a.op === 'keep-user')).toMatchObject({
      existing: { name: 'ALICE', origin: 'config' },
    })
    expect(actions.find((a) => a.op === 'keep-grant')).toMatchObject({
      grant: { pattern: '1' },
      existing: { permission: 'MANAGE', origin: 'config' },
    })
  })

  it('is one transaction: a failure in the middle leaves the store as it was', async () => {
    const revision = await access.revision()
    const failing = (done: number) => {
      if (done === 4) throw new Error('injected')
    }
    await expect(applyImport(access, items(), failing)).rejects.toThrow('injected')
    expect(await listUsers(store.db)).toEqual([])
    expect(await listGrants(store.db)).toEqual([])
    expect(await access.revision()).toBe(revision)
  })
})
