/** Decision: the value every authorization produces, allow or deny with the reasons why. */

/** Every reason a decision can give; kebab-case, stable, written to the audit log. */
export type ReasonCode =
  | 'access-control-off'
  | 'public-route'
  | 'admin'
  | 'admin-only'
  | 'authenticated'
  | 'unauthenticated'
  | 'not-signed-in'
  | 'route-denied'
  | 'unknown-endpoint'
  | 'grant-allows'
  | 'owner'
  | 'grant-denies'
  | 'no-grant'
  | 'create-right'
  | 'no-create-right'
  | 'custom-artifact-location'
  | 'resource-unresolved'
  | 'not-found'
  | 'already-exists'
  | 'filtered'
  | 'read-only-token'
  | 'source-outside-origin'

export type Reason = { readonly code: ReasonCode; readonly message: string }

export type Decision = { readonly allow: boolean; readonly reasons: readonly Reason[] }

export const reason = (code: ReasonCode, message: string): Reason => ({ code, message })

export const allow = (...reasons: Reason[]): Decision => ({ allow: true, reasons })
export const deny = (...reasons: Reason[]): Decision => ({ allow: false, reasons })
