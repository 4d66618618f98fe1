/** users/permissions/grant, revoke, get: MLflow 3.18.0's per-user permission routes (what its AuthServiceClient calls) on the gateway's grants. */
import { decide, type Target } from '../authorize/decide.js'
import type { Policy } from '../authorize/policy.js'
import type { Owners } from '../authorize/owners.js'
import type { Action } from '../classify/row.js'
import { GatewayError } from '../server/errors.js'
import {
  checkPermission,
  refuseConfigOwned,
  removeUserGrants,
  setUserGrant,
  USER_ROUTE_PERMISSIONS,
  userGrantsOn,
  type MlflowPermission,
} from './grants.js'
import { adminOrSelf, mayManage } from './may.js'
import { grantKey, toIds, toTarget, typedRef } from './resources.js'
import type { AuthRoute, Call, SignedIn } from './route.js'
import { requireUser, type StoredUser } from './user-json.js'

const SRC = 'mlflow/server/auth/__init__.py'

function parse(call: Call) {
  const type = call.params.string('resource_type')
  const id = call.params.string('resource_id')
  const ref = typedRef(type, id)
  /** MLflow's messages name the id as stored (sqlalchemy_store.py grant_user_resource_permission). */
  const label = `Permission for user=${call.params.string('username')} on resource_type=${type}, resource_id=${grantKey(ref).pattern}`
  return { ref, label, username: call.params.string('username') }
}

async function grant(call: Call): Promise<object> {
  const { ref, label, username } = parse(call)
  await call.deps.access.change(async (trx) => {
    const user = await requireUser(trx, username)
    const permission = checkPermission(call.params.string('permission'), USER_ROUTE_PERMISSIONS)
    if ((await userGrantsOn(trx, user.name, ref)).length > 0)
      throw new GatewayError('GW_ALREADY_EXISTS', `${label} already exists.`)
    await setUserGrant(trx, user.name, ref, [], permission)
  })
  return {}
}

async function revoke(call: Call): Promise<object> {
  const { ref, label, username } = parse(call)
  await call.deps.access.change(async (trx) => {
    const user = await requireUser(trx, username)
    const existing = await userGrantsOn(trx, user.name, ref)
    if (existing.length === 0) throw new GatewayError('GW_NOT_FOUND', `${label} not found.`)
    refuseConfigOwned(existing, label)
    await removeUserGrants(trx, existing)
  })
  return {}
}

/**
 * The user's effective permission, decided exactly as their requests are (admin, owner, every
 * grant that reaches them through groups, `authenticated` and `anonymous`), so the answer cannot
 * drift from real decisions. `allowed` is MLflow's `can_use` (USE or more).
 */
async function check(call: Call): Promise<object> {
  const { ref, username } = parse(call)
  const user = await requireUser(call.deps.access.db, username)
  const target = await toTarget(ref, call.deps.resolver)
  const permission = target
    ? effectivePermission(asPrincipal(user, call.deps.policy.current), target, call.deps)
    : 'NO_PERMISSIONS'
  return { allowed: ['USE', 'EDIT', 'MANAGE'].includes(permission), permission }
}

const LADDER: readonly [Exclude<MlflowPermission, 'NO_PERMISSIONS' | 'DENY'>, Action][] = [
  ['MANAGE', 'manage'],
  ['EDIT', 'update'],
  ['USE', 'use'],
  ['READ', 'read'],
]

function effectivePermission(
  user: SignedIn,
  target: Target,
  deps: { policy: { current: Policy }; owners: Owners },
): MlflowPermission {
  const policy = deps.policy.current
  for (const [permission, action] of LADDER)
    if (decide(user, action, [target], policy, deps.owners).allow) return permission
  const read = decide(user, 'read', [target], policy, deps.owners)
  return read.reasons.some((r) => r.code === 'grant-denies') ? 'DENY' : 'NO_PERMISSIONS'
}

/** The user as their own requests are decided: groups and admin flag from the live policy. */
function asPrincipal(user: StoredUser, policy: Policy): SignedIn {
  const known = policy.users.get(user.name.toLowerCase())
  return {
    kind: 'user',
    name: user.name,
    groups: known?.groups ?? [],
    admin: known?.admin ?? user.admin,
    via: 'basic',
  }
}

export const USER_PERMISSION_ROUTES: readonly AuthRoute[] = [
  {
    method: 'POST',
    version: '3.0',
    tail: 'users/permissions/grant',
    writes: true,
    action: 'manage',
    source: `${SRC} grant_user_permission, validate_can_manage_resource`,
    authorize: (call) => mayManage(call.principal, parse(call).ref, call.deps),
    run: grant,
    resource: (call) => toIds(parse(call).ref),
  },
  {
    method: 'POST',
    version: '3.0',
    tail: 'users/permissions/revoke',
    writes: true,
    action: 'manage',
    source: `${SRC} revoke_user_permission, validate_can_manage_resource`,
    authorize: (call) => mayManage(call.principal, parse(call).ref, call.deps),
    run: revoke,
    resource: (call) => toIds(parse(call).ref),
  },
  {
    method: 'GET',
    version: '3.0',
    tail: 'users/permissions/get',
    writes: false,
    action: 'authenticated',
    source: `${SRC} get_user_permission, validate_can_get_user_permission`,
    authorize: (call) => {
      parse(call)
      return adminOrSelf(call.principal, call.params.string('username'), 'read the permissions of')
    },
    run: check,
    resource: (call) => toIds(parse(call).ref),
  },
]
