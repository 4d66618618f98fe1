/** `mlflow-gate migrate`, `plan` and `apply` as the built bin, on SQLite and PostgreSQL stores. */
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { addGrant } from '../../src/storage/access/grants.js'
import { accessStore } from '../../src/storage/access/index.js'
import { createUser, listUsers } from '../../src/storage/access/users.js'
import { migrationProvider } from '../../src/storage/migrations/index.js'
import { openStore } from '../../src/storage/open.js'
import { runBin, tempDir, writeFile } from '../harness/cli.js'
import { createTempDatabase, type TempDatabase } from '../harness/postgres.js'
import { USERS } from '../harness/users.js'

type Access = {
  users?: { name: string; password_hash: string; admin?: boolean; groups?: string[] }[]
  grants?: Record<string, unknown>[]
  create?: Record<string, unknown>[]
}

/** A config file using `storage`, with the given access section. */
function configFile(dir: string, storage: string, access: Access): string {
  return writeFile(dir, 'gate.yaml', stringify({ storage: { url: storage }, access }))
}

const FIRST: Access = {
  users: [
    { name: 'alice', password_hash: USERS.admin.hash, admin: true },
    { name: 'bob', password_hash: USERS.guest.hash, groups: ['team'] },
  ],
  grants: [{ to: 'group:team', experiments: ['team-*'], permission: 'READ' }],
  create: [{ to: 'user:bob', experiments: ['bob-*'] }],
}

const dbs: TempDatabase[] = []
afterAll(async () => {
  for (const db of dbs) await db.drop()
})

const backends: [string, () => Promise<string>][] = [
  ['SQLite', async () => `sqlite:${join(tempDir(), 'gate.db')}`],
  [
    'PostgreSQL',
    async () => {
      const db = await createTempDatabase('mlflow_gate_cli')
      dbs.push(db)
      return db.url
    },
  ],
]

