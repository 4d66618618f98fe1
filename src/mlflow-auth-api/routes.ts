/** Every auth route the gateway answers, under both of MLflow's prefixes, looked up by exact path and method. */
import { RESOURCE_PERMISSION_ROUTES } from './resource-permissions.js'
import type { AuthRoute } from './route.js'
import { USER_PERMISSION_ROUTES } from './user-permissions.js'
import { USER_ROUTES } from './users.js'

export const AUTH_ROUTES: readonly AuthRoute[] = [
  ...USER_ROUTES,
  ...RESOURCE_PERMISSION_ROUTES,
  ...USER_PERMISSION_ROUTES,
]

/**
 * MLflow's auth app registers each route under `/api/` (the Python client) and `/ajax-api/` (the
 * UI) (mlflow/server/auth/routes.py). 2.x served its permission routes under `/api/` only; they
 * are answered under both here, which costs nothing and keeps the rule simple.
 */
const PREFIXES = ['/api', '/ajax-api'] as const

export const pathsOf = (r: AuthRoute) =>
  PREFIXES.map((prefix) => `${prefix}/${r.version}/mlflow/${r.tail}`)

const BY_PATH = new Map<string, Map<string, AuthRoute>>()
for (const route of AUTH_ROUTES) {
  for (const path of pathsOf(route)) {
    const methods = BY_PATH.get(path) ?? new Map<string, AuthRoute>()
    methods.set(route.method, route)
    BY_PATH.set(path, methods)
  }
}

/** The exact paths `app.ts` sends here instead of to MLflow; nothing else matches. */
export const AUTH_PATHS: ReadonlySet<string> = new Set(BY_PATH.keys())

/** HEAD is answered as GET, as Flask does. */
export function findRoute(method: string, path: string): AuthRoute | undefined {
  return BY_PATH.get(path)?.get(method === 'HEAD' ? 'GET' : method)
}
