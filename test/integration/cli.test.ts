/** The `mlflow-gate` bin as a user runs it: help, version, check, schema, serve and shutdown. */
import { execFile, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { PROJECT_ROOT } from '../../src/mlflow/venv.js'
import { send } from '../harness/http.js'
import { startRecordingUpstream } from '../harness/recording-upstream.js'

const BIN = `${PROJECT_ROOT}dist/main.js`
const exec = promisify(execFile)

async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await exec(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env },
    })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

function tempFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'mlflow-gate-cli-')), name)
  writeFileSync(path, text)
  return path
}

describe('mlflow-gate CLI', () => {
  it('prints its version and a help that lists every command', async () => {
    const pkg = JSON.parse(readFileSync(`${PROJECT_ROOT}package.json`, 'utf8')) as {
      version: string
    }
    expect((await cli(['--version'])).stdout.trim()).toBe(pkg.version)
    const help = await cli(['--help'])
    expect(help.code).toBe(0)
    for (const cmd of ['serve', 'check', 'quickstart', 'schema', 'hash-password'])
      expect(help.stdout).toContain(`  ${cmd}`)
  })

  it.each(['serve', 'check', 'quickstart', 'schema', 'hash-password'])(
    'explains `%s --help` with usage and an example',
    async (cmd) => {
      const res = await cli([cmd, '--help'])
      expect(res.code).toBe(0)
      expect(res.stdout).toMatch(new RegExp(`^Usage: mlflow-gate ${cmd}`))
      expect(res.stdout.length).toBeGreaterThan(150)
    },
  )

  it('refuses unknown commands and options with exit code 2', async () => {
    expect((await cli(['serv'])).code).toBe(2)
    const res = await cli(['check', '--confg', 'x.yaml'])
    expect(res.code).toBe(2)
    expect(res.stderr).toContain("Unknown option '--confg'")
  })

  it('accepts the shipped example config', async () => {
    const res = await cli(['check', '--config', `${PROJECT_ROOT}mlflow-gate.example.yaml`])
    expect(res.stderr).toBe('')
    expect(res.code).toBe(0)
  })

  it('lists every problem of a broken config at once and exits 1', async () => {
    const file = tempFile(
      'broken.yaml',
      'listen:\n  port: 99999\nupstream:\n  url: mlflow:5000\n  timeout: 3\nstorage:\n  url: mysql://x\n',
    )
    const res = await cli(['check', '--config', file])
    expect(res.code).toBe(1)
    expect(res.stderr).toContain('4 problems')
    expect(res.stderr).toContain('broken.yaml:2:3 listen.port')
    expect(res.stderr).toContain('broken.yaml:4:3 upstream.url')
    expect(res.stderr).toContain('broken.yaml:5:3 upstream.timeout: unknown setting')
    expect(res.stderr).toContain(
      'broken.yaml:7:3 storage.url: must start with sqlite: or postgres://',
    )
  })

  it('says clearly when the config file does not exist', async () => {
    const res = await cli(['check', '--config', '/nonexistent/gate.yaml'])
    expect(res.code).toBe(1)
    expect(res.stderr).toContain('file not found')
  })

  it('keeps config.schema.json in step with the schema (regenerate with npm run schema)', async () => {
    const res = await cli(['schema'])
    expect(JSON.parse(res.stdout)).toEqual(
      JSON.parse(readFileSync(`${PROJECT_ROOT}config.schema.json`, 'utf8')),
    )
  })

  it('serves with env overrides, forwards, and exits 0 on SIGTERM', async () => {
    const upstream = await startRecordingUpstream()
    const dir = mkdtempSync(join(tmpdir(), 'mlflow-gate-serve-'))
    const file = tempFile(
      'gate.yaml',
      'listen: { port: 0 }\nupstream: { url: "http://127.0.0.1:1" }\n' +
        'access: { anonymous: true, grants: [{ to: anonymous, experiments: ["*"], permission: READ }] }\n',
    )
    const child = spawn(process.execPath, [BIN, 'serve', '--config', file], {
      env: {
        ...process.env,
        MLFLOW_GATE_UPSTREAM_URL: upstream.url,
        MLFLOW_GATE_STORAGE_URL: `sqlite:${dir}/g.db`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    try {
      let stderr = ''
      const url = await new Promise<string>((resolve, reject) => {
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString()
          const m = /listening on (http:\/\/\S+),/.exec(stderr)
          if (m) resolve(m[1]!)
        })
        child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)))
      })
      const res = await send(`${url}/api/2.0/mlflow/experiments/search`, { auth: false })
      expect(res.status).toBe(200)
      expect(upstream.requests.at(-1)!.url).toBe('/api/2.0/mlflow/experiments/search')
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      expect(await exited).toBe(0)
    } finally {
      child.kill('SIGKILL')
      await upstream.close()
    }
  })
})
