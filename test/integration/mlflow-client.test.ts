/** The real MLflow Python client works through the gateway, and what it wrote is what MLflow stored. */
import { createHash } from 'node:crypto'
import { createReadStream, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestGateway, type TestGateway } from '../harness/gateway.js'
import { callMlflow, useMlflow } from '../harness/mlflow.js'
import { runPython } from '../harness/python.js'
import { USERS } from '../harness/users.js'

const mlflow = useMlflow()
let gateway: TestGateway

beforeAll(async () => {
  gateway = await startTestGateway(mlflow().url)
})
afterAll(async () => {
  await gateway?.close()
})

type Roundtrip = {
  experiment_id: string
  experiment_name: string
  run_id: string
  status: string
  params: Record<string, string>
  metrics: Record<string, number>
  loss_history: [number, number][]
  artifacts: [string, number][]
  uploaded_sha256: string
  downloaded_sha256: string
  artifact_bytes: number
  model_name: string
  model_description: string
  model_version: string
  model_version_run_id: string
}

const direct = <T>(path: string, body?: object) => callMlflow<T>(mlflow(), path, body)

function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256')
    createReadStream(path)
      .on('data', (c) => h.update(c))
      .on('end', () => resolve(h.digest('hex')))
      .on('error', reject)
  })
}

function findFile(dir: string, name: string): string | undefined {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name)
    if (entry.isDirectory()) {
      const found = findFile(p, name)
      if (found) return found
    } else if (entry.name === name) return p
  }
  return undefined
}

describe('MLflow Python client through the gateway', () => {
  it('writes an experiment, run, 50 MB artifact and model, reads them back, and MLflow agrees', async () => {
    const suffix = String(Date.now())
    const seen = await runPython<Roundtrip>('client_roundtrip.py', [suffix], {
      MLFLOW_TRACKING_URI: gateway.url,
      MLFLOW_TRACKING_USERNAME: 'admin',
      MLFLOW_TRACKING_PASSWORD: USERS.admin.password,
    })

    // What the client read back through the gateway.
    expect(seen.experiment_name).toBe(`roundtrip-${suffix}`)
    expect(seen.status).toBe('FINISHED')
    expect(seen.params).toEqual({ alpha: '0.5', layers: '3' })
    expect(seen.metrics).toEqual({ loss: 0.2, acc: 0.9 })
    expect(seen.loss_history).toEqual([0, 1, 2, 3, 4].map((s) => [s, 1 / (s + 1)]))
    expect(seen.artifacts).toEqual([['model-files/weights.bin', 50 << 20]])
    expect(seen.downloaded_sha256).toBe(seen.uploaded_sha256)
    expect(seen.model_version_run_id).toBe(seen.run_id)

    // What MLflow itself stored, read without the gateway.
    const exp = await direct<{ experiment: { name: string } }>(
      `/api/2.0/mlflow/experiments/get?experiment_id=${seen.experiment_id}`,
    )
    expect(exp.experiment.name).toBe(seen.experiment_name)
    const run = await direct<{
      run: { info: { status: string }; data: { params: { key: string; value: string }[] } }
    }>(`/api/2.0/mlflow/runs/get?run_id=${seen.run_id}`)
    expect(run.run.info.status).toBe('FINISHED')
    expect(Object.fromEntries(run.run.data.params.map((p) => [p.key, p.value]))).toEqual(
      seen.params,
    )
    const model = await direct<{
      registered_model: { description: string; aliases: { alias: string }[] }
    }>(`/api/2.0/mlflow/registered-models/get?name=${seen.model_name}`)
    expect(model.registered_model.description).toBe('through the gateway')
    expect(model.registered_model.aliases).toEqual([
      { alias: 'champion', version: seen.model_version },
    ])

    // The artifact bytes on MLflow's disk are exactly what the client uploaded.
    const stored = findFile(join(mlflow().artifactsDir, seen.experiment_id), 'weights.bin')
    expect(stored, 'artifact file in MLflow artifact root').toBeDefined()
    expect(statSync(stored!).size).toBe(seen.artifact_bytes)
    expect(await sha256File(stored!)).toBe(seen.uploaded_sha256)

    // Every request went through the decision path and was audited.
    expect(gateway.audit.length).toBeGreaterThan(10)
    expect(gateway.audit.every((e) => e.status < 400)).toBe(true)
  })
})
