/** Reads a password from the terminal without echo, or one line of standard input; never from argv. */
import { createInterface } from 'node:readline'
import { failure } from './output.js'

/**
 * The new password for `user add` / `user passwd`: one line of stdin with `--password-stdin`,
 * else asked twice on the terminal. Undefined after printing why not (exit 1). Passwords are
 * never taken from arguments: those show up in `ps` and shell history.
 */
export async function readNewPassword(
  command: string,
  fromStdin: boolean,
): Promise<string | undefined> {
  let password: string | undefined
  if (fromStdin) password = await firstLine()
  else if (process.stdin.isTTY) password = await askTwice(command)
  else {
    failure(command, 'no terminal to ask for the password on; pipe it with --password-stdin')
    return undefined
  }
  if (password === undefined) return undefined
  if (password === '') {
    failure(command, 'the password is empty')
    return undefined
  }
  return password
}

/** The first line of standard input (without its line ending), or '' when there is none. */
export async function firstLine(): Promise<string> {
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity })
  for await (const line of rl) {
    rl.close()
    return line
  }
  return ''
}

/** Asks twice without echo; undefined (after saying so) when the two differ. */
export async function askTwice(command: string): Promise<string | undefined> {
  const first = await askHidden('Password: ')
  const second = await askHidden('Again: ')
  if (first !== second) {
    failure(command, 'the passwords differ')
    return undefined
  }
  return first
}

/** Reads a line from the terminal without echoing it. */
export function askHidden(prompt: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true })
    const output = rl as unknown as { _writeToOutput: (s: string) => void }
    process.stderr.write(prompt)
    output._writeToOutput = () => undefined
    rl.question('', (answer) => {
      rl.close()
      process.stderr.write('\n')
      resolve(answer)
    })
  })
}

/** Asks a yes/no question on the terminal; anything but y/yes is no. */
export function confirm(question: string): Promise<boolean> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true })
    rl.question(`${question} [y/N] `, (answer) => {
      rl.close()
      resolve(/^y(es)?$/i.test(answer.trim()))
    })
  })
}
