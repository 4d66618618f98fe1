/** Decision: the value every authorization produces, allow or deny with the reasons why. */

/** Every reason a decision can give; kebab-case, stable, written to the audit log. */
export type Reason = 'access-control-off'

export type Decision = { readonly allow: boolean; readonly reasons: readonly Reason[] }
