/** Header rules for both directions of the proxy hop: what is dropped, what is added, and why. */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http'

/**
 * Hop-by-hop headers (RFC 9110 section 7.6.1, RFC 9112 section 9.6 and the de-facto
 * `Keep-Alive`/`Proxy-Connection`): they describe one connection and must not be forwarded.
 * `Expect` is answered by Node itself (100-continue) and `HTTP2-Settings` only means something to
 * an HTTP/2 upgrade we never perform (security.md 2.9); `Upgrade` is dropped so no tunnel can be
 * opened past the per-request decision.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
  'http2-settings',
])

/**
 * Request headers the client must never set on MLflow's side: its credentials for the gateway
 * (MLflow has no use for them and a log line could leak them), and forwarding or identity headers
 * only the gateway may write (security.md 2.7; Traefik CVE-2024-45410 shows why they are removed
 * before the gateway adds its own).
 */
const CLIENT_MUST_NOT_SEND = new Set([
  'authorization',
  'cookie',
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-forwarded-port',
  'x-forwarded-prefix',
  'x-real-ip',
  'x-original-url',
  'x-rewrite-url',
  'host',
  // Identity headers other proxies and MLflow plugins trust; only the gateway says who is calling.
  'remote-user',
  'x-remote-user',
  'x-forwarded-user',
  'x-forwarded-email',
  'x-forwarded-groups',
  'x-forwarded-preferred-username',
  'x-forwarded-access-token',
  'x-auth-request-user',
  'x-auth-request-email',
  'x-auth-request-groups',
  'x-auth-request-preferred-username',
  'x-auth-request-access-token',
  // Selects an MLflow workspace (security.md 1.3); workspace-scoped access is not modelled yet, so
  // a client may not pick one.
  'x-mlflow-workspace',
])

/** Names listed in `Connection` (RFC 9110 section 7.6.1: "a proxy MUST ... remove ... each"). */
const NONE: ReadonlySet<string> = new Set()

function connectionListed(headers: IncomingHttpHeaders): ReadonlySet<string> {
  const value = headers.connection
  if (!value) return NONE
  return new Set(
    value
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
  )
}

export type ForwardedFor = {
  clientAddress: string
  /** The Host the client asked for, reported to MLflow as X-Forwarded-Host. */
  requestHost: string | undefined
  proto: 'http' | 'https'
  /** The Host header MLflow's --allowed-hosts check will accept. */
  upstreamHost: string
}

/** The headers sent to MLflow: the client's minus hop-by-hop and credentials, plus ours. */
export function toUpstreamHeaders(
  headers: IncomingHttpHeaders,
  via: ForwardedFor,
): Record<string, string | string[]> {
  const listed = connectionListed(headers)
  const out: Record<string, string | string[]> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || listed.has(name)) continue
    if (CLIENT_MUST_NOT_SEND.has(name)) continue
    out[name] = value
  }
  // Added after the client's headers were filtered, so nothing the client lists in `Connection`
  // can remove them.
  out.host = via.upstreamHost
  out['x-forwarded-for'] = via.clientAddress
  out['x-forwarded-proto'] = via.proto
  if (via.requestHost) out['x-forwarded-host'] = via.requestHost
  return out
}

/** The headers sent back to the client: MLflow's minus hop-by-hop ones. */
export function toClientHeaders(
  headers: Record<string, string | string[] | undefined>,
): OutgoingHttpHeaders {
  const listed = connectionListed(headers as IncomingHttpHeaders)
  const out: OutgoingHttpHeaders = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || listed.has(name)) continue
    out[name] = value
  }
  return out
}

/**
 * Media types a browser runs or renders as a document with script when it opens them
 * (WHATWG HTML "navigate" and the XML/SVG/JS handlers): they must never display in the gateway's
 * origin. Everything else (images, JSON, plain text, ...) keeps MLflow's disposition.
 */
const ACTIVE_TYPE =
  /^(text\/html|application\/xhtml\+xml|image\/svg\+xml|text\/xml|application\/xml|text\/xsl|application\/xslt\+xml|text\/(x-)?(java|ecma)script|application\/(x-)?(java|ecma)script|application\/x-shockwave-flash|multipart\/x-mixed-replace|[a-z0-9.+-]+\/[a-z0-9.+-]*\+xml)$/

/**
 * Headers for a response that is a stored artifact (rows marked `download`), so an uploaded
 * `evil.html` or `evil.svg` cannot run script in the gateway's origin, whoever opens its URL.
 * MLflow 3.18.0 already sends `attachment` and `nosniff` (handlers.py
 * `_response_with_file_attachment_headers`, artifact_router.py `download_artifact`); the gateway
 * does not rely on it:
 * - `X-Content-Type-Options: nosniff`: no sniffing a text file into HTML (Fetch standard 3.5);
 * - `Content-Security-Policy: sandbox; default-src 'none'`: opened as a document, it gets an
 *   opaque origin and may run nothing nor load anything (CSP3 `sandbox`, HTML "sandboxing flags");
 * - `Content-Disposition: attachment` (RFC 6266) for active types and for a missing type, keeping
 *   MLflow's filename parameters.
 * Only headers change, so the body still streams.
 */
export function toDownloadHeaders(headers: OutgoingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = { ...headers }
  out['x-content-type-options'] = 'nosniff'
  out['content-security-policy'] = "sandbox; default-src 'none'"
  const type = String(headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase()
  if (type === '' || ACTIVE_TYPE.test(type)) {
    const given = String(headers['content-disposition'] ?? '')
    const params = given.includes(';') ? given.slice(given.indexOf(';')) : ''
    out['content-disposition'] = `attachment${params}`
  }
  return out
}
