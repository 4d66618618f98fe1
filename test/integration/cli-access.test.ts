/** The user, group, grant and token commands as the built bin, and a running gateway picking their changes up. */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyPassword } from '../../src/identify/password.js'
import { passwordHashOf } from '../../src/storage/access/users.js'
import { openStore } from '../../src/storage/open.js'
import { runBin, tempDir } from '../harness/cli.js'
import { startTestGateway, type TestGateway } from '../harness/gateway.js'
import { send } from '../harness/http.js'
import { callMlflow, useMlflow } from '../harness/mlflow.js'

const storage = `sqlite:${join(tempDir(), 'gate.db')}`
const gate = (args: string[], input?: string) =>
  runBin([...args, '--storage', storage], input === undefined ? {} : { input })
const json = async (args: string[], input?: string) => {
  const res = await gate([...args, '--json'], input)
  expect(res.stderr).toBe('')
  expect(res.code).toBe(0)
  return JSON.parse(res.stdout) as Record<string, any>
}

async function storedHash(name: string): Promise<string | null | undefined> {
  const store = await openStore(storage)
  try {
    return (await passwordHashOf(store.db, name))?.hash
  } finally {
    await store.close()
  }
}

describe('user commands', () => {
  it('add users with a password from stdin, list them as a table and as JSON', async () => {
    const add = await gate(['user', 'add', 'alice', '--password-stdin'], 'alice-secret\n')
    expect(add.code).toBe(0)
    expect(add.stdout).toBe('Created user alice.\n')
    expect(await verifyPassword('alice-secret', (await storedHash('alice'))!)).toBe(true)
    expect((await json(['user', 'add', 'Root', '--admin', '--no-password'])).user).toMatchObject({
      name: 'Root',
      admin: true,
      hasPassword: false,
      origin: 'api',
    })
    const table = await gate(['user', 'list'])
    expect(table.stdout.split('\n').slice(0, 3)).toEqual([
      'NAME   ADMIN  DISABLED  PASSWORD  ORIGIN  GROUPS',
      'alice  no     no        yes       api     -',
      'Root   yes    no        no        api     -',
    ])
    const { users } = await json(['user', 'list'])
    expect(users.map((u: { name: string }) => u.name)).toEqual(['alice', 'Root'])
  })

  it('never takes a password from arguments, and refuses to prompt without a terminal', async () => {
    const res = await gate(['user', 'add', 'bob'])
    expect(res.code).toBe(1)
    expect(res.stderr).toContain(
      'no terminal to ask for the password on; pipe it with --password-stdin',
    )
    expect((await gate(['user', 'add', 'bob', '--password', 'x'])).code).toBe(2)
    expect((await gate(['user', 'add', 'bob', '--password-stdin'], '\n')).stderr).toContain(
      'the password is empty',
    )
    // The same floor as MLflow's own auth (mlflow/utils/validation.py _validate_password).
    const short = await gate(['user', 'add', 'bob', '--password-stdin'], 'eleven-char\n')
    expect(short.code).toBe(1)
    expect(short.stderr).toContain('a password must be at least 12 characters')
  })

  it('refuses duplicates (ignoring case) and unknown users with their reason', async () => {
    const dup = await gate(['user', 'add', 'ALICE', '--password-stdin'], 'x\n')
    expect(dup.code).toBe(1)
    expect(dup.stderr).toBe("mlflow-gate user add: user 'ALICE' already exists\n")
    const missing = await gate(['user', 'passwd', 'nobody', '--password-stdin'], 'x\n')
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain("no user named 'nobody'")
    expect((await gate(['user', 'disable', 'nobody'])).code).toBe(1)
  })

  it('changes passwords, disables, enables and deletes', async () => {
    expect(
      (await gate(['user', 'passwd', 'alice', '--password-stdin'], 'new-secret-long\n')).code,
    ).toBe(0)
    expect(await verifyPassword('new-secret-long', (await storedHash('alice'))!)).toBe(true)
    expect((await json(['user', 'disable', 'alice'])).user.disabled).toBe(true)
    expect((await json(['user', 'enable', 'alice'])).user.disabled).toBe(false)
    expect((await gate(['user', 'delete', 'Root'])).stdout).toBe('Deleted user Root.\n')
    expect(await storedHash('Root')).toBeUndefined()
  })
})

