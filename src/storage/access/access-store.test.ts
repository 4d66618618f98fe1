import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest'
import { createTempDatabase, type TempDatabase } from '../../../test/harness/postgres.js'
import { openStore, type Store } from '../open.js'
import { applyDesired, previewSnapshot } from './apply.js'
import { insertAuditEvents, queryAudit } from './audit.js'
import type { DesiredAccess } from './desired.js'
import { addCreateRight, addGrant, listCreateRights, listGrants, removeGrant } from './grants.js'
import { addMember, createGroup, deleteGroup, listGroups } from './groups.js'
import { accessStore, type AccessStore } from './index.js'
import { describeChange, planChanges } from './plan.js'
import { createToken, hashSecret, listTokens, parseToken, revokeToken } from './tokens.js'
import { createUser, deleteUser, getUser, listUsers, updateUser } from './users.js'

const HASH_A =
  'pbkdf2:sha256:1000$IZhA9aWYQ0qXsMJd$0aee8346da11eff96947ce8a5c72f4c386d9e4ca851b0f99aa1adfdaa26f98eb'
const HASH_B =
  'pbkdf2:sha256:1000$QZhA9aWYQ0qXsMJd$1aee8346da11eff96947ce8a5c72f4c386d9e4ca851b0f99aa1adfdaa26f98eb'

