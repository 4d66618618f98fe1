/** Reads an upstream answer into memory within a byte limit, dropping the connection as soon as it passes it. */
import type { Dispatcher } from 'undici'

/** The answer passed the limit; what was read is dropped and the connection closed. */
export class AnswerTooLarge extends Error {
  readonly limit: number
  constructor(limit: number) {
    super(`MLflow's answer is larger than ${limit} bytes`)
    this.limit = limit
  }
}

/**
 * Buffers the answer, refusing it by its Content-Length when MLflow sends one, else while reading,
 * so a huge answer costs at most `limit` bytes of memory.
 */
export async function readBounded(res: Dispatcher.ResponseData, limit: number): Promise<Buffer> {
  if (Number(res.headers['content-length'] ?? 0) > limit) {
    discard(res.body)
    throw new AnswerTooLarge(limit)
  }
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > limit) {
      discard(res.body)
      throw new AnswerTooLarge(limit)
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}

/**
 * Stops reading and drops the connection. undici's body emits an AbortError when destroyed; with
 * no listener (the body was never iterated) that is an uncaught exception, so it is expected here.
 */
export function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined)
  body.destroy()
}
