/** The admin API's one error handler: every failure becomes a catalogue error in MLflow's JSON shape. */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { GatewayError, toErrorBody } from '../server/errors.js'
import { InvalidInput } from './validate.js'

/** RFC 7235 section 4.1; RFC 7617 section 2.1 for the charset. */
export const CHALLENGE = 'Basic realm="mlflow-gate", charset="UTF-8"'

/** What a thrown value means to the caller; anything unexpected is a 500 that names no internals. */
export function toGatewayError(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err
  const e = err as Partial<FastifyError> & { code?: string }
  // Two requests creating the same thing at once: the loser hits the unique index
  // (better-sqlite3 and PostgreSQL's unique_violation).
  if (e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === '23505')
    return new GatewayError('GW_ALREADY_EXISTS', 'it already exists (made by a concurrent request)')
  const status = e.statusCode ?? 500
  if (status === 413)
    return new GatewayError('GW_PAYLOAD_TOO_LARGE', 'the request body is too large')
  if (status === 415)
    return new GatewayError(
      'GW_BAD_REQUEST',
      'send the body as JSON (Content-Type: application/json)',
    )
  if (status >= 400 && status < 500)
    return new GatewayError('GW_BAD_REQUEST', e.message ?? 'malformed request')
  return new GatewayError('GW_INTERNAL', 'the admin API failed; the gateway log has the details', {
    cause: err,
  })
}

export function sendError(req: FastifyRequest, reply: FastifyReply, err: GatewayError): void {
  if (err.code === 'GW_INTERNAL') req.log.error({ err: err.cause ?? err }, 'admin API failure')
  const body = {
    ...toErrorBody(err),
    ...(err instanceof InvalidInput && { problems: err.problems }),
  }
  void reply
    .code(err.status)
    .headers({
      'cache-control': 'no-store',
      ...(err.status === 401 && { 'www-authenticate': CHALLENGE }),
      // A body left unread (a refused upload) must not be taken for the next request.
      ...(!req.raw.complete && { connection: 'close' }),
    })
    .send(body)
}
