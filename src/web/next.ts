/** Where to go after sign-in: only a path on this site, so `next=` can never send anyone elsewhere (open redirect). */

const BASE = 'http://gate.invalid'
/** The gateway's own pages a signed-in person may be sent back to. */
const RETURNABLE = ['/_gate/admin/', '/_gate/account/']

/**
 * Accepts `/path?query#hash` that stays on this origin. Refuses absolute URLs, scheme-relative
 * `//host`, backslashes (browsers read `/\host` as `//host`), control characters, and the
 * gateway's own paths other than its admin and account pages; anything refused becomes `/`.
 */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || next === '' || next.length > 2048) return '/'
  if (!next.startsWith('/') || next.startsWith('//') || /[\\\u0000-\u001f\u007f]/.test(next))
    return '/'
  if (!URL.canParse(next, BASE)) return '/'
  const url = new URL(next, BASE)
  if (url.origin !== BASE) return '/'
  if (url.pathname.startsWith('/_gate/') && !RETURNABLE.some((p) => url.pathname.startsWith(p)))
    return '/'
  return `${url.pathname}${url.search}${url.hash}`
}
