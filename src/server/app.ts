/** Wires the gateway: one HTTP server whose own routes go to Fastify and everything else to the pipeline. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import Fastify, { LogController, type FastifyBaseLogger } from 'fastify'
import { pino, type Logger } from 'pino'
import { registerAdminApi, type AdminDeps } from '../admin/index.js'
import { createAuditSink, type AuditSink } from '../audit/sink.js'
import { createStoreAuditSink, teeSinks } from '../audit/store-sink.js'
import { startLivePolicy, type LivePolicy } from '../authorize/live-policy.js'
import { settingsOf } from '../authorize/policy.js'
import { loadOwners } from '../authorize/owners.js'
import { createResolver } from '../authorize/resolve.js'
import { compileCatalogue } from '../classify/match.js'
import { CATALOGUE } from '../classify/rows/index.js'
import { basicIdentifier, passwordRehasher } from '../identify/basic.js'
import { bearerIdentifier } from '../identify/token.js'
import { createSessions } from '../identify/session.js'
import { createThrottle } from '../identify/throttle.js'
import { registerAdminPages } from '../web/admin/index.js'
import { registerLoginRoutes } from '../web/login.js'
import { trackTokenUsage } from '../identify/token-usage.js'
import { desiredAccess } from '../config/desired.js'
import type { Config } from '../config/schema.js'
import { createUpstream } from '../forward/upstream.js'
import { applyDesired } from '../storage/access/apply.js'
import { accessStore, type AccessStore } from '../storage/access/index.js'
import { openStore } from '../storage/open.js'
import { AUTH_PATHS, handleAuthApi, type AuthApiDeps } from '../mlflow-auth-api/index.js'
import { registerHealthRoutes } from './health.js'
import { handle, type PipelineDeps } from './pipeline.js'

/** Paths the gateway answers itself; everything else belongs to MLflow. */
const OWN_PATHS = new Set(['/healthz', '/readyz'])
const OWN_PREFIX = '/_gate/'

const pathOf = (url: string | undefined) => (url ?? '').split('?')[0] ?? ''

function isOwnRoute(path: string): boolean {
  return OWN_PATHS.has(path) || path.startsWith(OWN_PREFIX)
}

export type Gateway = {
  readonly server: Server
  /** The base URL the gateway listens on, e.g. http://127.0.0.1:8080. */
  readonly url: string
  /** The users, groups, grants and tokens, and the policy compiled from them. */
  readonly access: AccessStore
  readonly policy: LivePolicy
  close(): Promise<void>
}

export type GatewayOptions = {
  log?: Logger
  /** Replaces the stdout audit sink (tests capture events this way); the store sink is kept. */
  audit?: AuditSink
  /** How long in-flight requests may run after close() before connections are cut. */
  drainMs?: number
}

