/** authorize: decides whether the identified principal may perform the classified operation. */
import type { RequestScope } from '../server/scope.js'
import { allow, reason, type Decision } from './decision.js'

const OPEN: Decision = Object.freeze(
  allow(reason('access-control-off', 'access control is not enabled in this version')),
)

/**
 * Until grants and the endpoint catalogue exist, every request is allowed and the audit log says
 * so with `access-control-off`; the quickstart and README say it plainly too.
 */
export function authorize(_scope: RequestScope): Decision {
  return OPEN
}
