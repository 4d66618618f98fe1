/** Locates the project-local MLflow venv and creates it with scripts/mlflow-venv.sh when missing. */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The repository root: src/mlflow (or dist/mlflow) is two levels below it. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url))

export const MLFLOW_VENV = process.env.MLFLOW_GATE_VENV ?? `${PROJECT_ROOT}.mlflow-venv`
export const MLFLOW_BIN = `${MLFLOW_VENV}/bin/mlflow`
export const VENV_PYTHON = `${MLFLOW_VENV}/bin/python`

/** The last MLflow 2.x release, whose routes are checked against the catalogue too. */
export const MLFLOW_2X = { version: '2.22.5', venv: `${PROJECT_ROOT}.mlflow-venv-2` } as const

/**
 * Runs the idempotent venv script (a no-op in well under a second once installed); `other`
 * installs another MLflow version into another folder.
 */
export async function ensureMlflowVenv({
  quiet = false,
  other,
}: { quiet?: boolean; other?: { version: string; venv: string } } = {}): Promise<void> {
  const script = `${PROJECT_ROOT}scripts/mlflow-venv.sh`
  if (!existsSync(script))
    throw new Error(`missing ${script}; is this a full checkout of mlflow-gate?`)
  await new Promise<void>((resolve, reject) => {
    const env = other
      ? { ...process.env, MLFLOW_GATE_MLFLOW_VERSION: other.version, MLFLOW_GATE_VENV: other.venv }
      : process.env
    const child = spawn('bash', [script], { stdio: quiet ? 'ignore' : 'inherit', env })
    child.once('error', reject)
    child.once('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`scripts/mlflow-venv.sh failed (exit ${code}); see its message above`)),
    )
  })
}
