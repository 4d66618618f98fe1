/** Runs a Python script from test/python with the project's MLflow venv and parses its JSON output. */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { PROJECT_ROOT, VENV_PYTHON } from '../../src/mlflow/venv.js'

const run = promisify(execFile)

/** `python` is another venv's interpreter, e.g. the MLflow 2.x venv's, to run its client. */
export async function runPython<T>(
  script: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs = 240_000,
  python = VENV_PYTHON,
): Promise<T> {
  try {
    const { stdout } = await run(python, [`${PROJECT_ROOT}test/python/${script}`, ...args], {
      env: { ...process.env, ...env },
      timeout: timeoutMs,
      maxBuffer: 16 << 20,
    })
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as T
  } catch (err) {
    const e = err as { stderr?: string; message: string }
    throw new Error(`${script} failed: ${e.message}\n${e.stderr ?? ''}`)
  }
}
