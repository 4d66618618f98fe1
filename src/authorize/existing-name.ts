/** A create the caller has no right to, of a name that exists and they may read, answers as MLflow does: already exists. */
import type { Operation } from '../classify/index.js'
import type { Principal } from '../identify/principal.js'
import { decide, type Target } from './decide.js'
import { deny, reason, type Decision } from './decision.js'
import type { Policy } from './policy.js'
import type { Resolver } from './resolve.js'

/**
 * MLflow's clients create before they add to: `mlflow.register_model` and
 * `log_model(registered_model_name=...)` call `registered-models/create` first and go on to create
 * the version only on RESOURCE_ALREADY_EXISTS (mlflow/tracking/_model_registry/fluent.py
 * `_register_model`). A 403 there stopped a user with EDIT on the model, but no right to create
 * models, from registering a version at all. MLflow would refuse the create anyway, so the
 * gateway answers it the same way, without asking MLflow to create anything. Only for a name the
 * caller may read: for any other the denial stands, and says nothing about the name.
 */
export async function asExistingName(
  op: Operation,
  principal: Principal,
  decision: Decision,
  deps: { readonly policy: Policy; readonly resolver: Resolver },
): Promise<Decision> {
  const denied = decision.reasons.some((r) => r.code === 'no-create-right')
  const name = op.ids?.values[0]
  if (decision.allow || !denied || op.row?.action !== 'create' || name === undefined)
    return decision
  const existing = await existingTarget(op.ids!.kind, name, deps.resolver)
  if (!existing || !decide(principal, 'read', [existing], deps.policy).allow) return decision
  const what = existing.kind === 'experiment' ? 'Experiment' : 'Registered Model'
  return deny(
    ...decision.reasons,
    // MLflow's own wording (sqlalchemy stores' create_experiment / create_registered_model).
    reason('already-exists', `${what} (name=${name}) already exists.`),
  )
}

async function existingTarget(
  kind: string,
  name: string,
  resolver: Resolver,
): Promise<Target | undefined> {
  if (kind === 'experiment') {
    const e = await resolver.experimentByName(name)
    return e && { kind: 'experiment', ...e }
  }
  if (kind === 'registered-model' && (await resolver.registeredModelExists(name)))
    return { kind: 'registered-model', name }
  return undefined
}
