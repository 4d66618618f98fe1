import { describe, expect, it } from 'vitest'
import { progressReporter } from './progress.js'

function capture(isTTY: boolean) {
  const out: string[] = []
  return { stream: { isTTY, write: (s: string) => out.push(s) > 0 }, out }
}

describe('progressReporter', () => {
  it('says nothing for short jobs', () => {
    const { stream, out } = capture(true)
    const report = progressReporter('job', stream, 100)
    for (let i = 1; i <= 99; i++) report(i, 99)
    expect(out).toEqual([])
  })

  it('draws one bar on a terminal, redrawn only when the percent moves, ending the line', () => {
    const { stream, out } = capture(true)
    const report = progressReporter('job', stream, 100)
    for (let i = 1; i <= 1000; i++) report(i, 1000)
    expect(out).toHaveLength(101)
    expect(out.every((s) => s.startsWith('\rjob ['))).toBe(true)
    expect(out.at(-1)).toBe(`\rjob [${'#'.repeat(30)}] 100% 1000/1000\n`)
  })

  it('prints a plain line every tenth when stderr is not a terminal', () => {
    const { stream, out } = capture(false)
    const report = progressReporter('job', stream, 100)
    for (let i = 1; i <= 1000; i++) report(i, 1000)
    expect(out).toEqual(
      [
        'job: 1/1000 (0%)',
        ...Array.from({ length: 10 }, (_, k) => `job: ${(k + 1) * 100}/1000 (${(k + 1) * 10}%)`),
      ].map((l) => `${l}\n`),
    )
  })
})
