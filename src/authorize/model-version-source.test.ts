import { describe, expect, it } from 'vitest'
import { isWithin, readModelVersionSource } from './model-version-source.js'

const refs = (message: Record<string, unknown>) => {
  const r = readModelVersionSource(message)
  if ('refused' in r) throw new Error(`refused: ${r.refused}`)
  return r.refs
}
const refused = (message: Record<string, unknown>) => 'refused' in readModelVersionSource(message)

describe('readModelVersionSource', () => {
  it('a runs:/ source names its run, beside any run_id given', () => {
    expect(refs({ name: 'm', source: 'runs:/abc/model' })).toEqual({
      runs: ['abc'],
      loggedModels: [],
      registeredModels: [],
    })
    expect(refs({ name: 'm', source: 'runs:/abc/model', run_id: 'def' }).runs).toEqual([
      'def',
      'abc',
    ])
    expect(refs({ name: 'm', source: 'runs:/abc/model', runId: 'def' }).runs).toEqual([
      'def',
      'abc',
    ])
  })

  it('a models:/ source names a registered model, or a logged model by its id', () => {
    expect(refs({ source: 'models:/other/3' }).registeredModels).toEqual(['other'])
    expect(refs({ source: 'models:/other/Production' }).registeredModels).toEqual(['other'])
    expect(refs({ source: 'models:/other@champion' }).registeredModels).toEqual(['other'])
    expect(refs({ source: 'models:/m-123abc' }).loggedModels).toEqual(['m-123abc'])
    expect(refs({ source: 'MODELS:/m-1', model_id: 'm-1' }).loggedModels).toEqual(['m-1', 'm-1'])
  })

  it('a plain location must come with the run or logged model it lies in', () => {
    expect(refs({ source: 'mlflow-artifacts:/1/abc/artifacts/model', run_id: 'abc' })).toEqual({
      runs: ['abc'],
      loggedModels: [],
      registeredModels: [],
      location: 'mlflow-artifacts:/1/abc/artifacts/model',
    })
    expect(refused({ source: 'mlflow-artifacts:/1/abc/artifacts/model' })).toBe(true)
    expect(refused({ source: 's3://bucket/1/abc/artifacts/model', run_id: '' })).toBe(true)
    expect(refused({ source: '/etc' })).toBe(true)
  })

  it('refuses runs:/ and models:/ URIs MLflow would read elsewhere or not at all', () => {
    for (const source of [
      'runs://host/abc/model',
      'runs:abc/model',
      'runs:/',
      'models://profile/m/1',
      'runs:/abc;x/model',
      'models:/m?x=1',
    ]) {
      expect(refused({ source }), source).toBe(true)
    }
  })

  it('a prompt version with MLflow placeholder source names nothing; any other source is checked', () => {
    const prompt = (source: string, value = 'true') => ({
      name: 'p',
      source,
      tags: [{ key: 'mlflow.prompt.is_prompt', value }],
    })
    expect(refs(prompt('dummy-source'))).toEqual({
      runs: [],
      loggedModels: [],
      registeredModels: [],
    })
    expect(refs(prompt('prompt-template')).runs).toEqual([])
    expect(refs(prompt('runs:/abc/x')).runs).toEqual(['abc'])
    expect(refused(prompt('dummy-source', 'false'))).toBe(true)
    // The last value of a repeated tag wins, as in MLflow.
    expect(
      refused({
        source: 'dummy-source',
        tags: [
          { key: 'mlflow.prompt.is_prompt', value: 'TRUE' },
          { key: 'mlflow.prompt.is_prompt', value: 'no' },
        ],
      }),
    ).toBe(true)
  })

  it('refuses a message naming the run twice', () => {
    expect(() => readModelVersionSource({ source: 'runs:/a/m', run_id: 'a', runId: 'b' })).toThrow(
      /given twice/,
    )
  })
})

describe('isWithin', () => {
  const root = 'mlflow-artifacts:/1/abc/artifacts'
  it.each([
    ['mlflow-artifacts:/1/abc/artifacts/model', true],
    ['mlflow-artifacts:/1/abc/artifacts', true],
    ['mlflow-artifacts:///1/abc/artifacts/model', true],
    ['MLFLOW-ARTIFACTS:/1/abc/artifacts/model', true],
    ['mlflow-artifacts:/1/%61bc/artifacts/model', true],
    ['mlflow-artifacts:/1/abc/artifactsX/model', false],
    ['mlflow-artifacts:/1/abc', false],
    ['mlflow-artifacts:/1/abc/artifacts/../../def/artifacts', false],
    ['mlflow-artifacts:/1/abc/artifacts/%2e%2e/x', false],
    ['mlflow-artifacts:/1/abc/artifacts/%252e%252e/x', false],
    ['mlflow-artifacts:/1/abc/artifacts/a%2fb', false],
    ['mlflow-artifacts:/1/abc/artifacts/a\\..\\b', false],
    ['mlflow-artifacts:/1/abc/artifacts/m?x=../', false],
    ['mlflow-artifacts:/1/abc/artifacts/m#../', false],
    ['mlflow-artifacts:/1/abc/artifacts/m;../', false],
    ['http://host/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/m', false],
    ['s3://bucket/1/abc/artifacts/model', false],
  ])('%s inside %s: %s', (location, expected) => {
    expect(isWithin(location, root)).toBe(expected)
  })

  it('compares host and local paths', () => {
    expect(isWithin('s3://Bucket/x/1/r/artifacts/m', 's3://bucket/x/1/r/artifacts')).toBe(true)
    expect(isWithin('s3://other/x/1/r/artifacts/m', 's3://bucket/x/1/r/artifacts')).toBe(false)
    expect(isWithin('/srv/mlruns/1/r/artifacts/m', 'file:///srv/mlruns/1/r/artifacts')).toBe(true)
    expect(isWithin('file:///srv/mlruns/1/r2/artifacts', 'file:///srv/mlruns/1/r/artifacts')).toBe(
      false,
    )
  })
})
