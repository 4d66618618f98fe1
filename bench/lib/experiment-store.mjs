/** Builds the filtered-search bench's SQLite store of many experiments once, caches it under bench/results/, and hands out copies. */
import { execFile } from 'node:child_process'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { VENV_PYTHON } from '../../dist/mlflow/venv.js'
import { progress } from './helpers.mjs'

const SEED_SCRIPT = fileURLToPath(new URL('../seed-experiments.py', import.meta.url))

/**
 * Bump when seed-experiments.py changes what it writes, so a stale cached store is not reused.
 * The MLflow version is part of the key as well: its schema (alembic head) belongs to a version.
 */
const STORE_FORMAT = 1

/**
 * A store with `count` experiments (ids 1..count, plus MLflow's Default experiment 0), copied
 * to `destination`. The first call for a given count and MLflow version builds it (about a
 * minute per 10,000 experiments on an idle 2-core box) into `cacheDir`; later runs copy it.
 */
export async function experimentStore({ count, cacheDir, mlflowVersion, destination }) {
  const key = `experiments-v${STORE_FORMAT}-mlflow${mlflowVersion}-${count}`
  const db = join(cacheDir, `${key}.db`)
  const metaFile = join(cacheDir, `${key}.json`)
  const cached = existsSync(db) && existsSync(metaFile)
  if (!cached) await build(db, metaFile, count, cacheDir)
  const meta = JSON.parse(readFileSync(metaFile, 'utf8'))
  copyFileSync(db, destination)
  return { path: destination, cacheFile: db, cached, ...meta }
}

async function build(db, metaFile, count, cacheDir) {
  mkdirSync(cacheDir, { recursive: true })
  // Built under a temporary name and renamed when complete: an interrupted build leaves no
  // store that a later run would take for a full one.
  const partial = `${db}.partial-${process.pid}`
  rmSync(partial, { force: true })
  progress(`filtered-search: building a store of ${count} experiments (cached for later runs)`)
  const t0 = Date.now()
  try {
    const { stdout } = await promisify(execFile)(
      VENV_PYTHON,
      [SEED_SCRIPT, partial, String(count)],
      {
        maxBuffer: 1 << 20,
      },
    )
    const result = JSON.parse(stdout.trim().split('\n').at(-1))
    renameSync(partial, db)
    const meta = {
      builtAt: new Date().toISOString(),
      buildSeconds: (Date.now() - t0) / 1000,
      createSeconds: result.createSeconds,
      experiments: result.experiments,
    }
    writeFileSync(metaFile, `${JSON.stringify(meta, null, 2)}\n`)
    progress(`filtered-search: store built in ${meta.buildSeconds.toFixed(0)} s`)
  } catch (err) {
    rmSync(partial, { force: true })
    throw new Error(`seed-experiments.py failed: ${err.message}\n${err.stderr ?? ''}`, {
      cause: err,
    })
  }
}
