/** Maps the ids a request names (runs, artifact paths, model names, ...) to the experiments and registered models grants speak of. */
import type { Operation } from '../classify/index.js'
import { fieldValues, type Ids } from '../classify/ids.js'
import type { Target } from './decide.js'
import type { Resolver } from './resolve.js'

/** Maps the ids a request names to the experiments and registered models grants speak of. */
export async function toTargets(
  ids: Ids,
  op: Operation,
  { resolver }: { readonly resolver: Resolver },
): Promise<Target[] | undefined> {
  const targets: Target[] = []
  for (const value of ids.values) {
    if (ids.kind === 'artifact') {
      const found = await artifactTargets(value, resolver)
      if (!found) return undefined
      targets.push(...found)
      continue
    }
    const t = await toTarget(ids, value, op, resolver)
    if (!t) return undefined
    targets.push(t)
  }
  return targets
}

/** Every experiment whose folder holds the path must allow (authorize/artifact-owners.ts). */
async function artifactTargets(path: string, resolver: Resolver): Promise<Target[] | undefined> {
  const ids = await resolver.experimentsOfArtifactPath(path)
  if (!ids || ids.length === 0) return undefined
  const targets: Target[] = []
  for (const id of ids) {
    const e = await resolver.experiment(id)
    if (!e) return undefined
    targets.push({ kind: 'experiment', ...e })
  }
  return targets
}

async function toTarget(
  ids: Ids,
  value: string,
  op: Operation,
  resolver: Resolver,
): Promise<Target | undefined> {
  if (ids.by === 'name' && op.row?.action === 'create') {
    if (ids.kind === 'experiment') {
      // MLflow treats an empty location as none (handlers.py _create_experiment).
      const [location = ''] = fieldValues(op.message, 'artifact_location', false)
      return {
        kind: 'create',
        what: 'experiment',
        name: value,
        ...(location !== '' && { artifactLocation: location }),
      }
    }
    return { kind: 'create', what: isPromptCreate(op) ? 'prompt' : 'registered-model', name: value }
  }
  switch (ids.kind) {
    case 'experiment': {
      const e =
        ids.by === 'name'
          ? await resolver.experimentByName(value)
          : await resolver.experiment(value)
      return e && { kind: 'experiment', ...e }
    }
    case 'run':
    case 'trace':
    case 'logged-model': {
      const experimentId = await resolver.experimentOf(ids.kind, value)
      const e = experimentId === undefined ? undefined : await resolver.experiment(experimentId)
      return e && { kind: 'experiment', ...e }
    }
    // A registered model's id is its name; model versions and prompts carry the model's name.
    case 'registered-model':
    case 'model-version':
    case 'prompt':
      return { kind: 'registered-model', name: value }
    default:
      // Scorers (and any kind added later) cannot be resolved yet: fail closed.
      return undefined
  }
}

/** MLflow marks a prompt as a registered model tagged `mlflow.prompt.is_prompt` (mlflow/prompt/constants.py). */
function isPromptCreate(op: Operation): boolean {
  const tags = op.message.tags
  return (
    Array.isArray(tags) &&
    tags.some((t) => (t as { key?: unknown })?.key === 'mlflow.prompt.is_prompt')
  )
}
