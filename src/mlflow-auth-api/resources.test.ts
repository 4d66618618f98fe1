import { describe, expect, it } from 'vitest'
import { CATALOGUE } from '../classify/rows/index.js'
import { experimentRef, grantKey, modelRef, typedRef } from './resources.js'
import { AUTH_PATHS, AUTH_ROUTES, findRoute, pathsOf } from './routes.js'

describe('resource references', () => {
  it('store experiment ids as MLflow reads them, and refuse what is not an id', () => {
    expect(grantKey(experimentRef('7'))).toEqual({ resource: 'experiment-id', pattern: '7' })
    expect(grantKey(experimentRef('007'))).toEqual({ resource: 'experiment-id', pattern: '7' })
    expect(grantKey(experimentRef('0'))).toEqual({ resource: 'experiment-id', pattern: '0' })
    for (const bad of ['', 'abc', '-1', ' 1', '1.0', '*', '٣'])
      expect(() => experimentRef(bad)).toThrow(/is not an experiment id/)
  })

  it('never turn a model name into a pattern', () => {
    expect(grantKey(modelRef('fraud-v2'))).toEqual({
      resource: 'registered-model',
      pattern: 'fraud-v2',
    })
    for (const globby of ['*', 'a*', 'model?', 'x*y?']) {
      expect(() => modelRef(globby)).toThrow(/contains '\*' or '\?'/)
    }
    expect(() => modelRef('')).toThrow(/must not be empty/)
  })

  it('read resource_type and resource_id as MLflow 3.18.0 does, `*` meaning every resource', () => {
    expect(grantKey(typedRef('experiment', '*'))).toEqual({ resource: 'experiment', pattern: '*' })
    expect(grantKey(typedRef('registered_model', '*'))).toEqual({
      resource: 'registered-model',
      pattern: '*',
    })
    expect(grantKey(typedRef('experiment', '12'))).toEqual({
      resource: 'experiment-id',
      pattern: '12',
    })
    expect(() => typedRef('registered_model', 'm*')).toThrow(/contains/)
    expect(() => typedRef('workspace', '*')).toThrow(/'workspace' is not supported/)
    expect(() => typedRef('scorer', '1/x')).toThrow(/not supported by mlflow-gate/)
    expect(() => typedRef('bogus', '1')).toThrow(/Invalid resource type 'bogus'/)
  })
})

describe('auth routes', () => {
  it('are exact paths under both prefixes, none of them an MLflow route the catalogue forwards', () => {
    const catalogue = new Set(CATALOGUE.map((r) => r.path))
    for (const path of AUTH_PATHS) {
      expect(path).toMatch(/^\/(api|ajax-api)\/[23]\.0\/mlflow\/[a-z/-]+$/)
      expect(catalogue.has(path)).toBe(false)
    }
    for (const route of AUTH_ROUTES) {
      for (const path of pathsOf(route)) expect(findRoute(route.method, path)).toBe(route)
    }
    expect(AUTH_PATHS.size).toBe(2 * 17)
  })

  it('answer HEAD as GET and nothing for other methods', () => {
    const path = '/ajax-api/2.0/mlflow/users/current'
    expect(findRoute('HEAD', path)).toBe(findRoute('GET', path))
    expect(findRoute('POST', path)).toBeUndefined()
    expect(findRoute('GET', '/api/2.0/mlflow/users/current/')).toBeUndefined()
  })
})
