/** Principal: who is calling, as every later stage sees it. */

export type Principal =
  | { readonly kind: 'anonymous' }
  | {
      readonly kind: 'user'
      readonly name: string
      readonly groups: readonly string[]
      readonly admin: boolean
      /** How the caller proved who they are: a password, an API token (as Bearer or as the Basic password), a session. */
      readonly via: 'basic' | 'token' | 'session'
      /** Set when the caller used a read-only API token: only reads are allowed, whatever the grants say. */
      readonly readOnly?: true
      /** The API token used, for the audit log. */
      readonly tokenId?: string
    }

export const ANONYMOUS: Principal = Object.freeze({ kind: 'anonymous' })

/** The name written to the audit log. */
export function principalName(p: Principal): string {
  return p.kind === 'anonymous' ? 'anonymous' : p.name
}
