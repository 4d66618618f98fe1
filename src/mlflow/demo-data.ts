/** Demo content logged through MLflow's REST API: experiments with a run, metric history, params, artifacts and a registered model. */

export type DemoExperiment = {
  /** The experiment's name; the run is called `<name>-run`. */
  readonly name: string
  /** Metric steps logged for `loss` and `accuracy`, so the run's charts draw a line. */
  readonly steps?: number
  readonly params?: Readonly<Record<string, string>>
  /** Artifact path -> text content, uploaded into the run's artifact folder. */
  readonly artifacts?: Readonly<Record<string, string>>
  /** A registered model (version 1 from this run's `model/` folder) to create too. */
  readonly model?: string
}

export type DemoCreated = { readonly experimentId: string; readonly runId: string }

/**
 * Calls MLflow's REST API directly (the gateway's loopback upstream, never a client-facing URL).
 * GET without a body, POST with one; anything but 200 is an error naming the call.
 */
export async function callMlflowApi<T>(baseUrl: string, path: string, body?: object): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body && JSON.stringify(body),
  })
  const text = await res.text()
  if (res.status !== 200) throw new Error(`MLflow ${path} answered ${res.status}: ${text}`)
  return JSON.parse(text) as T
}

/**
 * Uploads one artifact through MLflow's artifact proxy (`mlflow server --serve-artifacts`), the
 * way the MLflow client does for `mlflow-artifacts:` URIs (mlflow/store/artifact/
 * http_artifact_repo.py log_artifact: PUT /api/2.0/mlflow-artifacts/artifacts/<path>).
 */
async function uploadArtifact(baseUrl: string, artifactUri: string, path: string, text: string) {
  const prefix = 'mlflow-artifacts:'
  if (!artifactUri.startsWith(prefix)) {
    throw new Error(`demo artifacts need 'mlflow server --serve-artifacts', got ${artifactUri}`)
  }
  const folder = artifactUri.slice(prefix.length).replace(/^\/+/, '')
  const res = await fetch(`${baseUrl}/api/2.0/mlflow-artifacts/artifacts/${folder}/${path}`, {
    method: 'PUT',
    body: text,
  })
  if (res.status !== 200) throw new Error(`uploading ${path} answered ${res.status}`)
}

/** A decaying loss and a rising accuracy, deterministic so screenshots compare. */
function metricHistory(steps: number, start: number) {
  return Array.from({ length: steps }, (_, step) => [
    { key: 'loss', value: 1 / (1 + 0.4 * step), timestamp: start + step * 1000, step },
    { key: 'accuracy', value: 0.5 + 0.45 * (1 - 1 / (1 + 0.3 * step)), timestamp: start, step },
  ]).flat()
}

/** The smallest MLmodel file MLflow's model-version page reads (mlflow/models/model.py). */
export function mlmodel(runId: string): string {
  return `artifact_path: model
flavors:
  python_function:
    loader_module: mlflow.pyfunc.model
run_id: ${runId}
`
}

/** Creates the experiment, one finished run with metrics, params and artifacts, and its model. */
export async function createDemoExperiment(
  baseUrl: string,
  spec: DemoExperiment,
): Promise<DemoCreated> {
  const call = <T>(path: string, body?: object) => callMlflowApi<T>(baseUrl, path, body)
  const { experiment_id: experimentId } = await call<{ experiment_id: string }>(
    '/api/2.0/mlflow/experiments/create',
    { name: spec.name },
  )
  const start = Date.now()
  const { run } = await call<{ run: { info: { run_id: string; artifact_uri: string } } }>(
    '/api/2.0/mlflow/runs/create',
    { experiment_id: experimentId, run_name: `${spec.name}-run`, start_time: start },
  )
  const { run_id: runId, artifact_uri: artifactUri } = run.info
  await call('/api/2.0/mlflow/runs/log-batch', {
    run_id: runId,
    metrics: metricHistory(spec.steps ?? 20, start),
    params: Object.entries(spec.params ?? {}).map(([key, value]) => ({ key, value })),
  })
  const artifacts = { ...spec.artifacts, ...(spec.model && { 'model/MLmodel': mlmodel(runId) }) }
  for (const [path, text] of Object.entries(artifacts)) {
    await uploadArtifact(baseUrl, artifactUri, path, text)
  }
  await call('/api/2.0/mlflow/runs/update', {
    run_id: runId,
    status: 'FINISHED',
    end_time: start + 60_000,
  })
  if (spec.model) {
    await call('/api/2.0/mlflow/registered-models/create', { name: spec.model })
    await call('/api/2.0/mlflow/model-versions/create', {
      name: spec.model,
      source: `${artifactUri}/model`,
      run_id: runId,
    })
  }
  return { experimentId, runId }
}
