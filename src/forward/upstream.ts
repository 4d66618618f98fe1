/** The keep-alive connection pool to MLflow, built once from config. */
import { Pool } from 'undici'
import type { Config } from '../config/schema.js'

export type Upstream = {
  /** The configured base URL, e.g. http://127.0.0.1:5000 (no trailing slash). */
  readonly origin: string
  /** A path prefix of the base URL (MLflow behind a path), '' when none. */
  readonly basePath: string
  /** The Host header sent to MLflow. */
  readonly hostHeader: string
  readonly pool: Pool
  readonly timeouts: Config['upstream']
  close(): Promise<void>
}

/** Opens (lazily) the pool of connections the gateway reuses for every forwarded request. */
export function createUpstream(config: Config['upstream']): Upstream {
  const url = new URL(config.url)
  const pool = new Pool(url.origin, {
    connections: config.max_connections,
    connect: { timeout: config.connect_timeout_ms },
    headersTimeout: config.headers_timeout_ms,
    bodyTimeout: config.body_idle_timeout_ms,
    // undici keeps idle sockets this long unless MLflow's Keep-Alive header says less; uvicorn
    // closes idle connections after 5 s, so stay under it to avoid racing a closing socket.
    keepAliveTimeout: 4_000,
    keepAliveMaxTimeout: 4_000,
  })
  return {
    origin: url.origin,
    basePath: url.pathname.replace(/\/+$/, ''),
    hostHeader: config.host_header ?? url.host,
    pool,
    timeouts: config,
    close: () => pool.close(),
  }
}
