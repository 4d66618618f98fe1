/** How every form's POST ends: the change goes through, or its refusal is recorded; either way a redirect with a message (POST-redirect-GET). */
import { GatewayError } from '../../server/errors.js'
import { refusalText } from './call-api.js'
import { redirect, type PageContext, type PageResult } from './page-route.js'

/**
 * Runs `change` and redirects to `back` with its success message, or with the refusal (invalid
 * input, a config-owned object, not found) as an error message. The refusal's code goes into the
 * request's audit event, as the admin API's would. Anything else is a failure (500).
 */
export async function act(
  ctx: PageContext,
  back: string,
  change: () => Promise<string | { text: string; to?: string; cookies?: string[] }>,
): Promise<PageResult> {
  try {
    const done = await change()
    const o = typeof done === 'string' ? { text: done } : done
    return {
      kind: 'redirect',
      to: o.to ?? back,
      flash: { kind: 'ok', text: o.text },
      cookies: o.cookies,
    }
  } catch (err) {
    if (!(err instanceof GatewayError)) throw err
    ctx.call.error = err.code
    return redirect(back, { kind: 'error', text: refusalText(err) })
  }
}

/** A form refusal the page finds itself (say, two new passwords that differ). */
export function refuse(message: string): never {
  throw new GatewayError('GW_INVALID_PARAMETER', message)
}
