/** Seeds artifact worlds directly in MLflow (experiments, runs, logged models, stored files) for the artifact tests. */
import type { MlflowServer } from '../../src/mlflow/server-process.js'
import { callMlflow } from './mlflow.js'

export type SeededRun = {
  readonly runId: string
  readonly experimentId: string
  readonly storePath: string
}

/** The store path an `mlflow-artifacts:` URI names (the part the proxy routes take). */
export function storePathOf(uri: string): string {
  const m = /^mlflow-artifacts:(?:\/\/[^/]*)?\/?(.*)$/.exec(uri)
  if (!m) throw new Error(`not an mlflow-artifacts URI: ${uri}`)
  return m[1]!.replace(/\/$/, '')
}

export async function createExperiment(
  server: MlflowServer,
  name: string,
  artifactLocation?: string,
): Promise<string> {
  const body = artifactLocation ? { name, artifact_location: artifactLocation } : { name }
  const { experiment_id } = await callMlflow<{ experiment_id: string }>(
    server,
    '/api/2.0/mlflow/experiments/create',
    body,
  )
  return experiment_id
}

export async function createRun(server: MlflowServer, experimentId: string): Promise<SeededRun> {
  const { run } = await callMlflow<{ run: { info: { run_id: string; artifact_uri: string } } }>(
    server,
    '/api/2.0/mlflow/runs/create',
    { experiment_id: experimentId },
  )
  return { runId: run.info.run_id, experimentId, storePath: storePathOf(run.info.artifact_uri) }
}

export async function createLoggedModel(
  server: MlflowServer,
  experimentId: string,
): Promise<{ modelId: string; storePath: string }> {
  const { model } = await callMlflow<{
    model: { info: { model_id: string; artifact_uri: string } }
  }>(server, '/api/2.0/mlflow/logged-models', {
    experiment_id: experimentId,
    name: 'artifact-test-model',
  })
  return { modelId: model.info.model_id, storePath: storePathOf(model.info.artifact_uri) }
}

/** Stores a file in MLflow's artifact store directly (not through the gateway). */
export async function putFile(server: MlflowServer, storePath: string, body: string | Buffer) {
  const res = await fetch(`${server.url}/api/2.0/mlflow-artifacts/artifacts/${storePath}`, {
    method: 'PUT',
    body,
  })
  if (res.status !== 200) throw new Error(`PUT ${storePath}: ${res.status} ${await res.text()}`)
}

/** Whether MLflow's store holds the file, asked directly. */
export async function hasFile(server: MlflowServer, storePath: string): Promise<boolean> {
  const res = await fetch(`${server.url}/api/2.0/mlflow-artifacts/artifacts/${storePath}`)
  await res.arrayBuffer()
  return res.status === 200
}
