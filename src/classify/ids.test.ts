import { describe, expect, it } from 'vitest'
import { extractIds, fieldValues } from './ids.js'
import type { Row } from './row.js'
import { parseTarget } from './target.js'

const row = (resource: Row['resource']): Row => ({
  method: 'POST',
  path: '/x',
  action: 'update',
  body: 'json',
  source: 'test',
  ...(resource && { resource }),
})
const ctx = (message: Record<string, unknown>, raw = '/x', headers = {}, params = {}) => ({
  target: parseTarget(raw),
  params,
  message,
  headers,
})
const runAlias = row({
  kind: 'run',
  by: 'id',
  id: { in: 'message', field: 'run_id', alias: 'run_uuid' },
})

describe('extractIds', () => {
  it('reads snake_case or lowerCamelCase, as MLflow does', () => {
    expect(extractIds(runAlias, ctx({ run_id: 'r1' }))!.values).toEqual(['r1'])
    expect(extractIds(runAlias, ctx({ runId: 'r1' }))!.values).toEqual(['r1'])
  })

  it('reads only snake_case from a GET query, where MLflow ignores lowerCamelCase', () => {
    const list = row({
      kind: 'experiment',
      by: 'id',
      id: { in: 'message', field: 'experiment_ids', list: true },
    })
    const fromQuery = (message: Record<string, unknown>) => ({ ...ctx(message), fromQuery: true })
    expect(extractIds(list, fromQuery({ experiment_ids: '1' }))!.values).toEqual(['1'])
    expect(() => extractIds(list, fromQuery({ experimentIds: '1' }))).toThrow(/must name/)
    expect(
      extractIds(list, fromQuery({ experiment_ids: '1', experimentIds: '2' }))!.values,
    ).toEqual(['1'])
  })

  it('falls back to the alias the handler falls back to (run_id or run_uuid)', () => {
    expect(extractIds(runAlias, ctx({ run_uuid: 'r2' }))!.values).toEqual(['r2'])
    expect(extractIds(runAlias, ctx({ run_id: '', run_uuid: 'r2' }))!.values).toEqual(['r2'])
  })

  it.each([
    ['both spellings', { run_id: 'r1', runId: 'r2' }, /given twice/],
    ['run_id and run_uuid disagreeing', { run_id: 'r1', run_uuid: 'r2' }, /name different/],
    ['a number', { run_id: 12 }, /must be a string/],
    ['a list where one id is read', { run_id: ['r1'] }, /single value/],
    ['nothing', {}, /must name its run/],
  ])('refuses %s', (_name, message, error) => {
    expect(() => extractIds(runAlias, ctx(message))).toThrow(error)
  })

  it('collects every id of a list field, and through nested repeated messages', () => {
    const list = row({
      kind: 'experiment',
      by: 'id',
      id: { in: 'message', field: 'experiment_ids', list: true },
    })
    expect(extractIds(list, ctx({ experiment_ids: ['1', '2', '1'] }))!.values).toEqual(['1', '2'])
    expect(
      fieldValues(
        {
          locations: [
            { mlflow_experiment: { experiment_id: '3' } },
            { mlflowExperiment: { experimentId: '4' } },
          ],
        },
        'locations.mlflow_experiment.experiment_id',
        true,
      ),
    ).toEqual(['3', '4'])
  })

  it('reads path parameters, headers and query fields where the row says', () => {
    const path = row({ kind: 'trace', by: 'id', id: { in: 'path', param: 'trace_id' } })
    expect(extractIds(path, ctx({}, '/x', {}, { trace_id: 'tr-1' }))!.values).toEqual(['tr-1'])
    const header = row({
      kind: 'experiment',
      by: 'id',
      id: { in: 'header', name: 'X-Mlflow-Experiment-Id' },
    })
    expect(extractIds(header, ctx({}, '/x', { 'x-mlflow-experiment-id': '5' }))!.values).toEqual([
      '5',
    ])
    const query = row({
      kind: 'run',
      by: 'id',
      id: { in: 'query', field: 'run_id', alias: 'run_uuid' },
    })
    expect(extractIds(query, ctx({}, '/x?run_uuid=r9'))!.values).toEqual(['r9'])
    expect(() => extractIds(query, ctx({}, '/x?run_id=a&run_id=b'))).toThrow(/more than once/)
  })
})

describe('artifact paths', () => {
  const proxied = row({ kind: 'artifact', by: 'id', id: { in: 'artifact-path' } })
  const listed = row({ kind: 'artifact', by: 'id', id: { in: 'artifact-path', field: 'path' } })

  it('reads the path parameter whole: which experiment owns it is decided later', () => {
    const ids = extractIds(
      proxied,
      ctx({}, '/x', {}, { artifact_path: 'team/c/r1/artifacts/m.pkl' }),
    )
    expect(ids).toEqual({ kind: 'artifact', by: 'id', values: ['team/c/r1/artifacts/m.pkl'] })
  })

  it('reads the list route’s path from the message, and the root when there is none', () => {
    expect(extractIds(listed, ctx({ path: '1/r1/artifacts/' }))!.values).toEqual(['1/r1/artifacts'])
    expect(extractIds(listed, ctx({}))!.values).toEqual([''])
  })

  it.each(['../1/x', '1/../2', '1/./x', 'x\\1', '1//x', '/1/x', '1/%2e%2e', 'C:/x', 'file:1/x'])(
    'refuses %s',
    (path) => {
      expect(() => extractIds(listed, ctx({ path }))).toThrow(/refused/)
    },
  )
})
