/**
 * import-mlflow-auth against a database written by MLflow 3.18.0's own basic-auth app (role tables,
 * SQLite and PostgreSQL), then sign-in through the gateway with the same passwords.
 */
import { copyFileSync } from 'node:fs'
import { join } from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyPassword } from '../../src/identify/password.js'
import { listGrants } from '../../src/storage/access/grants.js'
import { passwordHashOf } from '../../src/storage/access/users.js'
import { openStore } from '../../src/storage/open.js'
import { runBin, tempDir } from '../harness/cli.js'
import { startTestGateway, type TestGateway } from '../harness/gateway.js'
import {
  AUTH_PASSWORDS,
  seedMlflowAuth,
  startPlainServer,
  venvPython,
  type SeededAuth,
} from '../harness/mlflow-auth.js'
import { createTempDatabase, type TempDatabase } from '../harness/postgres.js'
import type { MlflowServer } from '../../src/mlflow/server-process.js'

let seeded: SeededAuth
const storage = `sqlite:${join(tempDir(), 'gate.db')}`
const importCli = (args: string[]) =>
  runBin(['import-mlflow-auth', '--from', seeded.authDb, '--storage', storage, ...args])

beforeAll(async () => {
  seeded = await seedMlflowAuth('current')
}, 600_000)

describe('import from MLflow 3.18 (role tables, SQLite)', () => {
  it('reports what it would do and writes nothing by default', async () => {
    const res = await importCli([])
    expect(res.stderr).toMatch(/^(mlflow-gate: note: creating a new store at .*\n)?$/)
    expect(res.code).toBe(0)
    expect(res.stdout).toContain('schema f1a2b3c4d5e6; permissions read from the role tables')
    expect(res.stdout).toContain('Would import (dry run: nothing written; add --apply to write):')
    expect(res.stdout).toContain('  users        4 new, 0 already present (left unchanged)\n')
    expect(res.stdout).toContain('  groups       1 new, 0 already present (from MLflow roles)\n')
    expect(res.stdout).toContain('  memberships  1 new\n')
    // The admin owns what it created (MLflow's after-create grants), alice has three, readers one.
    expect(res.stdout).toContain('  grants       8 new, 0 changed, 0 already present\n')
    const { experiments: e } = seeded
    expect(res.stdout).toContain(
      `  alice  new, password kept (scrypt); 3 grants: EDIT experiment-id ${e['team-a']}, deny READ experiment-id ${e.secret}, READ registered-model model-a\n`,
    )
    expect(res.stdout).toContain('  bob    new, admin, password kept (scrypt); no grants\n')
    expect(res.stdout).toContain("  readers  new; members: alice; 1 grant: READ experiment '*'\n")
    expect(res.stdout).toMatch(
      /\n\s+1  role_permissions: scorer permissions have no counterpart in the gateway/,
    )
    const report = JSON.parse((await importCli(['--json'])).stdout)
    expect(report.applied).toBe(false)
    expect(JSON.stringify(report)).not.toMatch(/scrypt:\d/)
    expect((await runBin(['user', 'list', '--json', '--storage', storage])).stdout).toBe(
      '{\n  "users": []\n}\n',
    )
  })

  it('imports with --apply, and a second run finds everything present', async () => {
    const res = await importCli(['--apply'])
    expect(res.code).toBe(0)
    expect(res.stdout).toContain('Imported:\n  users        4 new')
    const users = JSON.parse(
      (await runBin(['user', 'list', '--json', '--storage', storage])).stdout,
    ).users
    expect(users.map((u: any) => [u.name, u.admin, u.origin, u.groups])).toEqual([
      ['admin', true, 'import', []],
      ['alice', false, 'import', ['readers']],
      ['bob', true, 'import', []],
      ['carol', false, 'import', []],
    ])
    const again = await importCli(['--apply', '--json'])
    expect(JSON.parse(again.stdout).summary).toEqual({
      users: { add: 0, present: 4 },
      groups: { add: 0, present: 1 },
      members: { add: 0 },
      grants: { add: 0, update: 0, present: 8 },
      skippedRows: 1,
    })
  })

  describe('signing in through the gateway with MLflow passwords', () => {
    let mlflow: MlflowServer
    let gateway: TestGateway
    beforeAll(async () => {
      mlflow = await startPlainServer('current', seeded.dataDir)
      gateway = await startTestGateway(mlflow.url, {
        storage: { url: storage },
        access: { users: [] },
      })
    }, 300_000)
    afterAll(async () => {
      await gateway?.close()
      await mlflow?.stop()
    })

    const as = (user: keyof typeof AUTH_PASSWORDS, password: string = AUTH_PASSWORDS[user]) => {
      const e = seeded.experiments
      return venvPython<Record<string, unknown>>(
        'current',
        'imported_user.py',
        [e['team-a'], e.secret, e.open],
        {
          MLFLOW_TRACKING_URI: gateway.url,
          MLFLOW_TRACKING_USERNAME: user,
          MLFLOW_TRACKING_PASSWORD: password,
        },
      )
    }

    it('gives each user what MLflow gave them', async () => {
      expect(await as('alice')).toEqual({
        search: ['Default', 'open', 'team-a'],
        get_team_a: 'OK',
        get_secret: 'PERMISSION_DENIED',
        get_open: 'OK',
        get_model: 'OK',
        run_in_team_a: 'OK',
        tag_open: 'PERMISSION_DENIED',
      })
      expect(await as('bob')).toMatchObject({
        search: ['Default', 'open', 'secret', 'team-a'],
        tag_open: 'OK',
      })
      expect(await as('carol')).toMatchObject({
        search: [],
        get_open: 'PERMISSION_DENIED',
        get_model: 'PERMISSION_DENIED',
      })
    })

    it('refuses a wrong password', async () => {
      expect((await as('alice', 'not-her-password')).get_open).toBe('UNAUTHENTICATED')
    })
  })
})

