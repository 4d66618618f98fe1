/** The quickstart's demo content: a public and a private experiment, created once in an empty MLflow store. */
import { callMlflowApi, createDemoExperiment } from '../mlflow/demo-data.js'

/** What anonymous visitors may read in the quickstart: these name patterns, nothing else. */
export const PUBLIC_PATTERN = 'public-*'
export const DEMO = { public: 'public-demo', private: 'private-demo' } as const

const README = `# public-demo

Logged by 'mlflow-gate quickstart' into an empty MLflow store. Anonymous visitors may read
experiments and registered models whose names match ${PUBLIC_PATTERN}; private-demo needs a
sign-in. The rules are in .quickstart/mlflow-gate.yaml.
`

/**
 * Fills an empty store (nothing but MLflow's Default experiment, active or deleted) with the
 * demo; any other store is left as it is, so a second start never duplicates it. Returns whether
 * it created the demo.
 */
export async function seedQuickstartDemo(mlflowUrl: string): Promise<boolean> {
  const { experiments = [] } = await callMlflowApi<{ experiments?: { experiment_id: string }[] }>(
    mlflowUrl,
    '/api/2.0/mlflow/experiments/search?max_results=2&view_type=ALL',
  )
  if (experiments.some((e) => e.experiment_id !== '0')) return false
  await createDemoExperiment(mlflowUrl, {
    name: DEMO.public,
    params: { learning_rate: '0.01', epochs: '20', optimizer: 'adam' },
    artifacts: { 'README.md': README },
    model: `${DEMO.public}-model`,
  })
  await createDemoExperiment(mlflowUrl, {
    name: DEMO.private,
    params: { learning_rate: '0.1', epochs: '20', optimizer: 'sgd' },
    artifacts: { 'notes.txt': 'Only signed-in users with a grant see this.\n' },
    model: `${DEMO.private}-model`,
  })
  return true
}
