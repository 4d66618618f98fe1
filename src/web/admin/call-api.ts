/** Runs an admin API route's own handler for a page, with the route's access rule and zod validation, so a page's change is exactly the API's. */
import { decideAdmin } from '../../admin/admit.js'
import type { Caller } from '../../admin/route.js'
import { ADMIN_ROUTES } from '../../admin/routes/index.js'
import { InvalidInput, readInput } from '../../admin/validate.js'
import { GatewayError } from '../../server/errors.js'
import type { PageDeps } from './page-route.js'

const BY_ID = new Map(ADMIN_ROUTES.map((r) => [r.id, r]))

export type ApiInput = {
  readonly params?: Record<string, string>
  readonly query?: Record<string, string>
  readonly body?: unknown
}

/**
 * The route's handler with the caller's rights checked as the API checks them and the input read
 * with the route's schemas; refusals throw the same GatewayErrors the API answers with.
 */
export async function callApi<T = unknown>(
  ctx: { readonly caller: Caller; readonly deps: PageDeps },
  id: string,
  input: ApiInput = {},
): Promise<T> {
  const spec = BY_ID.get(id)
  if (!spec) throw new TypeError(`no admin API route with id '${id}'`)
  const decision = decideAdmin(ctx.caller, spec)
  if (!decision.allow)
    throw new GatewayError(
      'GW_PERMISSION_DENIED',
      decision.reasons.map((r) => r.message).join('; '),
    )
  const parsed = readInput(spec, {
    params: input.params ?? {},
    query: input.query ?? {},
    body: input.body,
  })
  const result = await spec.handler({ ...parsed, caller: ctx.caller, deps: ctx.deps } as never)
  return result as T
}

/** A refusal as one sentence for a page: validation problems by field, without `body.` and `_`. */
export function refusalText(err: GatewayError): string {
  if (!(err instanceof InvalidInput)) return capitalise(err.message)
  return err.problems
    .map((p) => {
      const field = p.field.replace(/^(body|path|query)\.?/, '').replace(/_/g, ' ')
      return capitalise(field ? `${field}: ${p.message}` : p.message)
    })
    .join('. ')
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)
