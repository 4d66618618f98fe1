/** Remembers when each API token was last used and writes it to the store once a minute, off the request path. */
import type { Logger } from 'pino'
import type { AccessStore } from '../storage/access/index.js'
import { touchTokens } from '../storage/access/tokens.js'

const FLUSH_MS = 60_000

export type TokenUsage = {
  used(tokenId: string): void
  /** Writes what is pending now (at shutdown, and in tests). */
  flush(): Promise<void>
  close(): Promise<void>
}

export function trackTokenUsage(store: AccessStore, log: Logger): TokenUsage {
  let pending = new Map<string, string>()
  async function flush(): Promise<void> {
    if (pending.size === 0) return
    const batch = pending
    pending = new Map()
    try {
      await touchTokens(store.db, batch)
    } catch (err) {
      log.warn({ err }, 'could not record API token use')
    }
  }
  const timer = setInterval(() => void flush(), FLUSH_MS)
  timer.unref()
  return {
    used: (id) => void pending.set(id, new Date().toISOString()),
    flush,
    async close() {
      clearInterval(timer)
      await flush()
    },
  }
}
