/** Runs once before the integration suite: makes sure the pinned MLflow venv exists. */
import { ensureMlflowVenv } from '../../src/mlflow/venv.js'

export default async function setup(): Promise<void> {
  await ensureMlflowVenv({ quiet: false })
}
