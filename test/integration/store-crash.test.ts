/** A process killed in the middle of an access change leaves the store as it was, on SQLite and PostgreSQL. */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { PROJECT_ROOT } from '../../src/mlflow/venv.js'
import { accessStore } from '../../src/storage/access/index.js'
import { listGrants } from '../../src/storage/access/grants.js'
import { createUser, listUsers } from '../../src/storage/access/users.js'
import { openStore } from '../../src/storage/open.js'
import { createTempDatabase } from '../harness/postgres.js'
import { USERS } from '../harness/users.js'

/** Runs a change in a child process from the built code, and kills it (SIGKILL) half-way through. */
async function killMidChange(url: string): Promise<void> {
  const script = `
    import { openStore } from '${PROJECT_ROOT}dist/storage/open.js'
    import { accessStore } from '${PROJECT_ROOT}dist/storage/access/index.js'
    import { createUser } from '${PROJECT_ROOT}dist/storage/access/users.js'
    import { addGrant } from '${PROJECT_ROOT}dist/storage/access/grants.js'
    const access = accessStore(await openStore(process.env.URL))
    await access.change(async (t) => {
      await createUser(t, { name: 'half', passwordHash: null, origin: 'api' })
      await addGrant(t, { to: 'user:half', resource: 'experiment', pattern: '*', permission: 'MANAGE', origin: 'api' })
      process.stdout.write('mid-change\\n')
      await new Promise(() => {})
    })
  `
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, URL: url },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('mid-change')) resolve()
    })
    child.on('exit', (code) => reject(new Error(`child exited early with ${code}`)))
  })
  const exited = new Promise((r) => child.on('exit', r))
  child.kill('SIGKILL')
  await exited
}

async function expectUnchangedThenUsable(url: string, revisionBefore: number): Promise<void> {
  const store = await openStore(url)
  try {
    const access = accessStore(store)
    expect((await listUsers(store.db)).map((u) => u.name)).toEqual(['before'])
    expect(await listGrants(store.db)).toEqual([])
    expect(await access.revision()).toBe(revisionBefore)
    // The lock the dead process held is gone: the next change goes through.
    await access.change((t) => createUser(t, { name: 'after', passwordHash: null, origin: 'api' }))
    expect((await listUsers(store.db)).map((u) => u.name)).toEqual(['after', 'before'])
  } finally {
    await store.close()
  }
}

async function seed(url: string): Promise<number> {
  const store = await openStore(url)
  const access = accessStore(store)
  await access.change((t) =>
    createUser(t, { name: 'before', passwordHash: USERS.reader.hash, origin: 'api' }),
  )
  const revision = await access.revision()
  await store.close()
  return revision
}

describe('a crash in the middle of a change', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlflow-gate-crash-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('leaves a SQLite store with the old state', async () => {
    const url = `sqlite:${join(dir, 'gate.db')}`
    const revision = await seed(url)
    await killMidChange(url)
    await expectUnchangedThenUsable(url, revision)
  })

  it('leaves a PostgreSQL store with the old state', async () => {
    const db = await createTempDatabase('mlflow_gate_crash')
    try {
      const revision = await seed(db.url)
      await killMidChange(db.url)
      await expectUnchangedThenUsable(db.url, revision)
    } finally {
      await db.drop()
    }
  })
})
