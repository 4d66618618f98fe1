/** users/create, get, current, update-password, update-admin, delete: MLflow 3.18.0's user routes on the gateway's users. */
import { hashPassword, verifyPassword } from '../identify/password.js'
import { GatewayError } from '../server/errors.js'
import { createUser, deleteUser, passwordHashOf, updateUser } from '../storage/access/users.js'
import { adminOnly, adminOrSelf, anyoneSignedIn, sameUser } from './may.js'
import type { AuthRoute, Call } from './route.js'
import { findUser, requireUser, userJson, userNotFound, type StoredUser } from './user-json.js'

const invalid = (message: string) => new GatewayError('GW_INVALID_PARAMETER', message)

/**
 * MLflow's rule and message (mlflow/utils/validation.py `_validate_password`), and a ceiling that
 * keeps one hash bounded.
 */
function checkPassword(password: string): void {
  if (password.length < 12) throw invalid('Password must be at least 12 characters.')
  if (password.length > 1024) throw invalid('Password must be at most 1024 characters.')
}

/**
 * Users the config file declares are its own: the next apply would undo the change. Refused as a
 * conflict, like the admin API refuses it.
 */
function refuseConfigUser(user: StoredUser, what: string): void {
  if (user.origin === 'config')
    throw new GatewayError(
      'GW_CONFLICT',
      `user '${user.name}' is declared in the config file (access.users); ${what} there`,
    )
}

const SRC = 'mlflow/server/auth/__init__.py'

export const USER_ROUTES: readonly AuthRoute[] = [
  {
    method: 'POST',
    version: '2.0',
    tail: 'users/create',
    writes: true,
    action: 'admin',
    source: `${SRC} create_user`,
    authorize: ({ principal }) => adminOnly(principal, 'create users'),
    async run({ params, deps }) {
      const username = params.string('username')
      const password = params.string('password')
      if (!username || !password) throw invalid('Username and password cannot be empty.')
      checkPassword(password)
      const passwordHash = await hashPassword(password)
      await deps.access.change((trx) =>
        createUser(trx, { name: username, passwordHash, origin: 'api' }).catch((err: unknown) => {
          throw err instanceof GatewayError && err.code === 'GW_ALREADY_EXISTS'
            ? new GatewayError('GW_ALREADY_EXISTS', `User (username=${username}) already exists.`)
            : err
        }),
      )
      return { user: await userJson(deps.access.db, await requireUser(deps.access.db, username)) }
    },
  },
  {
    method: 'GET',
    version: '2.0',
    tail: 'users/get',
    writes: false,
    action: 'authenticated',
    source: `${SRC} get_user, validate_can_read_user`,
    authorize: ({ principal, params }) => adminOrSelf(principal, params.string('username'), 'read'),
    async run({ params, deps }) {
      const user = await requireUser(deps.access.db, params.string('username'))
      return { user: await userJson(deps.access.db, user) }
    },
  },
  {
    method: 'GET',
    version: '2.0',
    tail: 'users/current',
    writes: false,
    action: 'authenticated',
    source: `${SRC} get_current_user`,
    quietWhenAnonymous: true,
    authorize: ({ principal }) => anyoneSignedIn(principal),
    async run({ principal, deps }) {
      const user = await requireUser(deps.access.db, principal.name)
      // is_basic_auth tells the UI it may offer Basic's logout trick and the password dialog.
      return {
        user: { id: user.id, username: user.name, is_admin: user.admin },
        is_basic_auth: principal.via === 'basic',
      }
    },
  },
  {
    method: 'PATCH',
    version: '2.0',
    tail: 'users/update-password',
    writes: true,
    action: 'authenticated',
    source: `${SRC} update_user_password, validate_can_update_user_password`,
    authorize: ({ principal, params }) =>
      adminOrSelf(principal, params.string('username'), 'change the password of'),
    run: updatePassword,
  },
  {
    method: 'PATCH',
    version: '2.0',
    tail: 'users/update-admin',
    writes: true,
    action: 'admin',
    source: `${SRC} update_user_admin`,
    authorize: ({ principal }) => adminOnly(principal, 'make or unmake admins'),
    async run({ params, deps }) {
      const username = params.string('username')
      const admin = params.boolean('is_admin')
      await deps.access.change(async (trx) => {
        const user = await requireUser(trx, username)
        refuseConfigUser(user, 'set admin')
        await updateUser(trx, user.name, { admin })
      })
      return {}
    },
  },
  {
    method: 'DELETE',
    version: '2.0',
    tail: 'users/delete',
    writes: true,
    action: 'admin',
    source: `${SRC} delete_user`,
    authorize: ({ principal }) => adminOnly(principal, 'delete users'),
    run: removeUser,
  },
]

/**
 * Changing your own password needs the current one and a different new one (MLflow 3.18.0, so a
 * borrowed browser session cannot silently take the account over); admins changing someone
 * else's do not. The file's hash is applied again only when the file changes it
 * (storage/access/plan.ts), so a password changed here stays.
 */
async function updatePassword({ principal, params, deps, client }: Call): Promise<object> {
  const username = params.string('username')
  const password = params.string('password')
  if (sameUser(principal.name, username)) {
    const current = params.optionalString('current_password')
    if (!current) throw invalid('Current password is required when changing your own password.')
    // Guessing the current password with a borrowed session is throttled like any sign-in.
    const wait = deps.throttle?.waitSeconds(username, client) ?? 0
    if (wait > 0)
      throw new GatewayError(
        'GW_TOO_MANY_ATTEMPTS',
        `too many failed attempts; try again in ${wait} s`,
        {
          retryAfterSeconds: wait,
        },
      )
    const stored = await passwordHashOf(deps.access.db, username)
    if (!stored?.hash || !(await verifyPassword(current, stored.hash))) {
      deps.throttle?.failed(username, client)
      throw invalid('Current password does not match.')
    }
    if (password === current) throw invalid('New password must differ from the current password.')
  }
  if (!(await findUser(deps.access.db, username))) throw userNotFound(username)
  checkPassword(password)
  const passwordHash = await hashPassword(password)
  await deps.access.change(async (trx) => {
    const user = await requireUser(trx, username)
    await updateUser(trx, user.name, { passwordHash })
  })
  return {}
}

/** Deleting yourself is refused as MLflow refuses it; what the user owned is forgotten too. */
async function removeUser({ principal, params, deps }: Call): Promise<object> {
  const username = params.string('username')
  if (sameUser(principal.name, username))
    throw new GatewayError(
      'GW_BAD_REQUEST',
      'Users cannot delete their own account. Ask another admin to delete this user instead.',
    )
  const deleted = await deps.access.change(async (trx) => {
    const user = await requireUser(trx, username)
    refuseConfigUser(user, 'remove them')
    await deleteUser(trx, user.name)
    return user
  })
  await deps.owners.forget(deleted.name)
  return {}
}
