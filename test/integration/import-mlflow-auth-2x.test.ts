/**
 * import-mlflow-auth against a database written by MLflow 2.22.5's basic-auth app (the classic
 * experiment_permissions and registered_model_permissions tables, NO_PERMISSIONS included), and
 * a pbkdf2 password upgraded to scrypt at its first sign-in through the gateway.
 */
import { join } from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyPassword } from '../../src/identify/password.js'
import type { MlflowServer } from '../../src/mlflow/server-process.js'
import { ensureMlflowVenv, MLFLOW_2X } from '../../src/mlflow/venv.js'
import { passwordHashOf } from '../../src/storage/access/users.js'
import { runBin, tempDir } from '../harness/cli.js'
import { startTestGateway, type TestGateway } from '../harness/gateway.js'
import {
  AUTH_PASSWORDS,
  seedMlflowAuth,
  startPlainServer,
  venvPython,
  type SeededAuth,
} from '../harness/mlflow-auth.js'

let seeded: SeededAuth
let mlflow: MlflowServer | undefined
let gateway: TestGateway | undefined
const storage = `sqlite:${join(tempDir(), 'gate.db')}`

beforeAll(async () => {
  await ensureMlflowVenv({ other: MLFLOW_2X, quiet: true })
  seeded = await seedMlflowAuth('2.x')
  const db = new SqliteDatabase(seeded.authDb)
  db.prepare("update users set password_hash = ? where username = 'alice'").run(seeded.pbkdf2Alice)
  db.close()
}, 600_000)
afterAll(async () => {
  await gateway?.close()
  await mlflow?.stop()
})

async function storedHash(name: string): Promise<string> {
  const { openStore } = await import('../../src/storage/open.js')
  const store = await openStore(storage)
  try {
    return (await passwordHashOf(store.db, name))!.hash!
  } finally {
    await store.close()
  }
}

describe('import from MLflow 2.22.5 (classic tables)', () => {
  it('maps experiment and model permissions, NO_PERMISSIONS as a deny, and keeps pbkdf2 passwords', async () => {
    const res = await runBin([
      'import-mlflow-auth',
      '--from',
      `sqlite:///${seeded.authDb}`,
      '--storage',
      storage,
      '--apply',
    ])
    expect(res.code).toBe(0)
    expect(res.stdout).toContain('schema 8606fa83a998; permissions read from the classic tables')
    const e = seeded.experiments
    expect(res.stdout).toContain(
      `  alice  new, password kept (pbkdf2; upgraded to scrypt at the next sign-in); 4 grants: EDIT experiment-id ${e['team-a']}, deny READ experiment-id ${e.secret}, READ experiment-id ${e.open}, READ registered-model model-a\n`,
    )
    expect(res.stdout).toContain('  groups       0 new')
    expect(await storedHash('alice')).toBe(seeded.pbkdf2Alice)
  })

  it('lets people sign in with their MLflow passwords and upgrades the pbkdf2 hash on the way', async () => {
    mlflow = await startPlainServer('2.x', seeded.dataDir)
    gateway = await startTestGateway(mlflow.url, {
      storage: { url: storage },
      access: { users: [] },
    })
    const e = seeded.experiments
    const as = (user: keyof typeof AUTH_PASSWORDS) =>
      venvPython<Record<string, unknown>>(
        'current',
        'imported_user.py',
        [e['team-a'], e.secret, e.open],
        {
          MLFLOW_TRACKING_URI: gateway!.url,
          MLFLOW_TRACKING_USERNAME: user,
          MLFLOW_TRACKING_PASSWORD: AUTH_PASSWORDS[user],
        },
      )
    expect(await as('alice')).toEqual({
      search: ['open', 'team-a'],
      get_team_a: 'OK',
      get_secret: 'PERMISSION_DENIED',
      get_open: 'OK',
      get_model: 'OK',
      run_in_team_a: 'OK',
      tag_open: 'PERMISSION_DENIED',
    })
    // The upgrade runs after the request: wait for it, then sign in again with the new hash.
    const deadline = Date.now() + 30_000
    while (!(await storedHash('alice')).startsWith('scrypt:') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200))
    const upgraded = await storedHash('alice')
    expect(upgraded).toMatch(/^scrypt:32768:8:1\$/)
    expect(await verifyPassword(AUTH_PASSWORDS.alice, upgraded)).toBe(true)
    await gateway.policy.refresh()
    expect((await as('alice')).get_team_a).toBe('OK')
    expect(await as('bob')).toMatchObject({
      search: ['Default', 'open', 'secret', 'team-a'],
      tag_open: 'OK',
    })
    expect(await as('carol')).toMatchObject({ search: [], get_team_a: 'PERMISSION_DENIED' })
  })
})
