/** An audit sink that keeps events in the store, written in batches off the request path. */
import type { Logger } from 'pino'
import type { AccessStore } from '../storage/access/index.js'
import { insertAuditEvents } from '../storage/access/audit.js'
import type { AuditEvent } from './event.js'
import type { AuditSink } from './sink.js'

const FLUSH_MS = 1_000
const BATCH = 500
/** Beyond this many unwritten events (the database is down) the oldest are dropped and counted. */
const MAX_QUEUED = 20_000

export type StoreAuditSink = AuditSink & { close(): Promise<void> }

export function createStoreAuditSink(store: AccessStore, log: Logger): StoreAuditSink {
  let queue: (AuditEvent & { at: string })[] = []
  let dropped = 0
  let writing: Promise<void> = Promise.resolve()

  async function flush(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.slice(0, BATCH)
      try {
        await insertAuditEvents(store.db, batch)
        queue = queue.slice(batch.length)
      } catch (err) {
        log.warn(
          { err, queued: queue.length },
          'could not write audit events to the store; will retry',
        )
        return
      }
    }
    if (dropped > 0) {
      log.error({ dropped }, 'audit events were dropped because the store was unreachable')
      dropped = 0
    }
  }
  const schedule = () => (writing = writing.then(flush))
  const timer = setInterval(schedule, FLUSH_MS)
  timer.unref()

  return {
    emit(event) {
      queue.push({ ...event, at: new Date().toISOString() })
      if (queue.length > MAX_QUEUED) {
        queue.shift()
        dropped++
      }
      if (queue.length >= BATCH) schedule()
    },
    async close() {
      clearInterval(timer)
      await schedule()
    },
  }
}

/** Sends each event to every sink. */
export function teeSinks(...sinks: AuditSink[]): AuditSink {
  return { emit: (event) => sinks.forEach((s) => s.emit(event)) }
}