describe.each(backends)('plan and apply on %s', (_name, makeStore) => {
  it('plans from empty, applies, then has nothing left to do; an edit plans exactly its difference', async () => {
    const storage = await makeStore()
    const dir = tempDir()
    const config = configFile(dir, storage, FIRST)

    // Every migration the code ships, in order; the list grows with the schema.
    const names = Object.keys(await migrationProvider.getMigrations())
    const migrate = await runBin(['migrate', '--storage', storage])
    expect(migrate.stdout).toContain(
      `applied ${names.length} of ${names.length} migrations\n${names.map((n) => `  ${n}\n`).join('')}`,
    )
    expect(names.slice(0, 3)).toEqual(['0001-init', '0002-resource-owners', '0003-access'])
    expect((await runBin(['migrate', '--storage', storage])).stdout).toContain(
      `up to date (${names.length} migrations)`,
    )

    const plan = await runBin(['plan', '--config', config])
    expect(plan.code).toBe(2)
    expect(plan.stdout).toBe(
      [
        '+ group team',
        '+ user alice (admin)',
        '+ user bob',
        '+ member bob of group team',
        "+ grant READ on experiment 'team-*' to group:team (access.grants[0])",
        "+ create right: user:bob may create experiment 'bob-*' (access.create[0])",
        '',
        'Plan: 6 to add, 0 to change, 0 to remove.',
        '',
      ].join('\n'),
    )
    // Not a terminal and no --yes: nothing is applied.
    const refused = await runBin(['apply', '--config', config])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('add --yes')
    expect((await runBin(['plan', '--config', config])).code).toBe(2)

    const apply = await runBin(['apply', '--config', config, '--yes'])
    expect(apply.code).toBe(0)
    expect(apply.stdout).toContain('Applied 6 changes.')
    const again = await runBin(['plan', '--config', config])
    expect(again.code).toBe(0)
    expect(again.stdout).toBe(`No changes: the store matches ${config}.\n`)

    configFile(dir, storage, {
      users: [
        { name: 'alice', password_hash: USERS.admin.hash },
        { name: 'bob', password_hash: USERS.guest.hash, groups: ['team'] },
        { name: 'carol', password_hash: USERS.reader.hash, groups: ['team'] },
      ],
      grants: [{ to: 'group:team', experiments: ['team-*'], permission: 'EDIT' }],
    })
    const edited = await runBin(['plan', '--config', config, '--json'])
    expect(edited.code).toBe(2)
    const lines = (await runBin(['plan', '--config', config])).stdout.split('\n')
    expect(lines.slice(0, 7)).toEqual([
      '~ user alice: admin off',
      '+ user carol',
      '+ member carol of group team',
      "- grant #1 READ on experiment 'team-*' to group:team",
      "+ grant EDIT on experiment 'team-*' to group:team (access.grants[0])",
      "- create right #1: user:bob may create experiment 'bob-*'",
      '',
    ])
    expect(JSON.parse(edited.stdout).summary).toEqual({ add: 3, change: 1, remove: 2 })
  })

  it('keeps what the API made unless --prune, and says so', async () => {
    const storage = await makeStore()
    const config = configFile(tempDir(), storage, FIRST)
    expect((await runBin(['apply', '-c', config, '--yes'])).code).toBe(0)
    const store = await openStore(storage)
    await accessStore(store).change(async (trx) => {
      await createUser(trx, { name: 'api-user', passwordHash: null, origin: 'api' })
      await addGrant(trx, {
        to: 'user:api-user',
        resource: 'experiment-id',
        pattern: '7',
        permission: 'READ',
        origin: 'api',
      })
    })
    await store.close()

    const plan = await runBin(['plan', '-c', config])
    expect(plan.code).toBe(0)
    expect(plan.stdout).toContain(
      '2 objects made outside the file (API, CLI, import) kept; --prune would remove them.',
    )
    expect((await runBin(['apply', '-c', config, '--yes'])).stdout).toContain('No changes')

    const prune = await runBin(['plan', '-c', config, '--prune'])
    expect(prune.code).toBe(2)
    expect(prune.stdout).toContain(
      "- grant #2 READ on experiment-id '7' to user:api-user (made by api)",
    )
    expect(prune.stdout).toContain('- user api-user (made by api)')
    expect((await runBin(['apply', '-c', config, '--prune', '--yes'])).code).toBe(0)
    const after = await openStore(storage)
    expect((await listUsers(after.db)).map((u) => u.name)).toEqual(['alice', 'bob'])
    await after.close()
  })

  it('applies in one transaction: a failing insert leaves the store and its revision unchanged', async () => {
    const storage = await makeStore()
    const config = configFile(tempDir(), storage, FIRST)
    expect((await runBin(['apply', '-c', config, '--yes'])).code).toBe(0)
    const store = await openStore(storage)
    // The database refuses one grant that the next apply adds after removing and adding others.
    if (store.kind === 'sqlite')
      await sql`create trigger refuse_boom before insert on grants when new.pattern = 'boom'
        begin select raise(abort, 'injected failure'); end`.execute(store.db)
    else
      await sql`alter table grants add constraint refuse_boom check (pattern <> 'boom')`.execute(
        store.db,
      )
    const revision = await accessStore(store).revision()
    await store.close()

    const edited = configFile(tempDir(), storage, {
      users: [
        { name: 'bob', password_hash: USERS.guest.hash },
        { name: 'dave', password_hash: USERS.editor.hash, admin: true },
      ],
      grants: [
        { to: 'user:dave', experiments: ['fine'], permission: 'READ' },
        { to: 'user:dave', experiments: ['boom'], permission: 'READ' },
      ],
    })
    const plan = await runBin(['plan', '-c', edited])
    const apply = await runBin(['apply', '-c', edited, '--yes'])
    expect(apply.code).toBe(1)
    expect(apply.stderr).toMatch(
      /apply: failed, nothing was changed: .*(injected failure|refuse_boom)/,
    )
    // Exactly the same plan afterwards: nothing of the failed apply stayed.
    expect(await runBin(['plan', '-c', edited])).toEqual(plan)
    const after = await openStore(storage)
    expect(await accessStore(after).revision()).toBe(revision)
    expect((await listUsers(after.db)).map((u) => [u.name, u.admin])).toEqual([
      ['alice', true],
      ['bob', false],
    ])
    await after.close()
  })
})

describe('plan and apply usage', () => {
  it('need --config, and explain their exit codes in --help', async () => {
    const res = await runBin(['plan'])
    expect(res.code).toBe(2)
    expect(res.stderr).toContain('--config is required')
    expect((await runBin(['plan', '--help'])).stdout).toContain('2 changes pending')
  })
})
