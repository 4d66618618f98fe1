/** Reads a JSON request body once, bounded, and checks it is JSON MLflow would read the same way. */
import type { IncomingMessage } from 'node:http'
import { GatewayError } from '../server/errors.js'
import type { Message } from './ids.js'

/** Reads at most `limit` bytes; more is 413, decided on Content-Length alone when it is given. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = () =>
    new GatewayError(
      'GW_PAYLOAD_TOO_LARGE',
      `JSON request bodies are limited to ${limit} bytes (limits.max_json_body_bytes)`,
    )
  const declared = Number(req.headers['content-length'] ?? 0)
  if (declared > limit) throw tooLarge()
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > limit) throw tooLarge()
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}

const bad = (why: string) => new GatewayError('GW_BAD_REQUEST', why)

/**
 * MLflow parses a body as JSON whatever its Content-Type (`get_json(force=True)`), decodes a JSON
 * string a second time, and Python's json accepts a BOM, NaN and Infinity that JavaScript does
 * not (security.md 1.3, 2.10). So the gateway accepts only what both read identically: UTF-8 JSON
 * whose top level is an object, with `Content-Type: application/json` when a type is given.
 */
export function parseMessage(body: Buffer, contentType: string | undefined): Message {
  if (body.length === 0) return {}
  if (
    contentType !== undefined &&
    !/^application\/json\s*(;\s*charset=utf-8\s*)?$/i.test(contentType)
  ) {
    throw bad(`this route takes a JSON body (Content-Type: application/json), not '${contentType}'`)
  }
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf)
    throw bad('the JSON body must not start with a byte-order mark')
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body)
  } catch {
    throw bad('the JSON body is not valid UTF-8')
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw bad('the body is not valid JSON')
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw bad('the JSON body must be an object')
  }
  return value as Message
}
