/** Starts a real `mlflow server` as a child process and stops it by its process group, never by name. */
import { spawn } from 'node:child_process'
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { MLFLOW_BIN } from './venv.js'

export type MlflowServer = {
  readonly url: string
  readonly port: number
  readonly pid: number
  readonly dataDir: string
  readonly artifactsDir: string
  readonly backendStoreUri: string
  readonly logFile: string
  /** The last lines MLflow wrote, for a failing test's report. */
  logTail(lines?: number): string
  stop(): Promise<void>
}

export type MlflowServerOptions = {
  /** Folder for the SQLite store, the artifacts and the log (created if missing). */
  dataDir: string
  /** Another `mlflow` executable, e.g. the MLflow 2.x venv's. */
  bin?: string
  /** 0 (the default) picks a free loopback port. */
  port?: number
  /** Overrides the SQLite store, e.g. a postgresql:// URL. */
  backendStoreUri?: string
  workers?: number
  /** E.g. `['--app-name', 'basic-auth']` (MLflow's own auth app; it needs `env` below too). */
  extraArgs?: string[]
  /** Added to the server's environment, e.g. `MLFLOW_AUTH_CONFIG_PATH` for `--app-name basic-auth`. */
  env?: Record<string, string>
  startTimeoutMs?: number
}

/** Asks the kernel for a free loopback port. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
  })
}

/** Spawns `mlflow server` with --serve-artifacts and waits until its /health answers. */
export async function startMlflowServer(opts: MlflowServerOptions): Promise<MlflowServer> {
  const port = opts.port || (await freePort())
  const artifactsDir = join(opts.dataDir, 'artifacts')
  mkdirSync(artifactsDir, { recursive: true })
  const backendStoreUri = opts.backendStoreUri ?? `sqlite:///${join(opts.dataDir, 'mlflow.db')}`
  const logFile = join(opts.dataDir, 'mlflow.log')
  const log = createWriteStream(logFile, { flags: 'a' })
  const args = [
    'server',
    ...['--host', '127.0.0.1', '--port', String(port)],
    ...['--backend-store-uri', backendStoreUri],
    ...['--serve-artifacts', '--artifacts-destination', artifactsDir],
    ...['--workers', String(opts.workers ?? 1)],
    ...(opts.extraArgs ?? []),
  ]
  // detached: the server gets its own process group, so stop() reaches the uvicorn workers it
  // forks as well, by group id, without ever matching processes by name.
  const bin = opts.bin ?? MLFLOW_BIN
  const child = spawn(bin, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MLFLOW_HOST: '', PYTHONUNBUFFERED: '1', ...opts.env },
  })
  child.stdout.pipe(log)
  child.stderr.pipe(log)
  const pid = child.pid
  if (pid === undefined) throw new Error(`could not start ${bin}`)
  let exited: number | null | undefined
  child.once('exit', (code) => (exited = code))
  const stopOnExit = () => killGroup(pid, 'SIGKILL')
  process.once('exit', stopOnExit)

  const url = `http://127.0.0.1:${port}`
  const server: MlflowServer = {
    url,
    port,
    pid,
    dataDir: opts.dataDir,
    artifactsDir,
    backendStoreUri,
    logFile,
    logTail: (lines = 40) => readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n'),
    stop: async () => {
      process.removeListener('exit', stopOnExit)
      if (exited !== undefined) return
      killGroup(pid, 'SIGTERM')
      for (let i = 0; i < 50 && exited === undefined; i++) await sleep(100)
      killGroup(pid, 'SIGKILL')
      log.end()
    },
  }
  const deadline = Date.now() + (opts.startTimeoutMs ?? 90_000)
  while (Date.now() < deadline) {
    if (exited !== undefined) {
      throw new Error(
        `mlflow server exited with code ${exited} while starting:\n${server.logTail()}`,
      )
    }
    if (await isHealthy(url)) return server
    await sleep(250)
  }
  await server.stop()
  throw new Error(`mlflow server did not become healthy at ${url}:\n${server.logTail()}`)
}

async function isHealthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1_000) })
    return res.ok
  } catch {
    return false
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal)
  } catch {
    // Already gone.
  }
}
