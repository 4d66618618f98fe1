/** `mlflow-gate hash-password`: prints a password hash for access.users[].password_hash. */
import { hashPassword } from '../identify/password.js'
import type { Command } from './index.js'
import { askTwice, firstLine } from './password-input.js'

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
    const password = process.stdin.isTTY ? await askTwice('hash-password') : await firstLine()
    if (password === undefined) return 1
    if (!password) {
      process.stderr.write('mlflow-gate hash-password: the password is empty\n')
      return 1
    }
    process.stdout.write(`${await hashPassword(password)}\n`)
    return 0
  },
}
