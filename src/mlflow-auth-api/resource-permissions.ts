/**
 * experiments/permissions/* and registered-models/permissions/*: MLflow's per-resource permission
 * routes (served by MLflow up to 2.x and by its 2.x client; 3.18.0 replaced them with
 * users/permissions/*), answered with the gateway's grants.
 */
import { GatewayError } from '../server/errors.js'
import {
  checkPermission,
  mlflowPermissionOf,
  refuseConfigOwned,
  removeUserGrants,
  RESOURCE_ROUTE_PERMISSIONS,
  setUserGrant,
  userGrantsOn,
  type MlflowPermission,
} from './grants.js'
import { mayManage } from './may.js'
import { experimentRef, modelRef, toIds, type ResourceRef } from './resources.js'
import type { AuthRoute, Call } from './route.js'
import { requireUser } from './user-json.js'

/** What differs between the experiment and the registered-model routes (2.22.5 auth/__init__.py). */
type Kind = {
  readonly segment: 'experiments' | 'registered-models'
  readonly keyParam: 'experiment_id' | 'name'
  readonly entity: 'experiment_permission' | 'registered_model_permission'
  readonly ref: (value: string) => ResourceRef
  /** `experiment_id=1` or `name=m`, as MLflow's store messages write it. */
  readonly key: (value: string) => string
  readonly label: 'Experiment permission' | 'Registered model permission'
  readonly json: (value: string, userId: number, permission: MlflowPermission) => object
}

const EXPERIMENT: Kind = {
  segment: 'experiments',
  keyParam: 'experiment_id',
  entity: 'experiment_permission',
  ref: experimentRef,
  key: (id) => `experiment_id=${id}`,
  label: 'Experiment permission',
  json: (id, userId, permission) => ({ experiment_id: id, user_id: userId, permission }),
}

const MODEL: Kind = {
  segment: 'registered-models',
  keyParam: 'name',
  entity: 'registered_model_permission',
  ref: modelRef,
  key: (name) => `name=${name}`,
  label: 'Registered model permission',
  json: (name, userId, permission) => ({ name, user_id: userId, permission }),
}

function parse(kind: Kind, call: Call) {
  const value = call.params.string(kind.keyParam)
  return { value, ref: kind.ref(value), username: call.params.string('username') }
}

const notFound = (kind: Kind, value: string, username: string) =>
  new GatewayError(
    'GW_NOT_FOUND',
    `${kind.label} with ${kind.key(value)} and username=${username} not found`,
  )

async function create(kind: Kind, call: Call): Promise<object> {
  const { value, ref, username } = parse(kind, call)
  const permission = checkPermission(call.params.string('permission'), RESOURCE_ROUTE_PERMISSIONS)
  const user = await call.deps.access.change(async (trx) => {
    const user = await requireUser(trx, username)
    if ((await userGrantsOn(trx, user.name, ref)).length > 0)
      throw new GatewayError(
        'GW_ALREADY_EXISTS',
        `${kind.label} (${kind.key(value)}, username=${username}) already exists.`,
      )
    await setUserGrant(trx, user.name, ref, [], permission)
    return user
  })
  return { [kind.entity]: kind.json(grantValue(ref, value), user.id, permission) }
}

async function get(kind: Kind, call: Call): Promise<object> {
  const { value, ref, username } = parse(kind, call)
  const user = await requireUser(call.deps.access.db, username)
  const grants = await userGrantsOn(call.deps.access.db, user.name, ref)
  if (grants.length === 0) throw notFound(kind, value, username)
  const permission = mlflowPermissionOf(grants, 'NO_PERMISSIONS')
  return { [kind.entity]: kind.json(grantValue(ref, value), user.id, permission) }
}

async function update(kind: Kind, call: Call): Promise<object> {
  const { value, ref, username } = parse(kind, call)
  const permission = checkPermission(call.params.string('permission'), RESOURCE_ROUTE_PERMISSIONS)
  await call.deps.access.change(async (trx) => {
    const user = await requireUser(trx, username)
    const existing = await userGrantsOn(trx, user.name, ref)
    if (existing.length === 0) throw notFound(kind, value, username)
    refuseConfigOwned(existing, `${kind.label} (${kind.key(value)}, username=${username})`)
    await setUserGrant(trx, user.name, ref, existing, permission)
  })
  return {}
}

async function remove(kind: Kind, call: Call): Promise<object> {
  const { value, ref, username } = parse(kind, call)
  await call.deps.access.change(async (trx) => {
    const user = await requireUser(trx, username)
    const existing = await userGrantsOn(trx, user.name, ref)
    if (existing.length === 0) throw notFound(kind, value, username)
    refuseConfigOwned(existing, `${kind.label} (${kind.key(value)}, username=${username})`)
    await removeUserGrants(trx, existing)
  })
  return {}
}

/** The id as stored (an experiment id without leading zeros), the name as given. */
const grantValue = (ref: ResourceRef, value: string) => (ref.kind === 'experiment' ? ref.id : value)

const OPERATIONS = [
  { method: 'POST', op: 'create', run: create, writes: true },
  { method: 'GET', op: 'get', run: get, writes: false },
  { method: 'PATCH', op: 'update', run: update, writes: true },
  { method: 'DELETE', op: 'delete', run: remove, writes: true },
] as const

export const RESOURCE_PERMISSION_ROUTES: readonly AuthRoute[] = [EXPERIMENT, MODEL].flatMap(
  (kind) =>
    OPERATIONS.map(({ method, op, run, writes }): AuthRoute => ({
      method,
      version: '2.0',
      tail: `${kind.segment}/permissions/${op}`,
      writes,
      action: 'manage',
      source: `mlflow 2.22.5 mlflow/server/auth/__init__.py ${op}_${kind.entity}, validate_can_manage_${kind.segment === 'experiments' ? 'experiment' : 'registered_model'}`,
      authorize: (call) => mayManage(call.principal, parse(kind, call).ref, call.deps),
      run: (call) => run(kind, call),
      resource: (call) => toIds(parse(kind, call).ref),
    })),
)
