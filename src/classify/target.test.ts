import { describe, expect, it } from 'vitest'
import { parseTarget } from './target.js'

describe('parseTarget', () => {
  it('decodes the path and query as MLflow will', () => {
    const t = parseTarget('/api/2.0/mlflow/experiments/get-by-name?experiment_name=my+exp%2Fa&x=1')
    expect(t.path).toBe('/api/2.0/mlflow/experiments/get-by-name')
    expect(t.query).toEqual([
      ['experiment_name', 'my exp/a'],
      ['x', '1'],
    ])
  })

  it('keeps encoded characters that cannot change routing', () => {
    expect(parseTarget('/get-artifact/a%20b').path).toBe('/get-artifact/a b')
    expect(parseTarget('/get-artifact/a%3Bb%3Fc').path).toBe('/get-artifact/a;b?c')
    expect(parseTarget('/').path).toBe('/')
    expect(parseTarget('/static-files/').path).toBe('/static-files/')
  })

  it.each([
    ['encoded slash', '/api/2.0/mlflow%2Fexperiments%2Fcreate'],
    ['encoded slash, lower case', '/api/2.0/mlflow%2fexperiments%2fcreate'],
    ['encoded dot', '/api/2.0/mlflow/%2e%2e/graphql'],
    ['double encoding', '/api/2.0/mlflow/experiments%252Fcreate'],
    ['encoded backslash', '/api/2.0/mlflow%5Cexperiments'],
    ['encoded NUL', '/api/2.0/mlflow/experiments/get%00'],
    ['dot segment', '/api/2.0/mlflow/../mlflow/experiments/create'],
    ['single dot segment', '/api/2.0/./mlflow/experiments/create'],
    ['empty segment', '/api/2.0//mlflow/experiments/create'],
    ['backslash', '/api/2.0/mlflow\\experiments/create'],
    ['matrix parameter', '/api/2.0/mlflow/experiments/create;x=1'],
    ['fragment', '/api/2.0/mlflow/experiments/get#x'],
    ['absolute form', 'http://evil.example/api/2.0/mlflow/experiments/get'],
    ['asterisk form', '*'],
    ['control byte', '/api/2.0/mlflow/experiments/get\x01'],
    ['non-ASCII byte', '/api/2.0/mlflow/experiments/g\xe9t'],
    ['invalid percent-encoding', '/api/2.0/mlflow/experiments/get%zz'],
    ['invalid query encoding', '/api/2.0/mlflow/experiments/get?experiment_id=%E0%A4%A'],
  ])('refuses %s', (_name, raw) => {
    expect(() => parseTarget(raw)).toThrow(/request target refused/)
  })
})
