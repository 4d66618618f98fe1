/** Runs once before the integration suite: builds the CLI and makes sure the pinned MLflow venv exists. */
import { execFileSync } from 'node:child_process'
import { ensureMlflowVenv, PROJECT_ROOT } from '../../src/mlflow/venv.js'

export default async function setup(): Promise<void> {
  // The CLI tests run the real bin from dist/, so build it from the sources under test.
  execFileSync(
    process.execPath,
    [`${PROJECT_ROOT}node_modules/typescript/bin/tsc`, '-p', 'tsconfig.build.json'],
    {
      cwd: PROJECT_ROOT,
      stdio: 'inherit',
    },
  )
  await ensureMlflowVenv({ quiet: false })
}
