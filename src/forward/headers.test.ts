import { describe, expect, it } from 'vitest'
import { toClientHeaders, toDownloadHeaders, toUpstreamHeaders } from './headers.js'

const via = {
  clientAddress: '10.1.2.3',
  requestHost: 'gate.example.com',
  proto: 'http' as const,
  upstreamHost: '127.0.0.1:5000',
}

describe('toUpstreamHeaders', () => {
  it('drops hop-by-hop headers and those the client names in Connection (RFC 9110 7.6.1)', () => {
    const out = toUpstreamHeaders(
      {
        connection: 'keep-alive, X-Custom, x-forwarded-for',
        'keep-alive': 'timeout=5',
        'transfer-encoding': 'chunked',
        te: 'trailers',
        upgrade: 'websocket',
        expect: '100-continue',
        'x-custom': 'secret-hop',
        'content-type': 'application/json',
      },
      via,
    )
    expect(out).toEqual({
      'content-type': 'application/json',
      host: '127.0.0.1:5000',
      'x-forwarded-for': '10.1.2.3',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'gate.example.com',
    })
  })

  it('never passes client credentials or client-written forwarding headers', () => {
    const out = toUpstreamHeaders(
      {
        authorization: 'Basic YWxpY2U6cHc=',
        cookie: 'mlflow_gate_session=abc',
        'x-forwarded-for': '1.1.1.1',
        'x-forwarded-host': 'evil.example',
        forwarded: 'for=1.1.1.1',
        'x-real-ip': '1.1.1.1',
        'remote-user': 'admin',
        'x-forwarded-user': 'admin',
        'x-auth-request-email': 'admin@example.com',
        'x-mlflow-workspace': 'other-team',
        host: 'evil.example',
        accept: 'application/json',
      },
      via,
    )
    expect(out.authorization).toBeUndefined()
    expect(out.cookie).toBeUndefined()
    expect(out.forwarded).toBeUndefined()
    expect(out['x-real-ip']).toBeUndefined()
    for (const h of [
      'remote-user',
      'x-forwarded-user',
      'x-auth-request-email',
      'x-mlflow-workspace',
    ]) {
      expect(out[h], h).toBeUndefined()
    }
    expect(out['x-forwarded-for']).toBe('10.1.2.3')
    expect(out['x-forwarded-host']).toBe('gate.example.com')
    expect(out.host).toBe('127.0.0.1:5000')
    expect(out.accept).toBe('application/json')
  })
})

describe('toClientHeaders', () => {
  it('drops hop-by-hop and Connection-listed response headers, keeps the rest', () => {
    const out = toClientHeaders({
      connection: 'close, x-internal',
      'x-internal': '1',
      'transfer-encoding': 'chunked',
      'content-type': 'text/plain',
      'set-cookie': ['a=1', 'b=2'],
    })
    expect(out).toEqual({ 'content-type': 'text/plain', 'set-cookie': ['a=1', 'b=2'] })
  })
})

describe('toDownloadHeaders', () => {
  const SAFE = {
    'x-content-type-options': 'nosniff',
    'content-security-policy': "sandbox; default-src 'none'",
  }

  it.each([
    ['text/html', 'attachment; filename=evil.html'],
    ['text/html; charset=utf-8', 'inline; filename=evil.html'],
    ['image/svg+xml', 'inline; filename="a.svg"'],
    ['application/xhtml+xml', undefined],
    ['text/xml', undefined],
    ['application/rss+xml', undefined],
    ['TEXT/JavaScript', undefined],
    ['application/ecmascript', undefined],
    ['', undefined],
  ])('forces an attachment for %s (was %s), keeping the filename', (type, disposition) => {
    const out = toDownloadHeaders({
      ...(type && { 'content-type': type }),
      ...(disposition && { 'content-disposition': disposition }),
    })
    expect(out).toMatchObject(SAFE)
    const params = disposition?.includes(';') ? disposition.slice(disposition.indexOf(';')) : ''
    expect(out['content-disposition']).toBe(`attachment${params}`)
  })

  it.each(['image/png', 'application/json', 'text/plain', 'text/csv', 'application/octet-stream'])(
    'leaves %s as MLflow sent it (the UI shows it), only adding nosniff and the sandbox',
    (type) => {
      const given = { 'content-type': type, 'content-disposition': 'inline', 'content-length': '3' }
      expect(toDownloadHeaders(given)).toEqual({ ...given, ...SAFE })
    },
  )

  it('overrides what MLflow says about sniffing and policy', () => {
    const out = toDownloadHeaders({
      'content-type': 'image/png',
      'x-content-type-options': 'sniff',
      'content-security-policy': 'default-src *',
    })
    expect(out).toMatchObject(SAFE)
  })
})
