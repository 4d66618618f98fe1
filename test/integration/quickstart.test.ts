/** `npm start` (mlflow-gate quickstart): a real MLflow behind the gateway, anonymous read-only, an admin. */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PROJECT_ROOT } from '../../src/mlflow/venv.js'

const dataDir = mkdtempSync(join(tmpdir(), 'mlflow-gate-quickstart-'))
let child: ChildProcess
let stdout = ''
let url = ''
let password = ''

beforeAll(async () => {
  child = spawn(
    process.execPath,
    [`${PROJECT_ROOT}dist/main.js`, 'quickstart', '--port', '0', '--data-dir', dataDir],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString()
      const u = /Open the MLflow UI:\s+(http:\/\/\S+?)\/\s/.exec(stdout)
      const p = /MLFLOW_TRACKING_PASSWORD=(\S+)/.exec(stdout)
      if (u && p) {
        url = u[1]!
        password = p[1]!
        resolve()
      }
    })
    child.once('exit', (code) =>
      reject(new Error(`quickstart exited ${code}:\n${stderr}\n${stdout}`)),
    )
  })
}, 180_000)

afterAll(() => {
  if (child.exitCode === null) child.kill('SIGKILL')
})

const auth = () => ({
  authorization: `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`,
})

describe('quickstart', () => {
  it('says what to open and that anonymous visitors are read-only', () => {
    expect(stdout).toContain('Point the MLflow client: export MLFLOW_TRACKING_URI=')
    expect(stdout).toContain(
      'Anonymous visitors can read every experiment and model and change nothing',
    )
  })

  it('serves the MLflow UI and API to anonymous visitors, read-only', async () => {
    expect((await fetch(`${url}/`)).status).toBe(200)
    const search = await fetch(`${url}/api/2.0/mlflow/experiments/search?max_results=10`)
    expect(search.status).toBe(200)
    const create = await fetch(`${url}/api/2.0/mlflow/experiments/create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'anonymous-try' }),
    })
    expect(create.status).toBe(403)
  })

  it('lets the printed admin do everything, with the password kept private on disk', async () => {
    const create = await fetch(`${url}/api/2.0/mlflow/experiments/create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth() },
      body: JSON.stringify({ name: 'made-by-admin' }),
    })
    expect(create.status).toBe(200)
    const file = join(dataDir, 'admin-password')
    expect(readFileSync(file, 'utf8').trim()).toBe(password)
    expect(statSync(file).mode & 0o077).toBe(0)
    expect(existsSync(join(dataDir, 'mlflow-gate.yaml'))).toBe(true)
  })

  it('stops MLflow with the gateway on Ctrl-C', async () => {
    const mlflowUrl = /MLflow itself \(direct\):\s+(http:\/\/\S+)/.exec(stdout)![1]!
    expect((await fetch(`${mlflowUrl}/health`)).status).toBe(200)
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    child.kill('SIGINT')
    expect(await exited).toBe(0)
    await expect(fetch(`${mlflowUrl}/health`)).rejects.toThrow()
  })
})
