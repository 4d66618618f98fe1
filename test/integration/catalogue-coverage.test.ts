/** The endpoint catalogue against the routes the pinned MLflow serves (dump-mlflow-routes.py). */
import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Row } from '../../src/classify/row.js'
import { CATALOGUE } from '../../src/classify/rows/index.js'
import { PROJECT_ROOT } from '../../src/mlflow/venv.js'

type ServedRoute = {
  method: string
  path: string
  source: 'flask' | 'fastapi'
  endpoint: string
  module: string
  shadowed?: { source: string; endpoint: string }[]
}
type Dump = { mlflow_version: string; routes: ServedRoute[] }

const PYTHON = `${PROJECT_ROOT}.mlflow-venv/bin/python`
const SCRIPT = `${PROJECT_ROOT}scripts/dump-mlflow-routes.py`
const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`

async function dumpRoutes(): Promise<Dump> {
  try {
    const { stdout } = await promisify(execFile)(PYTHON, [SCRIPT], {
      timeout: 110_000,
      maxBuffer: 16 << 20,
    })
    return JSON.parse(stdout) as Dump
  } catch (err) {
    const e = err as { message: string; stderr?: string }
    throw new Error(`dump-mlflow-routes.py failed: ${e.message}\n${e.stderr ?? ''}`)
  }
}

describe('endpoint catalogue coverage', () => {
  let dump: Dump
  let served: Map<string, ServedRoute>

  beforeAll(async () => {
    dump = await dumpRoutes()
    served = new Map(dump.routes.map((r) => [key(r), r]))
  })

  it('reads a non-empty route table from MLflow', () => {
    expect(dump.routes.length, 'the dump found no routes').toBeGreaterThan(0)
  })

  it('has a row for every (method, path) MLflow serves', () => {
    const rows = new Set(CATALOGUE.map(key))
    const missing = dump.routes
      .filter((r) => !rows.has(key(r)))
      .map((r) => `${key(r)}  (${r.source} ${r.module} ${r.endpoint})`)
    expect(missing, `MLflow ${dump.mlflow_version} serves routes with no catalogue row`).toEqual([])
  })

  it('has no row for a route MLflow does not serve', () => {
    const stale = CATALOGUE.filter((r) => !served.has(key(r))).map(key)
    expect(stale, `catalogue rows that match no MLflow ${dump.mlflow_version} route`).toEqual([])
  })

  it('cites, in each row, the handler that serves the route', () => {
    // The dump names the view MLflow dispatches to; a row citing another function was written
    // against different code (or the route moved to another handler in an upgrade).
    const wrong = CATALOGUE.flatMap((r: Row) => {
      const route = served.get(key(r))
      if (!route || new Set(r.source.match(/\w+/g)).has(route.endpoint)) return []
      return [`${key(r)}: served by ${route.endpoint}, row cites "${r.source}"`]
    })
    expect(wrong).toEqual([])
  })

  it('matches the saved fixture for this MLflow version', () => {
    // test/fixtures/mlflow-routes-<version>.json is what docs/mlflow-routes.md was written from.
    const fixture = `${PROJECT_ROOT}test/fixtures/mlflow-routes-${dump.mlflow_version}.json`
    expect(existsSync(fixture), `save the dump as ${fixture}`).toBe(true)
    const saved = JSON.parse(readFileSync(fixture, 'utf8')) as Dump
    const summary = (d: Dump) => d.routes.map((r) => `${key(r)} ${r.source} ${r.endpoint}`)
    expect(summary(dump)).toEqual(summary(saved))
  })
})
