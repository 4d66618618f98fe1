/** Where audit events go: JSON lines on a stream (stdout by default), independent of the log level. */
import { pino, type DestinationStream } from 'pino'
import type { AuditEvent } from './event.js'

export type AuditSink = { emit(event: AuditEvent): void }

export function createAuditSink(destination: DestinationStream = pino.destination(1)): AuditSink {
  const logger = pino({ base: null, timestamp: pino.stdTimeFunctions.isoTime }, destination)
  return { emit: (event) => logger.info(event) }
}
