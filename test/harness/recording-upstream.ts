/**
 * A fake upstream for what real MLflow cannot show: it records exactly what reached it and can
 * inject faults. Never use it where a test's claim is about MLflow's behaviour.
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export type Recorded = {
  method: string
  url: string
  headers: IncomingHttpHeaders
  rawHeaders: string[]
  body: Buffer
  /** The body ended cleanly (false when the gateway aborted the upload). */
  complete: boolean
  socketId: number
}

/** How the upstream answers; it runs as soon as a request's headers arrive. */
export type Behaviour = (req: IncomingMessage, res: ServerResponse, rec: Recorded) => void

/** Runs `fn` once the request body has been read completely. */
export const afterBody =
  (fn: Behaviour): Behaviour =>
  (req, res, rec) =>
    req.once('end', () => fn(req, res, rec))

export type RecordingUpstream = {
  readonly url: string
  readonly requests: Recorded[]
  /** Connections accepted so far (keep-alive reuse shows as fewer sockets than requests). */
  readonly sockets: () => number
  behave(b: Behaviour): void
  /** Resolves with the next request's record as soon as its headers arrive. */
  nextRequest(): Promise<Recorded>
  close(): Promise<void>
}

export const echoJson: Behaviour = afterBody((_req, res, rec) => {
  const body = JSON.stringify({
    ok: true,
    method: rec.method,
    url: rec.url,
    bytes: rec.body.length,
  })
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  })
  res.end(body)
})

export async function startRecordingUpstream(): Promise<RecordingUpstream> {
  const requests: Recorded[] = []
  const socketIds = new WeakMap<Socket, number>()
  let socketCount = 0
  let behaviour: Behaviour = echoJson
  let waiting: ((r: Recorded) => void)[] = []
  const sockets = new Set<Socket>()

  const server = createServer((req, res) => {
    const rec: Recorded = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      rawHeaders: req.rawHeaders,
      body: Buffer.alloc(0),
      complete: false,
      socketId: socketIds.get(req.socket) ?? -1,
    }
    requests.push(rec)
    for (const w of waiting) w(rec)
    waiting = []
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => {
      chunks.push(c)
      rec.body = Buffer.concat(chunks)
    })
    req.on('end', () => {
      rec.complete = true
    })
    req.on('error', () => undefined)
    behaviour(req, res, rec)
  })
  server.on('connection', (socket) => {
    socketIds.set(socket, ++socketCount)
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    sockets: () => socketCount,
    behave: (b) => {
      behaviour = b
    },
    nextRequest: () => new Promise((resolve) => waiting.push(resolve)),
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}

/**
 * A listener whose accept queue is full, so new connections hang in SYN: the only way to make a
 * connect time out on loopback. Node always accepts, hence the small Python helper.
 */
export async function startBlackHole(): Promise<{ url: string; close(): void }> {
  const { spawn } = await import('node:child_process')
  const script = [
    'import socket, time',
    's = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(0)',
    'port = s.getsockname()[1]; held = []',
    'for _ in range(4):',
    '    c = socket.socket(); c.setblocking(False)',
    '    try: c.connect(("127.0.0.1", port))',
    '    except BlockingIOError: pass',
    '    held.append(c)',
    'print(port, flush=True); time.sleep(600)',
  ].join('\n')
  const child = spawn('python3', ['-c', script], { stdio: ['ignore', 'pipe', 'inherit'] })
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim()))
    child.once('error', reject)
  })
  return { url: `http://127.0.0.1:${port}`, close: () => child.kill('SIGKILL') }
}
