import { describe, expect, it } from 'vitest'
import { createThrottle } from './throttle.js'

const settings = { freeFailures: 3, maxWaitMs: 60_000, accountMaxWaitMs: 5_000 }

describe('throttle', () => {
  it('lets the free failures through, then doubles the wait up to the cap', () => {
    let t = 0
    const th = createThrottle(settings, () => t)
    for (let i = 0; i < 3; i++) {
      expect(th.waitSeconds('ann', '10.0.0.1')).toBe(0)
      th.failed('ann', '10.0.0.1')
    }
    expect(th.waitSeconds('ann', '10.0.0.1')).toBe(0)
    th.failed('ann', '10.0.0.1')
    expect(th.waitSeconds('ann', '10.0.0.1')).toBe(1)
    th.failed('ann', '10.0.0.1')
    expect(th.waitSeconds('ann', '10.0.0.1')).toBe(2)
    for (let i = 0; i < 20; i++) th.failed('ann', '10.0.0.1')
    expect(th.waitSeconds('ann', '10.0.0.1')).toBe(60)
    // Another address is not held back by one client's guessing of the pair...
    expect(th.waitSeconds('ann', '10.0.0.2')).toBeLessThanOrEqual(5)
    t += 60_000
    expect(th.waitSeconds('ann', '10.0.0.1')).toBe(0)
  })

  it('caps what strangers can do to an account at the account cap', () => {
    let t = 0
    const th = createThrottle(settings, () => t)
    for (let i = 0; i < 100; i++) th.failed('ann', `10.0.${i}.1`)
    expect(th.waitSeconds('ann', '192.168.1.1')).toBe(5)
    t += 5_000
    expect(th.waitSeconds('ann', '192.168.1.1')).toBe(0)
  })

  it('treats unknown names like known ones and throttles an address spraying many names', () => {
    const th = createThrottle(settings, () => 0)
    for (let i = 0; i < 13; i++) th.failed(`user${i}`, '10.0.0.9')
    expect(th.waitSeconds('someone-new', '10.0.0.9')).toBeGreaterThan(0)
    expect(th.waitSeconds(undefined, '10.0.0.9')).toBeGreaterThan(0)
  })

  it('forgets a pair after a success', () => {
    const th = createThrottle(settings, () => 0)
    for (let i = 0; i < 4; i++) th.failed('ann', '10.0.0.1')
    th.succeeded('ann', '10.0.0.1')
    expect(th.waitSeconds('ann', '10.0.0.1')).toBe(0)
  })
})
