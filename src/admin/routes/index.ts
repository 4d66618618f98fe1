/** Every admin API route, in the order the OpenAPI description lists them. */
import type { AnyRoute } from '../route.js'
import { auditRoutes } from './audit.js'
import { explainRoutes } from './explain.js'
import { createRightRoutes, grantRoutes } from './grants.js'
import { groupRoutes } from './groups.js'
import { meRoutes } from './me.js'
import { tokenRoutes } from './tokens.js'
import { userRoutes } from './users.js'

export const ADMIN_ROUTES: readonly AnyRoute[] = [
  ...meRoutes,
  ...userRoutes,
  ...groupRoutes,
  ...grantRoutes,
  ...createRightRoutes,
  ...tokenRoutes,
  ...auditRoutes,
  ...explainRoutes,
]
