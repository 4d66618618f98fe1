/** The resources MLflow's auth API names (an experiment id, a registered model name, `*`) as grant rows and decision targets. */
import type { Target } from '../authorize/decide.js'
import type { Resolver } from '../authorize/resolve.js'
import type { Ids } from '../classify/ids.js'
import { GatewayError } from '../server/errors.js'
import type { GrantResource } from '../storage/database.js'

export type ResourceRef =
  | { readonly kind: 'experiment'; readonly id: string }
  | { readonly kind: 'registered-model'; readonly name: string }
  /** `resource_id: "*"` of the per-user routes: every experiment or every registered model. */
  | { readonly kind: 'all'; readonly of: 'experiment' | 'registered-model' }

const invalid = (message: string) => new GatewayError('GW_INVALID_PARAMETER', message)

/**
 * An experiment id as MLflow's SQL store reads it: `int()` makes "01" experiment 1, so grants are
 * stored in that form (mlflow/server/auth/permissions.py `canonical_resource_id`). Only ASCII
 * digits are accepted: an experiment-id grant must be a number (storage/access/grants.ts).
 */
export function experimentRef(id: string): ResourceRef {
  if (!/^\d{1,19}$/.test(id))
    throw invalid(`experiment_id '${id}' is not an experiment id (a number, as MLflow gives them)`)
  return { kind: 'experiment', id: BigInt(id).toString() }
}

/**
 * A registered model named exactly. Gateway grants on models are glob patterns, so a name holding
 * `*` or `?` would grant on other models too: it is refused rather than turned into a pattern.
 */
export function modelRef(name: string): ResourceRef {
  if (name === '') throw invalid('name must not be empty')
  if (/[*?]/.test(name))
    throw invalid(
      `registered model name '${name}' contains '*' or '?', which mlflow-gate grants read as a ` +
        'pattern; grant on it in the gateway config instead',
    )
  return { kind: 'registered-model', name }
}

/** Every resource_type MLflow 3.18.0 knows (mlflow/server/auth/permissions.py `TYPE`). */
const MLFLOW_RESOURCE_TYPES = [
  'assessment',
  'experiment',
  'gateway_endpoint',
  'gateway_model_definition',
  'gateway_secret',
  'logged_model',
  'mcp_server',
  'mcp_server_version',
  'prompt',
  'prompt_version',
  'registered_model',
  'registered_model_version',
  'review_queue',
  'run',
  'scorer',
  'scorer_version',
  'skill',
  'trace',
  'workspace',
]

/**
 * `(resource_type, resource_id)` of the per-user routes (users/permissions/grant|revoke|get).
 * The gateway grants on experiments and registered models; MLflow's other types are refused with
 * the same error code MLflow gives for a type it does not support there.
 */
export function typedRef(resourceType: string, resourceId: string): ResourceRef {
  if (resourceType === 'experiment')
    return resourceId === '*' ? { kind: 'all', of: 'experiment' } : experimentRef(resourceId)
  if (resourceType === 'registered_model')
    return resourceId === '*' ? { kind: 'all', of: 'registered-model' } : modelRef(resourceId)
  if (resourceType === 'workspace')
    // auth/__init__.py _reject_workspace_resource_type
    throw invalid(
      "resource_type 'workspace' is not supported by the per-user permission convenience APIs. " +
        'Use set_workspace_permission / delete_workspace_permission for workspace-wide grants.',
    )
  if (MLFLOW_RESOURCE_TYPES.includes(resourceType))
    throw invalid(
      `resource_type '${resourceType}' is not supported by mlflow-gate, which grants on ` +
        "'experiment' and 'registered_model' (runs, traces, versions and prompts follow them)",
    )
  throw invalid(
    `Invalid resource type '${resourceType}'. ` +
      `Valid resource types are: (${MLFLOW_RESOURCE_TYPES.map((t) => `'${t}'`).join(', ')})`,
  )
}

/** The grant row a reference is stored as. */
export function grantKey(ref: ResourceRef): { resource: GrantResource; pattern: string } {
  switch (ref.kind) {
    case 'experiment':
      return { resource: 'experiment-id', pattern: ref.id }
    case 'registered-model':
      return { resource: 'registered-model', pattern: ref.name }
    case 'all':
      return { resource: ref.of, pattern: '*' }
  }
}

/** What decide() is asked about; undefined when the experiment does not exist. */
export async function toTarget(ref: ResourceRef, resolver: Resolver): Promise<Target | undefined> {
  if (ref.kind === 'registered-model') return { kind: 'registered-model', name: ref.name }
  if (ref.kind === 'all') return { kind: 'all', of: ref.of }
  const experiment = await resolver.experiment(ref.id)
  return experiment && { kind: 'experiment', id: experiment.id, name: experiment.name }
}

/** The audit line's resource. */
export function toIds(ref: ResourceRef): Ids | undefined {
  if (ref.kind === 'experiment') return { kind: 'experiment', by: 'id', values: [ref.id] }
  if (ref.kind === 'registered-model')
    return { kind: 'registered-model', by: 'name', values: [ref.name] }
  return { kind: ref.of, by: 'name', values: ['*'] }
}

/** For messages: `experiment 3`, `registered model 'm'`, `every experiment`. */
export function describeRef(ref: ResourceRef): string {
  if (ref.kind === 'experiment') return `experiment ${ref.id}`
  if (ref.kind === 'registered-model') return `registered model '${ref.name}'`
  return ref.of === 'experiment' ? 'every experiment' : 'every registered model'
}
