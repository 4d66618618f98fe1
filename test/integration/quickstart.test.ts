/** `npm start` (mlflow-gate quickstart): a real MLflow behind the gateway with a public and a private demo, an admin, Ctrl-C, a second start. */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PROJECT_ROOT } from '../../src/mlflow/venv.js'
import { openAs, useBrowser } from '../harness/browser.js'

const dataDir = mkdtempSync(join(tmpdir(), 'mlflow-gate-quickstart-'))
const browser = useBrowser()

type Quickstart = {
  child: ChildProcess
  stdout: string
  url: string
  password: string
  mlflowUrl: string
}

/** Runs the built bin's quickstart on a free port and waits for its banner. */
async function startQuickstart(): Promise<Quickstart> {
  const child = spawn(
    process.execPath,
    [`${PROJECT_ROOT}dist/main.js`, 'quickstart', '--port', '0', '--data-dir', dataDir],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let stderr = ''
  let stdout = ''
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  return new Promise<Quickstart>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString()
      const u = /Open the MLflow UI:\s+(http:\/\/\S+?)\/\s/.exec(stdout)
      const p = /MLFLOW_TRACKING_PASSWORD=(\S+)/.exec(stdout)
      const m = /MLflow itself \(direct\):\s+(http:\/\/\S+)/.exec(stdout)
      if (u && p && m) resolve({ child, stdout, url: u[1]!, password: p[1]!, mlflowUrl: m[1]! })
    })
    child.once('exit', (code) =>
      reject(new Error(`quickstart exited ${code}:\n${stderr}\n${stdout}`)),
    )
  })
}

/** Sends Ctrl-C and waits for the exit code. */
async function stop(q: Quickstart): Promise<number | null> {
  if (q.child.exitCode !== null) return q.child.exitCode
  const exited = new Promise<number | null>((resolve) => q.child.once('exit', resolve))
  q.child.kill('SIGINT')
  return exited
}

let first: Quickstart
beforeAll(async () => {
  first = await startQuickstart()
}, 240_000)
afterAll(() => {
  if (first?.child.exitCode === null) first.child.kill('SIGKILL')
})

const auth = (password: string) => ({
  authorization: `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`,
})

/** Names from a search, as `who` (anonymous without a password). */
async function names(q: Quickstart, path: string, field: string, password?: string) {
  const res = await fetch(`${q.url}${path}`, { headers: password ? auth(password) : {} })
  expect(res.status).toBe(200)
  const body = (await res.json()) as Record<string, { name: string }[] | undefined>
  return (body[field] ?? []).map((e) => e.name).sort()
}

const EXPERIMENTS = ['/api/2.0/mlflow/experiments/search?max_results=100', 'experiments'] as const
const MODELS = ['/api/2.0/mlflow/registered-models/search', 'registered_models'] as const

describe('quickstart', () => {
  it('says what to open, what anonymous visitors see and how to make more public', () => {
    expect(first.stdout).toContain('Point the MLflow client: export MLFLOW_TRACKING_URI=')
    expect(first.stdout).toContain('Anonymous visitors can read the experiments and models named')
    expect(first.stdout).toContain('To make more public')
  })

  it('logs a public and a private demo into the empty store', async () => {
    expect(await names(first, ...EXPERIMENTS, first.password)).toEqual([
      'Default',
      'private-demo',
      'public-demo',
    ])
    expect(await names(first, ...MODELS, first.password)).toEqual([
      'private-demo-model',
      'public-demo-model',
    ])
  })

  it('lets anonymous visitors read the public demo and not the private one', async () => {
    expect(await names(first, ...EXPERIMENTS)).toEqual(['public-demo'])
    expect(await names(first, ...MODELS)).toEqual(['public-demo-model'])
    const byName = (name: string) =>
      fetch(`${first.url}/api/2.0/mlflow/experiments/get-by-name?experiment_name=${name}`)
    const demo = (await (await byName('public-demo')).json()) as {
      experiment: { experiment_id: string }
    }
    const search = await fetch(`${first.url}/api/2.0/mlflow/runs/search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ experiment_ids: [demo.experiment.experiment_id] }),
    })
    const { runs } = (await search.json()) as {
      runs: { info: { run_id: string }; data: { params: { key: string }[] } }[]
    }
    const runId = runs[0]!.info.run_id
    expect(runs[0]!.data.params.map((p) => p.key).sort()).toEqual([
      'epochs',
      'learning_rate',
      'optimizer',
    ])
    const history = await fetch(
      `${first.url}/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=loss`,
    )
    expect(((await history.json()) as { metrics: unknown[] }).metrics).toHaveLength(20)
    const readme = await fetch(`${first.url}/get-artifact?path=README.md&run_uuid=${runId}`)
    expect(await readme.text()).toContain('# public-demo')
    // A name anonymous may not read is answered like a missing one (authorize/missing-name.ts).
    expect((await byName('private-demo')).status).toBe(404)
    expect((await byName('no-such-demo')).status).toBe(404)
  })

  it('shows anonymous visitors the public demo in the MLflow UI, and not the private one', async () => {
    const ui = await openAs(browser(), first.url, 'anonymous')
    try {
      await ui.open('#/experiments')
      await ui.page.getByRole('link', { name: 'public-demo', exact: true }).waitFor()
      expect(await ui.page.getByRole('link', { name: 'private-demo' }).count()).toBe(0)
      await ui.screenshot('quickstart-experiments')
    } finally {
      await ui.context.close()
    }
  })

  it('serves anonymous visitors read-only', async () => {
    const create = await fetch(`${first.url}/api/2.0/mlflow/experiments/create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'public-anonymous-try' }),
    })
    expect(create.status).toBe(403)
  })

  it('lets the printed admin do everything, with the password kept private on disk', async () => {
    const create = await fetch(`${first.url}/api/2.0/mlflow/experiments/create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth(first.password) },
      body: JSON.stringify({ name: 'made-by-admin' }),
    })
    expect(create.status).toBe(200)
    const file = join(dataDir, 'admin-password')
    expect(readFileSync(file, 'utf8').trim()).toBe(first.password)
    expect(statSync(file).mode & 0o077).toBe(0)
    expect(existsSync(join(dataDir, 'mlflow-gate.yaml'))).toBe(true)
  })

  it('stops MLflow with the gateway on Ctrl-C', async () => {
    expect((await fetch(`${first.mlflowUrl}/health`)).status).toBe(200)
    expect(await stop(first)).toBe(0)
    await expect(fetch(`${first.mlflowUrl}/health`)).rejects.toThrow()
  })

  it('starts again on the same data without a second demo, with the same admin', async () => {
    const second = await startQuickstart()
    try {
      expect(second.password).toBe(first.password)
      expect(await names(second, ...EXPERIMENTS, second.password)).toEqual([
        'Default',
        'made-by-admin',
        'private-demo',
        'public-demo',
      ])
      expect(await names(second, ...EXPERIMENTS)).toEqual(['public-demo'])
    } finally {
      expect(await stop(second)).toBe(0)
    }
  }, 240_000)
})
