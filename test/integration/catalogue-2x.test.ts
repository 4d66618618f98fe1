/** The last MLflow 2.x checked against the 3.18.0 catalogue the same way, so we know what differs. */
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { CATALOGUE } from '../../src/classify/rows/index.js'
import { ensureMlflowVenv, MLFLOW_2X, PROJECT_ROOT } from '../../src/mlflow/venv.js'

type Dump = {
  mlflow_version: string
  routes: { method: string; path: string; source: string; endpoint: string }[]
}
const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`

let dump: Dump

beforeAll(async () => {
  await ensureMlflowVenv({ other: MLFLOW_2X })
  const { stdout } = await promisify(execFile)(
    `${MLFLOW_2X.venv}/bin/python`,
    [`${PROJECT_ROOT}scripts/dump-mlflow-routes.py`],
    { timeout: 110_000, maxBuffer: 16 << 20 },
  )
  dump = JSON.parse(stdout) as Dump
}, 600_000)

describe(`MLflow ${MLFLOW_2X.version} against the catalogue`, () => {
  it('is the version asked for, with a non-empty route table equal to the saved fixture', () => {
    expect(dump.mlflow_version).toBe(MLFLOW_2X.version)
    expect(dump.routes.length).toBeGreaterThan(0)
    const saved = JSON.parse(
      readFileSync(`${PROJECT_ROOT}test/fixtures/mlflow-routes-${MLFLOW_2X.version}.json`, 'utf8'),
    ) as Dump
    expect(dump.routes.map(key)).toEqual(saved.routes.map(key))
  })

  it('serves exactly the known routes the catalogue lacks (denied as unknown against 2.x)', () => {
    const rows = new Set(CATALOGUE.map(key))
    const missing = dump.routes
      .map(key)
      .filter((k) => !rows.has(k))
      .sort()
    const known = JSON.parse(
      readFileSync(
        `${PROJECT_ROOT}test/fixtures/mlflow-${MLFLOW_2X.version}-differences.json`,
        'utf8',
      ),
    ) as { not_in_catalogue: string[] }
    expect(missing).toEqual([...known.not_in_catalogue].sort())
  })
})
