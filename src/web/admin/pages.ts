/** Every admin page under /_gate/admin/, in one list. */
import { accessPages } from './access.js'
import { auditPages } from './audit.js'
import { createRightPages } from './create-rights.js'
import { explainPages } from './explain.js'
import { grantPages } from './grants.js'
import { groupPages } from './groups.js'
import { overviewPages } from './overview.js'
import type { PageRoute } from './page-route.js'
import { tokenPages } from './tokens.js'
import { oneUserPages } from './user.js'
import { userPages } from './users.js'

export const ADMIN_PAGES: readonly PageRoute[] = [
  ...overviewPages,
  ...userPages,
  ...oneUserPages,
  ...groupPages,
  ...grantPages,
  ...createRightPages,
  ...tokenPages,
  ...accessPages,
  ...explainPages,
  ...auditPages,
]
