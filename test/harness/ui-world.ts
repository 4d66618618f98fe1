/** The world the browser tests look at: a real MLflow with public, team and private experiments and models, and the gateway with five roles. */
import { afterAll, beforeAll } from 'vitest'
import { createDemoExperiment, mlmodel, type DemoCreated } from '../../src/mlflow/demo-data.js'
import type { MlflowServer } from '../../src/mlflow/server-process.js'
import type { Role } from './browser.js'
import { startTestGateway, type TestGateway } from './gateway.js'
import { callMlflow, useMlflow } from './mlflow.js'
import { USERS } from './users.js'

/** Experiment name -> its registered model; each experiment has one run with a metric history. */
export const EXPERIMENTS = {
  'public-a': 'public-a-model',
  'team-b': 'team-b-model',
  'private-c': 'private-c-model',
} as const
export type ExperimentName = keyof typeof EXPERIMENTS

const isPublic = (n: string) => n.startsWith('public-')

/**
 * Who may read what, written separately from the grants below: the tests' oracle. A grant `to:
 * anonymous` covers everyone, signed in or not, so every role reads the public ones.
 */
export const READS: Record<Role, (name: string) => boolean> = {
  anonymous: isPublic,
  guest: () => true,
  reader: (n) => isPublic(n) || n.startsWith('team-'),
  editor: (n) => isPublic(n) || n.startsWith('team-b'),
  creator: isPublic,
  admin: () => true,
}

/** The roles the UI is checked for (issue #4). */
export const ROLES = ['anonymous', 'guest', 'reader', 'editor', 'admin'] as const

const ACCESS = {
  anonymous: true,
  users: [
    { name: 'admin', password_hash: USERS.admin.hash, admin: true },
    { name: 'guest', password_hash: USERS.guest.hash },
    { name: 'reader', password_hash: USERS.reader.hash },
    { name: 'editor', password_hash: USERS.editor.hash },
    { name: 'creator', password_hash: USERS.creator.hash },
  ],
  create: [{ to: 'user:creator', experiments: ['sandbox-*'] }],
  grants: [
    {
      to: 'anonymous',
      experiments: ['public-*'],
      registered_models: ['public-*'],
      permission: 'READ',
    },
    { to: 'user:guest', experiments: ['*'], registered_models: ['*'], permission: 'READ' },
    {
      to: 'user:reader',
      experiments: ['public-*', 'team-*'],
      registered_models: ['public-*', 'team-*'],
      permission: 'READ',
    },
    {
      to: 'user:editor',
      experiments: ['team-b'],
      registered_models: ['team-b-model'],
      permission: 'EDIT',
    },
  ],
}

export type UiWorld = {
  readonly mlflow: MlflowServer
  readonly gateway: TestGateway
  readonly runs: Record<ExperimentName, DemoCreated>
}

/** Starts MLflow, logs the experiments, runs and models, and starts the gateway in front. */
export function useUiWorld(): () => UiWorld {
  const mlflow = useMlflow()
  let world: UiWorld | undefined
  beforeAll(async () => {
    const runs = {} as Record<ExperimentName, DemoCreated>
    for (const [name, model] of Object.entries(EXPERIMENTS)) {
      runs[name as ExperimentName] = await createDemoExperiment(mlflow().url, {
        name,
        steps: 12,
        params: { learning_rate: '0.01', owner: name },
        // candidate/ is a model folder not yet registered, for the UI's "Register model" button.
        artifacts: { 'notes.txt': `notes of ${name}\n`, 'candidate/MLmodel': mlmodel('') },
        model,
      })
    }
    const gateway = await startTestGateway(mlflow().url, { access: ACCESS })
    world = { mlflow: mlflow(), gateway, runs }
  })
  afterAll(async () => {
    await world?.gateway.close()
  })
  return () => {
    if (!world) throw new Error('the UI world did not start (beforeAll failed?)')
    return world
  }
}

/** What MLflow holds, read directly: experiments (with their stage) and models with versions. */
export async function snapshot(mlflow: MlflowServer): Promise<string[]> {
  const exps = await callMlflow<{ experiments: { name: string; lifecycle_stage: string }[] }>(
    mlflow,
    '/api/2.0/mlflow/experiments/search?max_results=1000&view_type=ALL',
  )
  const versions = await callMlflow<{ model_versions?: { name: string; version: string }[] }>(
    mlflow,
    '/api/2.0/mlflow/model-versions/search?max_results=1000',
  )
  const models = await callMlflow<{ registered_models?: { name: string }[] }>(
    mlflow,
    '/api/2.0/mlflow/registered-models/search?max_results=1000',
  )
  return [
    ...exps.experiments.map((e) => `experiment ${e.name} ${e.lifecycle_stage}`),
    ...(models.registered_models ?? []).map((m) => `model ${m.name}`),
    ...(versions.model_versions ?? []).map((v) => `version ${v.name} ${v.version}`),
  ].sort()
}

/** Every experiment name in MLflow (active), read directly. */
export async function experimentNames(mlflow: MlflowServer): Promise<string[]> {
  const res = await callMlflow<{ experiments: { name: string }[] }>(
    mlflow,
    '/api/2.0/mlflow/experiments/search?max_results=1000',
  )
  return res.experiments.map((e) => e.name)
}

/** Every registered model name in MLflow, read directly. */
export async function modelNames(mlflow: MlflowServer): Promise<string[]> {
  const res = await callMlflow<{ registered_models?: { name: string }[] }>(
    mlflow,
    '/api/2.0/mlflow/registered-models/search?max_results=1000',
  )
  return (res.registered_models ?? []).map((m) => m.name)
}
