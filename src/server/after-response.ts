/** What the gateway learns from MLflow's successful answers: renamed or deleted experiments are forgotten. */
import type { AuthorizeDeps } from '../authorize/index.js'
import type { RequestScope } from './scope.js'

/** Routes after which an experiment's cached name or state may be stale. */
const CHANGES_EXPERIMENT = /\/mlflow\/experiments\/(update|delete|restore)$/

export function afterResponse(scope: RequestScope, deps: AuthorizeDeps): void {
  const op = scope.operation
  const status = scope.upstreamStatus ?? 0
  if (!op?.ids || status < 200 || status >= 300) return
  if (op.ids.kind === 'experiment' && CHANGES_EXPERIMENT.test(op.path)) {
    for (const id of op.ids.values) deps.resolver.forgetExperiment(id)
  }
}
