/** Runs the built `mlflow-gate` bin (dist/main.js) as a user would, with optional standard input. */
import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PROJECT_ROOT } from '../../src/mlflow/venv.js'

export const BIN = `${PROJECT_ROOT}dist/main.js`

export type CliResult = { code: number | null; stdout: string; stderr: string }

/** Standard input is `input` when given, else empty (a pipe, never a terminal). */
export function runBin(
  args: string[],
  options: { input?: string; env?: Record<string, string> } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, stdout, stderr }))
    child.stdin.end(options.input ?? '')
  })
}

/** A fresh folder for one test's files. */
export function tempDir(prefix = 'mlflow-gate-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

export function writeFile(dir: string, name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}
