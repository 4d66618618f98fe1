/** The CLI at a terminal (a pseudo-terminal): password prompts without echo, and apply's confirmation. */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { verifyPassword } from '../../src/identify/password.js'
import { listUsers, passwordHashOf } from '../../src/storage/access/users.js'
import { openStore } from '../../src/storage/open.js'
import { BIN, tempDir, writeFile } from '../harness/cli.js'
import { runPython } from '../harness/python.js'
import { USERS } from '../harness/users.js'

/** `answers`: [text to wait for, reply, how many times the text must have appeared]. */
const onTerminal = (args: string[], answers: [string, string, number][]) =>
  runPython<{ output: string; exit: number }>(
    'on_terminal.py',
    [JSON.stringify({ argv: [process.execPath, BIN, ...args], answers })],
    {},
  )

describe('at a terminal', () => {
  const storage = `sqlite:${join(tempDir(), 'gate.db')}`

  it('asks for a password twice and never shows it', async () => {
    const res = await onTerminal(
      ['user', 'add', 'alice', '--storage', storage],
      [
        ['Password: ', 'typed-secret-1', 1],
        ['Again: ', 'typed-secret-1', 1],
      ],
    )
    expect(res.exit).toBe(0)
    expect(res.output).toContain('Password: ')
    expect(res.output).toContain('Created user alice.')
    expect(res.output).not.toContain('typed-secret')
    const store = await openStore(storage)
    const hash = (await passwordHashOf(store.db, 'alice'))!.hash!
    await store.close()
    expect(await verifyPassword('typed-secret-1', hash)).toBe(true)
  })

  it('refuses two different passwords', async () => {
    const res = await onTerminal(
      ['user', 'passwd', 'alice', '--storage', storage],
      [
        ['Password: ', 'one-password', 1],
        ['Again: ', 'another-one', 1],
      ],
    )
    expect(res.exit).toBe(1)
    expect(res.output).toContain('the passwords differ')
  })

  it('applies only after a yes', async () => {
    const dir = tempDir()
    const config = writeFile(
      dir,
      'gate.yaml',
      stringify({
        storage: { url: storage },
        access: { users: [{ name: 'bob', password_hash: USERS.guest.hash }] },
      }),
    )
    const no = await onTerminal(['apply', '-c', config], [['Apply this change? [y/N] ', 'n', 1]])
    expect(no.exit).toBe(1)
    expect(no.output).toContain('+ user bob')
    expect(no.output).toContain('not applied')
    const yes = await onTerminal(['apply', '-c', config], [['Apply this change? [y/N] ', 'y', 1]])
    expect(yes.exit).toBe(0)
    expect(yes.output).toContain('Applied 1 change.')
    const store = await openStore(storage)
    expect((await listUsers(store.db)).map((u) => u.name)).toEqual(['alice', 'bob'])
    await store.close()
  })
})
