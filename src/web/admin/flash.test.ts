import { describe, expect, it } from 'vitest'
import { clearFlashCookie, flashCookie, readFlash } from './flash.js'

const header = (setCookie: string) => setCookie.split(';')[0]!

describe('flash messages', () => {
  it('round-trip through the cookie, scoped to the gateway pages and short-lived', () => {
    const set = flashCookie({ kind: 'error', text: "No user named 'x' <b>" }, true)
    expect(set).toMatch(
      /^mlflow-gate-flash=[\w-]+; Path=\/_gate\/; HttpOnly; SameSite=Strict; Max-Age=60; Secure$/,
    )
    expect(readFlash(`a=b; ${header(set)}`)).toEqual({
      kind: 'error',
      text: "No user named 'x' <b>",
    })
    expect(clearFlashCookie(false)).toBe(
      'mlflow-gate-flash=; Path=/_gate/; HttpOnly; SameSite=Strict; Max-Age=0',
    )
  })

  it('ignore anything that is not one of theirs', () => {
    const forged = (v: unknown) =>
      `mlflow-gate-flash=${Buffer.from(JSON.stringify(v)).toString('base64url')}`
    expect(readFlash(undefined)).toBeUndefined()
    expect(readFlash('mlflow-gate-flash=%%%')).toBeUndefined()
    expect(readFlash(forged({ kind: 'html', text: 'x' }))).toBeUndefined()
    expect(readFlash(forged({ kind: 'ok', text: 3 }))).toBeUndefined()
    expect(readFlash(forged({ kind: 'ok', text: 'y'.repeat(5000) }))?.text).toHaveLength(1000)
  })
})