/** Opens storage, builds the server and starts listening; the caller owns close(). */
export async function startGateway(config: Config, options: GatewayOptions = {}): Promise<Gateway> {
  // Operational logs go to stderr so stdout carries only the audit lines.
  const log = options.log ?? pino({ level: config.log.level }, pino.destination(2))
  const store = await openStore(config.storage.url, {
    onBackgroundError: (err) =>
      log.warn({ err }, 'storage connection lost; reconnecting on next use'),
  })
  const access = accessStore(store)
  if (config.access.apply_on_start) {
    const changes = await applyDesired(access, desiredAccess(config.access))
    if (changes.length > 0)
      log.info({ changes: changes.length }, 'applied the access section of the config to the store')
  }
  const policy = await startLivePolicy(access, {
    settings: settingsOf(config.access),
    pollMs: config.storage.refresh_ms,
    onError: (err) =>
      log.warn({ err }, 'could not reload access from the store; keeping the last one'),
  })
  const storeAudit = config.audit.store ? createStoreAuditSink(access, log) : undefined
  const stdoutAudit = options.audit ?? (config.audit.stdout ? createAuditSink() : undefined)
  const audit = teeSinks(...[stdoutAudit, storeAudit].filter((s) => s !== undefined))
  const tokenUsage = trackTokenUsage(access, log)
  const upstream = createUpstream(config.upstream)
  let closing = false

  const current = () => policy.current
  const publicOrigin = config.listen.public_url && new URL(config.listen.public_url).origin
  const sessions = createSessions(
    access,
    current,
    {
      idleMs: config.sessions.idle_minutes * 60_000,
      absoluteMs: config.sessions.absolute_hours * 3_600_000,
      secure: publicOrigin?.startsWith('https:') ?? false,
      publicOrigin,
    },
    log,
  )
  const throttle = createThrottle({
    freeFailures: config.throttle.free_failures,
    maxWaitMs: config.throttle.max_wait_seconds * 1000,
    accountMaxWaitMs: config.throttle.account_max_wait_seconds * 1000,
  })
  // A password in an older hash format is upgraded to scrypt after it is verified, on any sign-in.
  const rehash = passwordRehasher(access, (err) =>
    log.warn({ err }, 'could not upgrade a password hash'),
  )
  const pipelineDeps: PipelineDeps = {
    // Credentials in the Authorization header come first; the session cookie after them.
    identifiers: [
      basicIdentifier(current, tokenUsage.used, Date.now, rehash),
      bearerIdentifier(current, tokenUsage.used),
      sessions.identifier,
    ],
    throttle,
    catalogue: compileCatalogue(CATALOGUE),
    maxJsonBodyBytes: config.limits.max_json_body_bytes,
    // Read on every request: the policy is swapped whole when the store changes.
    get policy() {
      return policy.current
    },
    maxGraphqlResponseBytes: config.limits.max_graphql_response_bytes,
    resolver: createResolver(upstream),
    owners: await loadOwners(store),
    upstream,
    maxSearchResponseBytes: config.limits.max_search_response_bytes,
    audit,
    log,
  }
  const authApiDeps: AuthApiDeps = {
    identifiers: pipelineDeps.identifiers,
    access,
    policy,
    resolver: pipelineDeps.resolver,
    owners: pipelineDeps.owners,
    audit,
    log,
    maxJsonBodyBytes: config.limits.max_json_body_bytes,
    throttle,
  }
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    // Own routes are health probes; logging each would drown the audit lines that matter.
    logController: new LogController({ disableRequestLogging: true }),
    // Requests Node's parser rejects (malformed, smuggling attempts) get MLflow's error shape
    // too, and the connection is closed.
    clientErrorHandler: (err, socket) => {
      const body = JSON.stringify({
        error_code: 'BAD_REQUEST',
        message: `mlflow-gate: malformed HTTP request (${err.code ?? 'parse error'})`,
        gateway_code: 'GW_BAD_REQUEST',
      })
      if (socket.writable) {
        socket.end(
          `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        )
      }
    },
    serverFactory: (fastifyHandler) =>
      createServer(
        {
          headersTimeout: config.listen.headers_timeout_ms,
          // Whole-request deadline off: artifact uploads may legitimately take hours. Stalled
          // clients are caught by the idle timeout below instead.
          requestTimeout: 0,
          keepAliveTimeout: config.listen.keep_alive_timeout_ms,
          insecureHTTPParser: false,
        },
        (req: IncomingMessage, res: ServerResponse) => {
          const path = pathOf(req.url)
          if (isOwnRoute(path)) fastifyHandler(req, res)
          // MLflow's auth API (users, permissions) is the gateway's own: never forwarded.
          else if (AUTH_PATHS.has(path)) void handleAuthApi(req, res, authApiDeps)
          else void handle(req, res, pipelineDeps)
        },
      ),
  })
  registerHealthRoutes(app, { upstream, store, isClosing: () => closing })
  registerLoginRoutes(app, { policy: current, sessions, throttle, publicOrigin, verified: rehash })
  const adminDeps: AdminDeps = {
    access,
    policy,
    tokenUsage,
    identifiers: pipelineDeps.identifiers,
    throttle,
    audit,
    explain: pipelineDeps,
  }
  registerAdminApi(app, adminDeps)
  registerAdminPages(app, {
    ...adminDeps,
    sessions,
    publicOrigin,
    secureCookies: publicOrigin?.startsWith('https:') ?? false,
  })
  await app.listen({ host: config.listen.host, port: config.listen.port })
  app.server.setTimeout(config.listen.idle_timeout_ms)

  const address = app.server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return {
    server: app.server,
    url: `http://${host}:${address.port}`,
    access,
    policy,
    close: async () => {
      closing = true
      const force = setTimeout(() => app.server.closeAllConnections(), options.drainMs ?? 10_000)
      try {
        await app.close()
      } finally {
        clearTimeout(force)
        policy.close()
        await Promise.allSettled([tokenUsage.close(), sessions.close(), storeAudit?.close()])
        await Promise.allSettled([upstream.close(), store.close()])
      }
    },
  }
}
