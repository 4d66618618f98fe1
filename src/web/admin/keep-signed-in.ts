/** A new password ends every session of its user, the one changing it included: the person at this browser gets a fresh one. */
import type { PageContext } from './page-route.js'

/**
 * storage/access/users.ts `updateUser` deletes the user's sessions when the password changes, so
 * other browsers are signed out. When that user is the caller in this browser, a fresh session
 * (a new id) keeps them signed in here; the Set-Cookie values to send are returned.
 */
export async function keepSignedIn(ctx: PageContext, changed: string): Promise<string[]> {
  if (ctx.caller.via !== 'session' || ctx.caller.name.toLowerCase() !== changed.toLowerCase())
    return []
  return [await ctx.deps.sessions.signIn(ctx.caller.name, ctx.req)]
}
