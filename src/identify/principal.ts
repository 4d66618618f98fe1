/** Principal: who is calling, as every later stage sees it. */

export type Principal =
  | { readonly kind: 'anonymous' }
  | {
      readonly kind: 'user'
      readonly name: string
      readonly groups: readonly string[]
      readonly admin: boolean
      /** How the caller proved who they are. */
      readonly via: 'basic' | 'bearer' | 'session'
    }

export const ANONYMOUS: Principal = Object.freeze({ kind: 'anonymous' })

/** The name written to the audit log. */
export function principalName(p: Principal): string {
  return p.kind === 'anonymous' ? 'anonymous' : p.name
}
