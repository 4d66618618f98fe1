/** Who may call each auth route, as decisions with reasons, following MLflow 3.18.0's validators (mlflow/server/auth/__init__.py). */
import { decide } from '../authorize/decide.js'
import { allow, deny, reason, type Decision } from '../authorize/decision.js'
import { describeRef, toTarget, type ResourceRef } from './resources.js'
import type { AuthApiDeps, SignedIn } from './route.js'

const isAdmin = (p: SignedIn) => allow(reason('admin', `${p.name} is an admin`))

/** Names compare case-insensitively in the gateway (storage/access/users.ts). */
export const sameUser = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()

/** users/create, update-admin, delete: `validate_can_create_user` etc. only let admins through. */
export function adminOnly(p: SignedIn, what: string): Decision {
  return p.admin ? isAdmin(p) : deny(reason('admin-only', `only admins may ${what}`))
}

/** users/get, update-password, users/permissions/get: `username_is_sender`, or an admin. */
export function adminOrSelf(p: SignedIn, username: string, what: string): Decision {
  if (p.admin) return isAdmin(p)
  return sameUser(p.name, username)
    ? allow(reason('authenticated', `${p.name} asks about their own account`))
    : deny(reason('admin-only', `only admins may ${what} another user`))
}

/** users/current: any signed-in user (auth/__init__.py: `(GET_CURRENT_USER, "GET"): lambda: True`). */
export function anyoneSignedIn(p: SignedIn): Decision {
  return allow(reason('authenticated', `${p.name} is signed in`))
}

/**
 * The permission routes: an admin, or whoever holds MANAGE on the resource, as MLflow's
 * `validate_can_manage_experiment`, `validate_can_manage_registered_model` and
 * `validate_can_manage_resource` allow. MANAGE is "change what others may do" in the gateway too,
 * so this is safe to follow: a manager can only hand out or take back rights on what they manage.
 * Grants on every resource (`*`) stay with admins, as in MLflow.
 */
export async function mayManage(
  p: SignedIn,
  ref: ResourceRef,
  deps: AuthApiDeps,
): Promise<Decision> {
  if (p.admin) return isAdmin(p)
  if (ref.kind === 'all')
    return deny(reason('admin-only', `only admins may grant on ${describeRef(ref)}`))
  const target = await toTarget(ref, deps.resolver)
  if (!target)
    return deny(reason('resource-unresolved', `${describeRef(ref)} does not exist in MLflow`))
  return decide(p, 'manage', [target], deps.policy.current, deps.owners)
}
