/** Small HTTP client helpers for tests that need exact control over what a client sends. */
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { basic } from './users.js'

export type SimpleResponse = { status: number; headers: IncomingMessage['headers']; body: string }

/** One request with node:http (no pooling), as the admin unless `auth: false`. */
export function send(
  url: string,
  opts: {
    method?: string
    headers?: Record<string, string>
    body?: string | Buffer
    path?: string
    /** Send the admin's Basic credentials (the default), or none. */
    auth?: boolean
  } = {},
): Promise<SimpleResponse> {
  const u = new URL(url)
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: u.hostname,
        port: u.port,
        method: opts.method ?? 'GET',
        path: opts.path ?? `${u.pathname}${u.search}`,
        headers: {
          ...(opts.auth === false ? {} : { authorization: basic('admin') }),
          // Node frames no body on GET, HEAD and DELETE unless told its length.
          ...(opts.body !== undefined && {
            'content-length': String(Buffer.byteLength(opts.body)),
          }),
          ...opts.headers,
        },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        )
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(opts.body)
  })
}

/** Polls `check` until it is true (or throws after `ms`). */
export async function until(check: () => boolean, ms = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}
