/** Throttle: slows down password and token guessing per account, per client address, and per pair of both. */

export type ThrottleSettings = {
  /** Failures allowed per (account, address) before waits start. */
  readonly freeFailures: number
  readonly maxWaitMs: number
  /** The cap on waits imposed on an account by failures from everywhere. */
  readonly accountMaxWaitMs: number
}

type Counter = { failures: number; blockedUntil: number; lastFailure: number }

/** Counters are forgotten this long after their last failure. */
const FORGET_MS = 15 * 60_000
const MAX_COUNTERS = 100_000

export type Throttle = {
  /** Seconds to wait before trying again, or 0 when the attempt may go ahead. */
  waitSeconds(account: string | undefined, client: string): number
  failed(account: string | undefined, client: string): void
  succeeded(account: string | undefined, client: string): void
}

/**
 * Three counters per attempt (OWASP Authentication Cheat Sheet, "Protect against automated
 * attacks"): the (account, address) pair is throttled hard, so one client guessing one password
 * waits up to `maxWaitMs`; the address alone after 4x the free failures (spraying many accounts);
 * the account alone after 4x (a botnet on one account) but never longer than `accountMaxWaitMs`,
 * so a stranger cannot lock the real user out for long. Unknown account names count exactly like
 * real ones, so the answers reveal nothing about which names exist.
 */
export function createThrottle(settings: ThrottleSettings, now: () => number = Date.now): Throttle {
  const counters = new Map<string, Counter>()
  const keys = (account: string | undefined, client: string) => {
    const a = account?.toLowerCase()
    return [
      ...(a === undefined
        ? []
        : [
            {
              key: `pair\u0000${a}\u0000${client}`,
              free: settings.freeFailures,
              cap: settings.maxWaitMs,
            },
            {
              key: `account\u0000${a}`,
              free: settings.freeFailures * 4,
              cap: settings.accountMaxWaitMs,
            },
          ]),
      { key: `client\u0000${client}`, free: settings.freeFailures * 4, cap: settings.maxWaitMs },
    ]
  }
  const live = (key: string): Counter | undefined => {
    const c = counters.get(key)
    if (c && now() - c.lastFailure > Math.max(FORGET_MS, c.blockedUntil - c.lastFailure)) {
      counters.delete(key)
      return undefined
    }
    return c
  }
  return {
    waitSeconds(account, client) {
      let until = 0
      for (const { key } of keys(account, client))
        until = Math.max(until, live(key)?.blockedUntil ?? 0)
      return until > now() ? Math.ceil((until - now()) / 1000) : 0
    },
    failed(account, client) {
      for (const { key, free, cap } of keys(account, client)) {
        const c = live(key) ?? { failures: 0, blockedUntil: 0, lastFailure: 0 }
        c.failures++
        c.lastFailure = now()
        // 1 s after the first failure past the free ones, doubling each time, up to the cap.
        if (c.failures > free)
          c.blockedUntil = now() + Math.min(1000 * 2 ** Math.min(c.failures - free - 1, 30), cap)
        counters.delete(key)
        counters.set(key, c)
        if (counters.size > MAX_COUNTERS) counters.delete(counters.keys().next().value!)
      }
    },
    succeeded(account, client) {
      const [pair] = keys(account, client)
      if (account !== undefined && pair) counters.delete(pair.key)
    },
  }
}
