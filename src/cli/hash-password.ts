/** `mlflow-gate hash-password`: prints a password hash for access.users[].password_hash. */
import { createInterface } from 'node:readline'
import { hashPassword } from '../identify/password.js'
import type { Command } from './index.js'

export const hashPasswordCommand: Command = {
  summary: 'print a password hash for the config (access.users[].password_hash)',
  usage: 'Usage: mlflow-gate hash-password',
  help: `Asks for a password twice on a terminal (nothing is echoed), or reads one line from standard
input when piped, and prints its hash in Werkzeug's scrypt format: the same format MLflow's own
basic-auth stores, so hashes move between the two unchanged.

Example:
  mlflow-gate hash-password
  printf '%s\\n' "$PASSWORD" | mlflow-gate hash-password
`,
  options: {},
  async run() {
    const password = process.stdin.isTTY ? await askTwice() : await firstLine()
    if (!password) {
      process.stderr.write('mlflow-gate hash-password: the password is empty\n')
      return 1
    }
    process.stdout.write(`${await hashPassword(password)}\n`)
    return 0
  },
}

async function firstLine(): Promise<string> {
  const rl = createInterface({ input: process.stdin })
  for await (const line of rl) {
    rl.close()
    return line
  }
  return ''
}

async function askTwice(): Promise<string | undefined> {
  const first = await askHidden('Password: ')
  const second = await askHidden('Again: ')
  if (first !== second) {
    process.stderr.write('mlflow-gate hash-password: the passwords differ\n')
    return undefined
  }
  return first
}

/** Reads a line from the terminal without echoing it. */
function askHidden(prompt: string): Promise<string> {
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
