/** The endpoint catalogue for MLflow 3.18.0: one row per method and path the server serves. */
import type { Row } from '../row.js'
import { ROWS as ARTIFACTS } from './artifacts.js'
import { ROWS as EXPERIMENTS } from './experiments.js'
import { ROWS as GATEWAY } from './gateway.js'
import { ROWS as ISSUES_AND_REVIEWS } from './issues-and-reviews.js'
import { ROWS as JOBS_AND_MISC } from './jobs-and-misc.js'
import { ROWS as LOGGED_MODELS } from './logged-models.js'
import { ROWS as MCP_AND_SKILLS } from './mcp-and-skills.js'
import { ROWS as REGISTRY } from './registry.js'
import { ROWS as RUNS } from './runs.js'
import { ROWS as SCORERS_AND_DATASETS } from './scorers-and-datasets.js'
import { ROWS as TRACES } from './traces.js'
import { ROWS as UI_AND_STATIC } from './ui-and-static.js'
import { ROWS as WEBHOOKS } from './webhooks.js'

/**
 * Checked against the routes MLflow actually serves by test/integration/catalogue-coverage.test.ts
 * (which runs scripts/dump-mlflow-routes.py); how each row was decided is in docs/mlflow-routes.md.
 */
export const CATALOGUE: readonly Row[] = [
  ...EXPERIMENTS,
  ...RUNS,
  ...REGISTRY,
  ...ARTIFACTS,
  ...TRACES,
  ...LOGGED_MODELS,
  ...SCORERS_AND_DATASETS,
  ...ISSUES_AND_REVIEWS,
  ...WEBHOOKS,
  ...GATEWAY,
  ...MCP_AND_SKILLS,
  ...JOBS_AND_MISC,
  ...UI_AND_STATIC,
]