describe('group, grant and token commands', () => {
  it('make groups and change their members, all or nothing', async () => {
    await gate(['user', 'add', 'bob', '--password-stdin'], 'bob-secret-long\n')
    expect((await gate(['group', 'add', 'team'])).stdout).toBe('Created group team.\n')
    const add = await gate(['group', 'member', 'add', 'team', 'alice', 'bob'])
    expect(add.stdout).toBe('Added alice, bob to team; members now: alice, bob.\n')
    // One unknown name: nothing changes.
    const bad = await gate(['group', 'member', 'remove', 'team', 'bob', 'nobody'])
    expect(bad.code).toBe(1)
    expect((await json(['group', 'list'])).groups).toEqual([
      expect.objectContaining({ name: 'team', origin: 'api', members: ['alice', 'bob'] }),
    ])
    expect((await gate(['group', 'member', 'remove', 'team', 'bob'])).code).toBe(0)
    expect((await gate(['group', 'list'])).stdout).toBe(
      'NAME  ORIGIN  MEMBERS\nteam  api     alice\n',
    )
  })

  it('add, list and revoke grants', async () => {
    const added = await json([
      'grant',
      'add',
      '--to',
      'group:team',
      '--permission',
      'edit',
      '--experiment',
      'team-*',
      '--registered-model',
      'team-model',
    ])
    expect(
      added.grants.map((g: any) => [g.to, g.permission, g.resource, g.pattern, g.origin]),
    ).toEqual([
      ['group:team', 'EDIT', 'experiment', 'team-*', 'api'],
      ['group:team', 'EDIT', 'registered-model', 'team-model', 'api'],
    ])
    await gate([
      'grant',
      'add',
      '--to',
      'user:bob',
      '--deny',
      '--permission',
      'READ',
      '--experiment-id',
      '3',
    ])
    const list = await gate(['grant', 'list', '--to', 'user:bob'])
    expect(list.stdout).toMatch(
      /^ID\s+TO\s+PERMISSION\s+RESOURCE\s+PATTERN\s+ORIGIN\s+SOURCE\n3\s+user:bob\s+deny READ\s+experiment-id\s+3\s+api\s+-\n$/,
    )
    const usage = await gate(['grant', 'add', '--to', 'user:bob', '--permission', 'READ'])
    expect(usage.code).toBe(2)
    expect(usage.stderr).toContain('name at least one --experiment')
    expect(
      (
        await gate([
          'grant',
          'add',
          '--to',
          'user:zed',
          '--permission',
          'READ',
          '--experiment',
          'x',
        ])
      ).stderr,
    ).toContain("no user named 'zed'")
    expect((await gate(['grant', 'revoke', '3'])).stdout).toBe('Revoked grant 3.\n')
    expect((await json(['grant', 'list'])).grants).toHaveLength(2)
    expect((await gate(['grant', 'revoke', '3'])).stderr).toContain('no grant with id 3')
  })

  it('add, list and remove create rights', async () => {
    const added = await json([
      'create-right',
      'add',
      '--to',
      'group:team',
      '--experiment',
      'team-*',
      '--prompt',
      'team-prompt-*',
    ])
    expect(added.create_rights.map((r: any) => [r.to, r.kind, r.pattern, r.origin])).toEqual([
      ['group:team', 'experiment', 'team-*', 'api'],
      ['group:team', 'prompt', 'team-prompt-*', 'api'],
    ])
    const [first, second] = added.create_rights.map((r: any) => r.id as number)
    expect((await gate(['create-right', 'list'])).stdout).toMatch(
      new RegExp(
        `^ID\\s+TO\\s+KIND\\s+PATTERN\\s+ORIGIN\\s+SOURCE\\n${first}\\s+group:team\\s+experiment\\s+team-\\*\\s+api\\s+-\\n`,
      ),
    )
    const usage = await gate(['create-right', 'add', '--to', 'group:team'])
    expect(usage.code).toBe(2)
    expect(usage.stderr).toContain('name at least one --experiment')
    expect(
      (await gate(['create-right', 'add', '--to', 'group:nope', '--experiment', 'x'])).code,
    ).toBe(1)
    expect((await gate(['create-right', 'remove', String(second)])).stdout).toBe(
      `Removed create right ${second}.\n`,
    )
    expect((await json(['create-right', 'list'])).create_rights).toHaveLength(1)
    expect((await gate(['create-right', 'remove', String(second)])).stderr).toContain(
      `no create right with id ${second}`,
    )
    expect((await gate(['create-right', '--help'])).stdout).toContain('remove')
  })

  it('create tokens shown once, list them without secrets, revoke them', async () => {
    const created = await json([
      'token',
      'create',
      'alice',
      '--name',
      'laptop',
      '--read-only',
      '--expires-in',
      '30d',
    ])
    expect(created.token).toMatch(/^mlgt_[0-9a-f]{16}_/)
    expect(created).toMatchObject({ user: 'alice', name: 'laptop', readOnly: true })
    expect(Date.parse(created.expiresAt) - Date.now()).toBeGreaterThan(29 * 86_400_000)
    const human = await gate(['token', 'create', 'bob', '--name', 'ci'])
    expect(human.stdout).toMatch(
      /^Created token 'ci' for bob\.\nIt is shown only this once:\n\nmlgt_[0-9a-f]{16}_[\w-]{43}\n$/,
    )
    const list = await gate(['token', 'list'])
    expect(list.stdout).not.toContain(created.token)
    expect(list.stdout).toContain(`${created.id}  alice  laptop  yes`)
    expect((await gate(['token', 'revoke', created.id])).code).toBe(0)
    expect((await json(['token', 'list', '--user', 'alice'])).tokens).toEqual([])
  })
})