/** Each test gets an empty schema; the same tests run on SQLite and PostgreSQL. */
function contract(name: string, newUrl: () => Promise<{ url: string; drop(): Promise<void> }>) {
  describe(`access store on ${name}`, () => {
    let store: Store
    let access: AccessStore
    let drop: () => Promise<void>
    beforeEach(async () => {
      const db = await newUrl()
      drop = db.drop
      store = await openStore(db.url)
      access = accessStore(store)
    })
    afterEach(async () => {
      await store.close()
      await drop()
    })

    it('keeps user names unique case-insensitively and finds them in any case', async () => {
      await access.change((t) =>
        createUser(t, { name: 'Alice', passwordHash: HASH_A, origin: 'api' }),
      )
      await expect(
        access.change((t) => createUser(t, { name: 'ALICE', passwordHash: HASH_A, origin: 'api' })),
      ).rejects.toMatchObject({ code: 'GW_ALREADY_EXISTS' })
      expect((await getUser(store.db, 'alice'))?.name).toBe('Alice')
      await expect(
        access.change((t) =>
          createUser(t, { name: 'bad name', passwordHash: null, origin: 'api' }),
        ),
      ).rejects.toMatchObject({ code: 'GW_INVALID_PARAMETER' })
      await expect(
        access.change((t) => createUser(t, { name: 'x', passwordHash: 'plain', origin: 'api' })),
      ).rejects.toMatchObject({ code: 'GW_INVALID_PARAMETER' })
    })

    it('removes a deleted user’s grants, create rights, memberships and tokens', async () => {
      await access.change(async (t) => {
        await createUser(t, { name: 'bob', passwordHash: HASH_A, origin: 'api' })
        await createUser(t, { name: 'carol', passwordHash: HASH_A, origin: 'api' })
        await createGroup(t, { name: 'ml', origin: 'api' })
        await addMember(t, 'ml', 'bob', 'api')
        await addMember(t, 'ml', 'carol', 'api')
        for (const to of ['user:bob', 'user:carol'])
          await addGrant(t, {
            to,
            resource: 'experiment-id',
            pattern: '1',
            permission: 'READ',
            origin: 'api',
          })
        await addCreateRight(t, {
          to: 'user:BOB',
          kind: 'experiment',
          pattern: 'bob-*',
          origin: 'api',
        })
        await createToken(t, { user: 'bob', name: 'ci' })
      })
      await access.change((t) => deleteUser(t, 'BOB'))
      expect((await listGrants(store.db)).map((g) => g.to)).toEqual(['user:carol'])
      expect(await listCreateRights(store.db)).toEqual([])
      expect(await listTokens(store.db)).toEqual([])
      expect((await listGroups(store.db))[0]?.members).toEqual(['carol'])
      await access.change((t) => deleteGroup(t, 'ml'))
      expect(await listGroups(store.db)).toEqual([])
      await expect(access.change((t) => deleteUser(t, 'bob'))).rejects.toMatchObject({
        code: 'GW_NOT_FOUND',
      })
    })

    it('stores all of a change or none of it, and moves the revision only on commit', async () => {
      const before = await access.revision()
      await expect(
        access.change(async (t) => {
          await createUser(t, { name: 'dave', passwordHash: HASH_A, origin: 'api' })
          await addGrant(t, {
            to: 'user:dave',
            resource: 'experiment',
            pattern: 'x',
            permission: 'READ',
            origin: 'api',
          })
          await addGrant(t, {
            to: 'user:nobody',
            resource: 'experiment',
            pattern: 'x',
            permission: 'READ',
            origin: 'api',
          })
        }),
      ).rejects.toMatchObject({ code: 'GW_NOT_FOUND' })
      expect(await listUsers(store.db)).toEqual([])
      expect(await listGrants(store.db)).toEqual([])
      expect(await access.revision()).toBe(before)
      await access.change((t) =>
        createUser(t, { name: 'dave', passwordHash: HASH_A, origin: 'api' }),
      )
      expect(await access.revision()).toBe(before + 1)
    })

    it('tells listeners after commit and gives a snapshot of one revision', async () => {
      let told = 0
      access.onChange(() => told++)
      await access.change(async (t) => {
        await createUser(t, { name: 'erin', passwordHash: HASH_A, admin: true, origin: 'api' })
        await createGroup(t, { name: 'ops', origin: 'api' })
        await addMember(t, 'ops', 'erin', 'api')
        await addGrant(t, {
          to: 'group:ops',
          resource: 'registered-model',
          pattern: 'm-*',
          permission: 'EDIT',
          deny: true,
          origin: 'api',
        })
      })
      expect(told).toBe(1)
      const snap = await access.snapshot()
      expect(snap.revision).toBe(await access.revision())
      expect(snap.users).toEqual([
        { name: 'erin', passwordHash: HASH_A, admin: true, disabled: false, groups: ['ops'] },
      ])
      expect(snap.grants).toMatchObject([
        {
          to: 'group:ops',
          resource: 'registered-model',
          pattern: 'm-*',
          permission: 'EDIT',
          deny: true,
          source: null,
        },
      ])
    })

    it('keeps only a hash of a token, shows the secret once, and revokes per owner', async () => {
      await access.change((t) =>
        createUser(t, { name: 'fay', passwordHash: HASH_A, origin: 'api' }),
      )
      await access.change((t) =>
        createUser(t, { name: 'gus', passwordHash: HASH_A, origin: 'api' }),
      )
      const { id, token } = await access.change((t) =>
        createToken(t, {
          user: 'fay',
          name: 'laptop',
          readOnly: true,
          expiresAt: '2030-01-01T00:00:00Z',
        }),
      )
      const parsed = parseToken(token)!
      expect(parsed.id).toBe(id)
      const row = await store.db.selectFrom('api_tokens').selectAll().executeTakeFirstOrThrow()
      expect(row.secret_hash).toBe(hashSecret(parsed.secret))
      expect(JSON.stringify(row)).not.toContain(parsed.secret)
      expect(await listTokens(store.db, 'FAY')).toMatchObject([
        {
          id,
          user: 'fay',
          name: 'laptop',
          readOnly: true,
          expiresAt: '2030-01-01T00:00:00.000Z',
          lastUsedAt: null,
        },
      ])
      await expect(
        access.change((t) => createToken(t, { user: 'fay', name: 'laptop' })),
      ).rejects.toMatchObject({ code: 'GW_ALREADY_EXISTS' })
      await expect(access.change((t) => revokeToken(t, id, 'gus'))).rejects.toMatchObject({
        code: 'GW_NOT_FOUND',
      })
      await access.change((t) => revokeToken(t, id, 'fay'))
      expect(await listTokens(store.db)).toEqual([])
    })

    it('applies a config file: idempotent, file-owned objects follow the file, API objects stay unless pruned', async () => {
      const desired: DesiredAccess = {
        users: [
          { name: 'ann', passwordHash: HASH_A, admin: true, groups: ['ml'] },
          { name: 'ben', passwordHash: HASH_A, admin: false, groups: [] },
        ],
        grants: [
          {
            to: 'group:ml',
            resource: 'experiment',
            pattern: 'ml-*',
            permission: 'EDIT',
            deny: false,
            source: 'access.grants[0]',
          },
          {
            to: 'user:ben',
            resource: 'experiment-id',
            pattern: '7',
            permission: 'READ',
            deny: false,
            source: 'access.grants[1]',
          },
        ],
        createRights: [
          { to: 'user:ben', kind: 'prompt', pattern: 'ben-*', source: 'access.create[0]' },
        ],
      }
      const first = await applyDesired(access, desired)
      expect(first.map(describeChange)).toEqual([
        '+ group ml',
        '+ user ann (admin)',
        '+ user ben',
        '+ member ann of group ml',
        "+ grant EDIT on experiment 'ml-*' to group:ml (access.grants[0])",
        "+ grant READ on experiment-id '7' to user:ben (access.grants[1])",
        "+ create right: user:ben may create prompt 'ben-*' (access.create[0])",
      ])
      const revision = await access.revision()
      expect(await applyDesired(access, desired)).toEqual([])
      expect(await access.revision()).toBe(revision)

      // Made through the API: left alone by apply, removed by prune.
      await access.change(async (t) => {
        await createUser(t, { name: 'api-user', passwordHash: HASH_A, origin: 'api' })
        await addGrant(t, {
          to: 'user:ben',
          resource: 'experiment',
          pattern: 'extra',
          permission: 'READ',
          origin: 'api',
        })
      })
      // A password changed through the API is kept while the file's hash stays the same.
      await access.change((t) => updateUser(t, 'ben', { passwordHash: HASH_B }))
      const edited: DesiredAccess = {
        ...desired,
        users: [desired.users[0]!],
        grants: [desired.grants[0]!],
        createRights: [],
      }
      const plan = await planChanges(store.db, edited)
      expect(plan.map(describeChange)).toEqual([
        "- grant #2 READ on experiment-id '7' to user:ben",
        "- create right #1: user:ben may create prompt 'ben-*'",
        '- user ben',
      ])
      expect(await planChanges(store.db, desired)).toEqual([])
      const pruned = await planChanges(store.db, edited, { prune: true })
      expect(pruned.map(describeChange)).toContain('- user api-user (made by api)')
      await applyDesired(access, edited)
      expect((await listUsers(store.db)).map((u) => u.name)).toEqual(['ann', 'api-user'])

      // A new hash in the file wins; adopting an API-made user of the same name.
      const adopt: DesiredAccess = {
        ...edited,
        users: [
          ...edited.users,
          { name: 'API-USER', passwordHash: HASH_B, admin: true, groups: [] },
        ],
      }
      expect((await applyDesired(access, adopt)).map(describeChange)).toEqual([
        '~ user api-user: taken over by the config file, admin on, password hash from the file',
      ])
      expect(await getUser(store.db, 'api-user')).toMatchObject({ admin: true, origin: 'config' })
    })

    it('previews what applying a file gives without storing anything', async () => {
      const before = await access.revision()
      const snap = await previewSnapshot(access, {
        users: [{ name: 'zed', passwordHash: HASH_A, admin: false, groups: ['g'] }],
        grants: [
          {
            to: 'group:g',
            resource: 'experiment',
            pattern: '*',
            permission: 'READ',
            deny: false,
            source: 'access.grants[0]',
          },
        ],
        createRights: [],
      })
      expect(snap.users.map((u) => [u.name, u.groups])).toEqual([['zed', ['g']]])
      expect(snap.grants.map((g) => g.source)).toEqual(['access.grants[0]'])
      expect(await listUsers(store.db)).toEqual([])
      expect(await listGroups(store.db)).toEqual([])
      expect(await access.revision()).toBe(before)
    })

    it('finds audit events by who, outcome, time and path, newest first', async () => {
      const base = {
        type: 'audit' as const,
        method: 'GET',
        route: null,
        resource: null,
        client: '127.0.0.1',
        reasons: [{ code: 'no-grant' as const, message: 'no grant' }],
        status: 403,
        upstream_status: null,
        error: null,
        client_aborted: false,
        duration_ms: 1,
      }
      await insertAuditEvents(store.db, [
        {
          ...base,
          at: '2026-01-01T00:00:00.000Z',
          request_id: 'r1',
          principal: 'ann',
          path: '/api/2.0/mlflow/experiments/get',
          allow: false,
        },
        {
          ...base,
          at: '2026-01-02T00:00:00.000Z',
          request_id: 'r2',
          principal: 'ann',
          path: '/api/2.0/mlflow/runs/get',
          allow: true,
        },
        {
          ...base,
          at: '2026-01-03T00:00:00.000Z',
          request_id: 'r3',
          principal: 'ben',
          path: '/api/2.0/mlflow/runs_get%',
          allow: true,
        },
      ])
      const ids = (events: { request_id: string }[]) => events.map((e) => e.request_id)
      expect(ids(await queryAudit(store.db))).toEqual(['r3', 'r2', 'r1'])
      expect(ids(await queryAudit(store.db, { principal: 'ann' }))).toEqual(['r2', 'r1'])
      expect(ids(await queryAudit(store.db, { allow: false }))).toEqual(['r1'])
      expect(ids(await queryAudit(store.db, { since: '2026-01-02T00:00:00.000Z' }))).toEqual([
        'r3',
        'r2',
      ])
      expect(ids(await queryAudit(store.db, { path: 'runs_get%' }))).toEqual(['r3'])
      const [newest] = await queryAudit(store.db, { limit: 1 })
      expect(ids(await queryAudit(store.db, { beforeId: newest!.id }))).toEqual(['r2', 'r1'])
      expect((await queryAudit(store.db, { limit: 1 }))[0]?.reasons).toEqual(base.reasons)
    })

    it('refuses grants that name nothing real', async () => {
      const bad = (g: Partial<Parameters<typeof addGrant>[1]>) =>
        access.change((t) =>
          addGrant(t, {
            to: 'anonymous',
            resource: 'experiment',
            pattern: 'x',
            permission: 'READ',
            origin: 'api',
            ...g,
          }),
        )
      await expect(bad({ resource: 'experiment-id', pattern: 'abc' })).rejects.toMatchObject({
        code: 'GW_INVALID_PARAMETER',
      })
      await expect(bad({ permission: 'ALL' as never })).rejects.toMatchObject({
        code: 'GW_INVALID_PARAMETER',
      })
      await expect(bad({ to: 'everyone' })).rejects.toMatchObject({ code: 'GW_INVALID_PARAMETER' })
      await expect(bad({ to: 'group:none' })).rejects.toMatchObject({ code: 'GW_NOT_FOUND' })
      const id = await bad({})
      await access.change((t) => removeGrant(t, id))
      await expect(access.change((t) => removeGrant(t, id))).rejects.toMatchObject({
        code: 'GW_NOT_FOUND',
      })
    })
  })
}

const dir = mkdtempSync(join(tmpdir(), 'mlflow-gate-access-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let n = 0
contract('SQLite', async () => ({
  url: `sqlite:${join(dir, `gate-${n++}.db`)}`,
  drop: async () => undefined,
}))

let pgDbs: TempDatabase[] = []
beforeAll(() => {
  pgDbs = []
})
afterAll(async () => {
  await Promise.all(pgDbs.map((d) => d.drop()))
})
contract('PostgreSQL', async () => {
  const db = await createTempDatabase('mlflow_gate_access')
  pgDbs.push(db)
  return { url: db.url, drop: async () => undefined }
})
