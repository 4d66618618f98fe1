/** An admin API route as data: who may call it, the zod schemas of its input and answer, and its handler. */
import type { z } from 'zod'
import type { AuditSink } from '../audit/sink.js'
import type { AuthorizeDeps } from '../authorize/index.js'
import type { LivePolicy } from '../authorize/live-policy.js'
import type { ClassifyDeps } from '../classify/index.js'
import type { Throttle } from '../identify/throttle.js'
import type { Identifier } from '../identify/index.js'
import type { Principal } from '../identify/principal.js'
import type { TokenUsage } from '../identify/token-usage.js'
import type { AccessStore } from '../storage/access/index.js'

/** Everything the admin API reads or changes; handed over by server/app.ts. */
export type AdminDeps = {
  readonly access: AccessStore
  readonly policy: LivePolicy
  /** The same identifiers MLflow traffic uses: Basic password, Basic with a token, Bearer. */
  readonly identifiers: readonly Identifier[]
  /** Failed credentials count against the same throttle as MLflow traffic's. */
  readonly throttle?: Throttle
  readonly tokenUsage: TokenUsage
  readonly audit: AuditSink
  /** What `POST /explain` needs to decide a described request as the pipeline would. */
  readonly explain: ClassifyDeps & Omit<AuthorizeDeps, 'policy'>
}

/** A signed-in caller. */
export type Caller = Extract<Principal, { kind: 'user' }>

/**
 * `admin`: gateway admins only. `self`: any signed-in user, acting on their own account (own
 * tokens, own password, who am I).
 */
export type Access = 'admin' | 'self'

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE'

type Schema = z.ZodType<unknown, unknown>

export type RouteSpec<
  P extends Schema = Schema,
  Q extends Schema = Schema,
  B extends Schema = Schema,
  R extends Schema = Schema,
> = {
  /** The OpenAPI operationId. */
  readonly id: string
  readonly method: Method
  /** Below the API prefix, in Fastify's syntax (`/users/:name`). */
  readonly path: string
  readonly tag: string
  readonly summary: string
  readonly description?: string
  readonly access: Access
  readonly params?: P
  readonly query?: Q
  readonly body?: B
  /** 200 unless said otherwise; 204 answers have no body. */
  readonly status?: 200 | 201 | 204
  readonly response?: R
  /** Error statuses this route can give besides 400, 401 and 403 (for the OpenAPI description). */
  readonly errors?: readonly (404 | 409)[]
  handler(input: {
    params: z.output<P>
    query: z.output<Q>
    body: z.output<B>
    caller: Caller
    deps: AdminDeps
  }): Promise<z.input<R> | void>
}

/** A route with its types erased, as the registry holds them. */
export type AnyRoute = RouteSpec<Schema, Schema, Schema, Schema>

/** Defines a route; the generic parameters make the handler's input and answer typed by the schemas. */
export function route<
  P extends Schema = z.ZodUndefined,
  Q extends Schema = z.ZodUndefined,
  B extends Schema = z.ZodUndefined,
  R extends Schema = z.ZodUndefined,
>(spec: RouteSpec<P, Q, B, R>): AnyRoute {
  return spec as unknown as AnyRoute
}

/** The prefix every admin API path is under. */
export const PREFIX = '/_gate/api/v1'
