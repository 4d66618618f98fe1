/** LivePolicy: the compiled policy kept in memory and rebuilt when the store's access revision moves. */
import type { AccessStore } from '../storage/access/index.js'
import { compileSnapshot, type Policy, type PolicySettings } from './policy.js'

export type LivePolicy = {
  /** The policy every decision reads; swapped whole, never mutated. */
  readonly current: Policy
  /** Reloads now if the revision moved (also called after every local change). */
  refresh(): Promise<void>
  close(): void
}

export type LivePolicyOptions = {
  readonly settings: PolicySettings
  /** How often to look for changes made by another process (another replica, the CLI). */
  readonly pollMs: number
  readonly onError: (err: unknown) => void
}

/**
 * Decisions never wait on the database: they read `current`. Changes made by this process are
 * picked up right after they commit; changes made elsewhere within `pollMs` (one cheap
 * `select revision` per poll). If the database is unreachable the last good policy stays in force.
 */
export async function startLivePolicy(
  store: AccessStore,
  options: LivePolicyOptions,
): Promise<LivePolicy> {
  let current = compileSnapshot(await store.snapshot(), options.settings)
  let loading: Promise<void> | undefined

  async function load(): Promise<void> {
    if ((await store.revision()) === current.revision) return
    current = compileSnapshot(await store.snapshot(), options.settings)
  }
  /** One load at a time; a call during a load waits for it and then loads again. */
  function refresh(): Promise<void> {
    const next = (loading ?? Promise.resolve())
      .then(load)
      .catch(options.onError)
      .finally(() => {
        if (loading === next) loading = undefined
      })
    loading = next
    return next
  }
  const unsubscribe = store.onChange(() => void refresh())
  const timer = setInterval(() => void refresh(), options.pollMs)
  timer.unref()
  return {
    get current() {
      return current
    },
    refresh,
    close() {
      clearInterval(timer)
      unsubscribe()
    },
  }
}
