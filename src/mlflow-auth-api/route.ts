/** The shape of one auth-API route the gateway answers, and what its handlers are given. */
import type { Throttle } from '../identify/throttle.js'
import type { Logger } from 'pino'
import type { AuditSink } from '../audit/sink.js'
import type { Decision } from '../authorize/decision.js'
import type { LivePolicy } from '../authorize/live-policy.js'
import type { Owners } from '../authorize/owners.js'
import type { Resolver } from '../authorize/resolve.js'
import type { Ids } from '../classify/ids.js'
import type { Action, Method } from '../classify/row.js'
import type { Identifier } from '../identify/index.js'
import type { Principal } from '../identify/principal.js'
import type { AccessStore } from '../storage/access/index.js'
import type { Params } from './request.js'

export type AuthApiDeps = {
  readonly identifiers: readonly Identifier[]
  readonly access: AccessStore
  /** Decisions read `policy.current`; a write waits for `refresh()` so the next request sees it. */
  readonly policy: LivePolicy
  readonly resolver: Resolver
  readonly owners: Owners
  readonly audit: AuditSink
  readonly log: Logger
  readonly maxJsonBodyBytes: number
  /** Failed credentials and wrong current passwords count against the sign-in throttle. */
  readonly throttle?: Throttle
}

export type SignedIn = Extract<Principal, { kind: 'user' }>

export type Call = {
  readonly principal: SignedIn
  readonly params: Params
  readonly deps: AuthApiDeps
  /** The caller's address, for the throttle. */
  readonly client: string
}

export type AuthRoute = {
  readonly method: Method
  readonly version: '2.0' | '3.0'
  /** The path after `/api/<version>/mlflow/`, e.g. `users/create`. */
  readonly tail: string
  /** Changes the store: refused to read-only tokens, and the policy reloads before answering. */
  readonly writes: boolean
  /** For the audit line: what kind of check decides it. */
  readonly action: Action
  /** The MLflow handler whose behaviour it follows. */
  readonly source: string
  /** Asked by a browser UI that must not get a sign-in prompt when anonymous visitors are served. */
  readonly quietWhenAnonymous?: true
  /** Who may call it (MLflow's validator for the route); a deny is answered 403. */
  authorize(call: Call): Decision | Promise<Decision>
  /** The answer's JSON; errors are GatewayErrors in MLflow's shape. */
  run(call: Call): Promise<object>
  /** What it names, for the audit line. */
  resource?(call: Call): Ids | undefined
}
