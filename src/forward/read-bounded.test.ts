import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Pool } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AnswerTooLarge, readBounded } from './read-bounded.js'

// A real HTTP answer through undici: the bug this guards against (an AbortError emitted by a body
// destroyed before anyone listened) only shows with undici's own body stream.
let server: Server
let pool: Pool
const uncaught: unknown[] = []
const onUncaught = (err: unknown) => uncaught.push(err)

beforeAll(async () => {
  server = createServer((req, res) => {
    const size = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('size'))
    const declared = req.url?.includes('declared=1')
    res.writeHead(200, declared ? { 'content-length': size } : {})
    res.end(Buffer.alloc(size, 'a'))
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  pool = new Pool(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)
  process.on('uncaughtException', onUncaught)
})

afterAll(async () => {
  process.off('uncaughtException', onUncaught)
  await pool.close()
  await new Promise((done) => server.close(done))
})

const ask = (size: number, declared: boolean) =>
  pool.request({ method: 'GET', path: `/?size=${size}${declared ? '&declared=1' : ''}` })

/** Gives a stray 'error' event time to surface as an uncaught exception. */
const settle = () => new Promise((done) => setTimeout(done, 50))

describe('readBounded', () => {
  it('reads an answer within the limit whole', async () => {
    const body = await readBounded(await ask(1000, true), 1000)
    expect(body.length).toBe(1000)
  })

  it.each([
    ['by its Content-Length, before reading', true],
    ['while reading a chunked answer', false],
  ])('refuses an answer over the limit %s, with no uncaught error', async (_, declared) => {
    const res = await ask(3000, declared)
    // Let the whole answer arrive first: undici then ends the request, and a destroyed body's
    // AbortError has nobody to go to (what crashed the GraphQL filter once).
    await settle()
    await expect(readBounded(res, 1000)).rejects.toBeInstanceOf(AnswerTooLarge)
    await settle()
    expect(uncaught).toEqual([])
  })
})