describe('a large auth database', () => {
  it('is imported in one go, with progress on stderr', async () => {
    const copy = join(tempDir(), 'big_auth.db')
    copyFileSync(seeded.authDb, copy)
    const db = new SqliteDatabase(copy)
    const hash = db
      .prepare("select password_hash from users where username = 'carol'")
      .pluck()
      .get()
    db.transaction(() => {
      for (let i = 0; i < 1500; i++) {
        const user = db
          .prepare('insert into users (username, password_hash, is_admin) values (?, ?, 0)')
          .run(`user${i}`, hash).lastInsertRowid
        const role = db
          .prepare("insert into roles (name, workspace) values (?, 'default')")
          .run(`__user_${user}__`).lastInsertRowid
        db.prepare('insert into user_role_assignments (user_id, role_id) values (?, ?)').run(
          user,
          role,
        )
        db.prepare(
          "insert into role_permissions (role_id, resource_type, resource_pattern, permission) values (?, 'experiment', ?, 'READ')",
        ).run(role, String(1000 + i))
      }
    })()
    db.close()
    const bigStorage = `sqlite:${join(tempDir(), 'gate.db')}`
    const res = await runBin([
      'import-mlflow-auth',
      '--from',
      copy,
      '--storage',
      bigStorage,
      '--apply',
      '--json',
    ])
    expect(res.code).toBe(0)
    expect(JSON.parse(res.stdout).summary).toMatchObject({
      users: { add: 1504 },
      grants: { add: 1508 },
    })
    // stderr is a pipe here: a plain line every tenth (a terminal gets a bar, see progress.test.ts).
    const lines = res.stderr
      .split('\n')
      .filter((l) => l.startsWith('import-mlflow-auth: writing: '))
    expect(lines).toHaveLength(11)
    expect(lines.at(-1)).toBe('import-mlflow-auth: writing: 3014/3014 (100%)')
  })
})

describe('import from MLflow 3.18 on PostgreSQL', () => {
  let database: TempDatabase
  let pgSeeded: SeededAuth
  beforeAll(async () => {
    database = await createTempDatabase('mlflow_auth')
    // SQLAlchemy 2.1 reads postgresql:// as psycopg 3; the venv has psycopg2, so name it, as
    // MLflow's users do in database_uri.
    pgSeeded = await seedMlflowAuth(
      'current',
      database.url.replace(/^postgres:/, 'postgresql+psycopg2:'),
    )
  }, 600_000)
  afterAll(() => database?.drop())

  it('reads the same tables through a read-only connection and keeps the passwords', async () => {
    const pgStorage = `sqlite:${join(tempDir(), 'gate.db')}`
    const from = pgSeeded.authDb.replace(/^postgresql:/, 'postgresql+psycopg2:')
    const res = await runBin([
      'import-mlflow-auth',
      '--from',
      from,
      '--storage',
      pgStorage,
      '--apply',
      '--json',
    ])
    expect(res.code).toBe(0)
    expect(JSON.parse(res.stdout)).toMatchObject({
      schemaVersion: 'f1a2b3c4d5e6',
      mode: 'roles',
      summary: { users: { add: 4 }, groups: { add: 1 }, grants: { add: 8 }, skippedRows: 1 },
    })
    const store = await openStore(pgStorage)
    try {
      for (const [name, password] of Object.entries(AUTH_PASSWORDS))
        expect(await verifyPassword(password, (await passwordHashOf(store.db, name))!.hash!)).toBe(
          true,
        )
      expect(
        (await listGrants(store.db, { to: 'group:readers' })).map((g) => [g.resource, g.pattern]),
      ).toEqual([['experiment', '*']])
    } finally {
      await store.close()
    }
  })

  it('refuses databases it cannot read, clearly', async () => {
    const mysql = await runBin([
      'import-mlflow-auth',
      '--from',
      'mysql+pymysql://u:p@db/auth',
      '--storage',
      storage,
    ])
    expect(mysql.code).toBe(1)
    expect(mysql.stderr).toContain("'mysql' auth databases are not supported")
    const notAuth = await runBin([
      'import-mlflow-auth',
      '--from',
      join(seeded.dataDir, 'mlflow.db'),
      '--storage',
      storage,
    ])
    expect(notAuth.code).toBe(1)
    expect(notAuth.stderr).toContain('is not an MLflow auth database: it has no users table')
  })
})
