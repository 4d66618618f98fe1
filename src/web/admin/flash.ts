/** The one-time message a form's POST leaves for the page it redirects to (POST-redirect-GET), carried in a short-lived cookie. */
import { readCookie } from '../../identify/session.js'

export type Flash = { readonly kind: 'ok' | 'error'; readonly text: string }

const NAME = 'mlflow-gate-flash'
const MAX_TEXT = 1000
/** Only the gateway's pages read it; a minute is plenty for the redirect that follows. */
const ATTRIBUTES = 'Path=/_gate/; HttpOnly; SameSite=Strict'

export function flashCookie(flash: Flash, secure: boolean): string {
  const value = Buffer.from(
    JSON.stringify({ kind: flash.kind, text: flash.text.slice(0, MAX_TEXT) }),
  ).toString('base64url')
  return `${NAME}=${value}; ${ATTRIBUTES}; Max-Age=60${secure ? '; Secure' : ''}`
}

export function clearFlashCookie(secure: boolean): string {
  return `${NAME}=; ${ATTRIBUTES}; Max-Age=0${secure ? '; Secure' : ''}`
}

/** The message in the request's cookie; anything malformed is no message (it is only ever shown as text). */
export function readFlash(cookieHeader: string | undefined): Flash | undefined {
  const value = readCookie(cookieHeader, NAME)
  if (!value) return undefined
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Partial<Flash>
    if ((parsed.kind === 'ok' || parsed.kind === 'error') && typeof parsed.text === 'string')
      return { kind: parsed.kind, text: parsed.text.slice(0, MAX_TEXT) }
  } catch {
    // Not ours, or damaged: ignore it.
  }
  return undefined
}
