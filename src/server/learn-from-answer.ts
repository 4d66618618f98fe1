/** What the gateway learns from MLflow's successful answers: creators become owners, renamed experiments are forgotten, new experiments' artifact folders are learnt. */
import type { AuthorizeDeps } from '../authorize/index.js'
import type { Logger } from 'pino'
import type { RequestScope } from './scope.js'

/** Routes after which an experiment's cached name or state may be stale. */
const CHANGES_EXPERIMENT = /\/mlflow\/experiments\/(update|delete|restore)$/

/**
 * Runs when MLflow has answered, before the answer goes to the client. It never throws: MLflow
 * has acted, so a failure here is logged (and the creator simply holds no MANAGE yet).
 */
export async function learnFromAnswer(
  scope: RequestScope,
  deps: AuthorizeDeps & { log: Logger },
): Promise<void> {
  const op = scope.operation
  const status = scope.upstreamStatus ?? 0
  if (!op?.ids || status < 200 || status >= 300) return
  try {
    if (op.ids.kind === 'experiment' && CHANGES_EXPERIMENT.test(op.path)) {
      for (const id of op.ids.values) deps.resolver.forgetExperiment(id)
    }
    if (
      op.ids.kind === 'registered-model' &&
      op.path.endsWith('/mlflow/registered-models/rename')
    ) {
      await moveOwner(op.ids.values[0]!, op.message.new_name, deps)
    }
    // A new experiment has an artifact folder the gateway's index does not know yet.
    if (op.row?.action === 'create' && op.ids.kind === 'experiment') {
      deps.resolver.forgetArtifactFolders()
    }
    if (op.row?.action === 'create' && scope.principal?.kind === 'user') {
      await recordCreator(op.ids.kind, op.ids.values[0]!, scope.principal.name, deps)
    }
  } catch (err) {
    deps.log.error(
      { err, request_id: scope.id },
      'could not record what a successful request changed',
    )
  }
}

/** The creator gets MANAGE on what they created (experiments by id, models and prompts by name). */
async function recordCreator(
  kind: string,
  name: string,
  user: string,
  deps: AuthorizeDeps,
): Promise<void> {
  if (kind === 'experiment') {
    const created = await deps.resolver.experimentByName(name)
    if (created) await deps.owners.record('experiment', created.id, user)
  } else {
    await deps.owners.record('registered-model', name, user)
  }
}

/** Registered models are owned by name, so a rename carries the owner to the new name. */
async function moveOwner(from: string, to: unknown, deps: AuthorizeDeps): Promise<void> {
  const owner = deps.owners.ownerOf('registered-model', from)
  if (owner && typeof to === 'string' && to !== '')
    await deps.owners.record('registered-model', to, owner)
}