describe('--help', () => {
  it.each([
    'migrate',
    'plan',
    'apply',
    'import-mlflow-auth',
    'user add',
    'user list',
    'user disable',
    'user enable',
    'user passwd',
    'user delete',
    'group add',
    'group list',
    'group delete',
    'group member add',
    'group member remove',
    'grant add',
    'grant list',
    'grant revoke',
    'create-right add',
    'create-right list',
    'create-right remove',
    'token create',
    'token list',
    'token revoke',
  ])('%s has a usage line and an example', async (command) => {
    const res = await runBin([...command.split(' '), '--help'])
    expect(res.code).toBe(0)
    expect(res.stdout).toMatch(new RegExp(`^Usage: mlflow-gate ${command}`))
    expect(res.stdout).toContain(`Example:\n  mlflow-gate ${command}`)
  })

  it('lists a group’s commands, and refuses unknown ones', async () => {
    expect((await runBin(['group', '--help'])).stdout).toMatch(
      /add\s+create a group[\s\S]*member\s+add users/,
    )
    const res = await runBin(['user', 'remove'])
    expect(res.code).toBe(2)
    expect(res.stderr).toContain("mlflow-gate user: unknown command 'remove'")
  })
})

describe('a running gateway on the same store', () => {
  const mlflow = useMlflow()
  const shared = `sqlite:${join(tempDir(), 'shared.db')}`
  let gateway: TestGateway
  let experimentId = ''
  beforeAll(async () => {
    experimentId = (
      await callMlflow<{ experiment_id: string }>(mlflow(), '/api/2.0/mlflow/experiments/create', {
        name: 'shared',
      })
    ).experiment_id
    gateway = await startTestGateway(mlflow().url, { storage: { url: shared, refresh_ms: 200 } })
  })
  afterAll(() => gateway?.close())

  const asCarol = (password: string) =>
    send(`${gateway.url}/api/2.0/mlflow/experiments/get?experiment_id=${experimentId}`, {
      auth: false,
      headers: { authorization: `Basic ${Buffer.from(`carol:${password}`).toString('base64')}` },
    })
  /** Polls until the gateway (another process's view of the store) answers `status`. */
  async function eventually(status: number, password = 'carol-secret') {
    const deadline = Date.now() + 30_000
    let last = 0
    while (Date.now() < deadline) {
      last = (await asCarol(password)).status
      if (last === status) return
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error(`gateway still answers ${last}, not ${status}`)
  }
  const cli = (args: string[], input?: string) =>
    runBin([...args, '--storage', shared], input === undefined ? {} : { input })

  it('sees users, grants and disabling made by the CLI within storage.refresh_ms', async () => {
    expect((await asCarol('carol-secret')).status).toBe(401)
    expect((await cli(['user', 'add', 'carol', '--password-stdin'], 'carol-secret\n')).code).toBe(0)
    await eventually(403)
    const grant = await cli([
      'grant',
      'add',
      '--to',
      'user:carol',
      '--permission',
      'READ',
      '--experiment-id',
      experimentId,
    ])
    expect(grant.code).toBe(0)
    await eventually(200)
    expect(JSON.parse((await asCarol('carol-secret')).body).experiment.name).toBe('shared')
    expect((await cli(['user', 'disable', 'carol'])).code).toBe(0)
    await eventually(401)
  })
})
