/** Seeds a fresh MLflow through its REST API with an experiment and runs, and builds the read mix the load test sends. */

async function call(base, method, path, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`MLflow ${method} ${path} answered ${res.status}: ${text}`)
  return JSON.parse(text)
}

/** A finished run with `params` params, `metrics` metrics (a few steps each) and some tags. */
async function seedRun(base, experimentId, i, { params, metrics }) {
  const now = Date.now()
  const { run } = await call(base, 'POST', '/api/2.0/mlflow/runs/create', {
    experiment_id: experimentId,
    run_name: `bench-run-${i}`,
    start_time: now,
    tags: [{ key: 'bench', value: 'true' }],
  })
  const runId = run.info.run_id
  await call(base, 'POST', '/api/2.0/mlflow/runs/log-batch', {
    run_id: runId,
    params: Array.from({ length: params }, (_, p) => ({ key: `param_${p}`, value: String(p * i) })),
    metrics: Array.from({ length: metrics * 3 }, (_, m) => ({
      key: `metric_${m % metrics}`,
      value: Math.sin(i + m),
      timestamp: now,
      step: Math.floor(m / metrics),
    })),
    tags: [{ key: 'model', value: i % 2 ? 'small' : 'large' }],
  })
  await call(base, 'POST', '/api/2.0/mlflow/runs/update', {
    run_id: runId,
    status: 'FINISHED',
    end_time: now + 1,
  })
  return runId
}

/** Creates one experiment with `runs` runs; returns their ids. */
export async function seedMlflow(base, { runs = 20, params = 10, metrics = 10 } = {}) {
  const { experiment_id: experimentId } = await call(
    base,
    'POST',
    '/api/2.0/mlflow/experiments/create',
    { name: `bench-${Date.now()}` },
  )
  const runIds = []
  for (let i = 0; i < runs; i++)
    runIds.push(await seedRun(base, experimentId, i, { params, metrics }))
  return { experimentId, runIds }
}

/**
 * The read mix, one of each in turn per connection: get experiment, get run, search runs (the
 * first page of 10, newest first, as the MLflow UI's run list asks).
 */
export function readMix({ experimentId, runIds }) {
  return [
    { method: 'GET', path: `/api/2.0/mlflow/experiments/get?experiment_id=${experimentId}` },
    { method: 'GET', path: `/api/2.0/mlflow/runs/get?run_id=${runIds[0]}` },
    {
      method: 'POST',
      path: '/api/2.0/mlflow/runs/search',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        experiment_ids: [experimentId],
        max_results: 10,
        order_by: ['attributes.start_time DESC'],
      }),
    },
  ]
}

/** Sends each request of the mix once to `base` and fails loudly unless all answer 200 with JSON. */
export async function checkMix(base, mix) {
  for (const r of mix) {
    const res = await fetch(`${base}${r.path}`, {
      method: r.method,
      headers: r.headers,
      body: r.body,
    })
    const text = await res.text()
    if (res.status !== 200)
      throw new Error(`${r.method} ${base}${r.path} answered ${res.status}: ${text}`)
    JSON.parse(text)
  }
}
