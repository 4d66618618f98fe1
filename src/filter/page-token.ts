/** The page tokens the gateway hands out for filtered searches: MLflow's own token plus how far into that page it got. */
import { GatewayError } from '../server/errors.js'

export type Cursor = {
  /** MLflow's page token for the page being read; undefined for the first page. */
  readonly upstream: string | undefined
  /** How many items of that MLflow page were already read. */
  readonly skip: number
}

const PREFIX = 'gate1.'

export function encodeCursor(c: Cursor): string {
  return (
    PREFIX + Buffer.from(JSON.stringify({ u: c.upstream ?? null, s: c.skip })).toString('base64url')
  )
}

/**
 * Tokens are only ever ones the gateway issued. A tampered token cannot leak anything (every
 * item is still filtered), but an unreadable one is refused rather than guessed at.
 */
export function decodeCursor(token: unknown): Cursor {
  if (token === undefined || token === null || token === '') return { upstream: undefined, skip: 0 }
  const bad = new GatewayError('GW_BAD_REQUEST', 'page_token is not one this gateway issued')
  if (typeof token !== 'string' || !token.startsWith(PREFIX)) throw bad
  try {
    const v = JSON.parse(Buffer.from(token.slice(PREFIX.length), 'base64url').toString('utf8')) as {
      u: unknown
      s: unknown
    }
    if ((v.u !== null && typeof v.u !== 'string') || !Number.isInteger(v.s) || (v.s as number) < 0)
      throw bad
    return { upstream: (v.u as string | null) ?? undefined, skip: v.s as number }
  } catch {
    throw bad
  }
}
