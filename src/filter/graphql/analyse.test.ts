import { describe, expect, it } from 'vitest'
import { uiRequest } from '../../../test/fixtures/mlflow-ui-graphql.js'
import { GatewayError } from '../../server/errors.js'
import { analyse } from './analyse.js'
import type { Plan } from './plan.js'

const q = (query: string, variables?: unknown, operationName?: unknown) =>
  analyse({ query, variables, operationName })

/** The plan as nested plain objects, `#name` listing a guarded object's name keys. */
function shape(plan: Plan | undefined): unknown {
  if (!plan) return undefined
  const out: Record<string, unknown> = {}
  if (plan.nameKeys) out['#name'] = [...plan.nameKeys].sort()
  for (const [k, child] of plan.children) out[k] = shape(child)
  return out
}

function refused(run: () => unknown): string {
  try {
    run()
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayError)
    expect((err as GatewayError).status).toBe(400)
    return (err as GatewayError).message
  }
  throw new Error('expected a 400')
}

describe('analyse: the MLflow UI queries', () => {
  it('MlflowGetExperimentQuery names its experiment and holds no model versions', () => {
    const a = analyse(uiRequest('MlflowGetExperimentQuery', { input: { experimentId: '7' } }))
    expect(a.named).toEqual([{ kind: 'experiment', id: '7' }])
    expect(a.plan).toBeUndefined()
  })

  it("GetRun names its run and finds the run's model versions", () => {
    const a = analyse(uiRequest('GetRun', { data: { runId: 'r1' } }))
    expect(a.named).toEqual([{ kind: 'run', id: 'r1' }])
    expect(shape(a.plan)).toEqual({
      mlflowGetRun: { run: { modelVersions: { '#name': ['name'] } } },
    })
  })

  it('SearchRuns names every experiment searched', () => {
    const a = analyse(
      uiRequest('SearchRuns', { data: { experimentIds: ['1', '2'], maxResults: 5 } }),
    )
    expect(a.named).toEqual([
      { kind: 'experiment', id: '1' },
      { kind: 'experiment', id: '2' },
    ])
    expect(shape(a.plan)).toEqual({
      mlflowSearchRuns: { runs: { modelVersions: { '#name': ['name'] } } },
    })
  })

  it('GetMetricHistoryBulkInterval names every run', () => {
    const a = analyse(
      uiRequest('GetMetricHistoryBulkInterval', {
        data: { runIds: ['a', 'b', 'a'], metricKey: 'loss' },
      }),
    )
    expect(a.named).toEqual([
      { kind: 'run', id: 'a' },
      { kind: 'run', id: 'b' },
    ])
  })
})

describe('analyse: what a crafted query names', () => {
  it('reads aliases, fragments, inline fragments and variables in input literals', () => {
    const a = q(
      `query Q($id: String, $x: String = "9") {
        one: mlflowGetExperiment(input: {experimentId: $id}) { experiment { name } }
        ... on Query { two: mlflowGetExperiment(input: {experimentId: $x}) { __typename } }
        ...F
      }
      fragment F on Query { mlflowGetRun(input: {runId: "r", runUuid: "u"}) { run { info { runId } } } }`,
      { id: '3' },
    )
    expect(a.named).toEqual([
      { kind: 'experiment', id: '3' },
      { kind: 'experiment', id: '9' },
      { kind: 'run', id: 'r' },
      { kind: 'run', id: 'u' },
    ])
  })

  it('coerces a single id where a list is expected, as graphql-core does', () => {
    const a = q(`{ mlflowSearchRuns(input: {experimentIds: "4"}) { runs { info { runId } } } }`)
    expect(a.named).toEqual([{ kind: 'experiment', id: '4' }])
  })

  it('decides fields under @skip too', () => {
    const a = q(
      `{ mlflowGetExperiment(input: {experimentId: "5"}) @skip(if: true) { experiment { name } } }`,
    )
    expect(a.named).toEqual([{ kind: 'experiment', id: '5' }])
  })

  it('reads only the operation MLflow executes', () => {
    const doc = `query A { mlflowGetExperiment(input: {experimentId: "1"}) { __typename } }
      query B { mlflowGetExperiment(input: {experimentId: "2"}) { __typename } }`
    expect(q(doc, undefined, 'B').named).toEqual([{ kind: 'experiment', id: '2' }])
    expect(refused(() => q(doc))).toMatch(/operationName/)
    expect(refused(() => q(doc, undefined, 'C'))).toMatch(/no operation named 'C'/)
  })

  it('reads the mutations (searches)', () => {
    const a = q(`mutation {
      mlflowSearchDatasets(input: {experimentIds: ["1"]}) { datasetSummaries { name } }
      mlflowSearchRuns(input: {experimentIds: ["2"]}) { runs { info { runId } } }
      testMutation(inputString: "x") { output }
    }`)
    expect(a.named.map((n) => n.id)).toEqual(['1', '2'])
  })

  it('names nothing for absent, null and empty ids, introspection and test', () => {
    const a = q(
      `query($n: String) {
        __typename
        __schema { queryType { name } }
        test(inputString: "x") { output }
        a: mlflowGetExperiment { __typename }
        b: mlflowGetRun(input: {runId: $n, runUuid: ""}) { __typename }
        c: mlflowSearchRuns(input: {}) { __typename }
        d: mlflowGetMetricHistoryBulkInterval(input: {runIds: [null, ""]}) { __typename }
      }`,
      { n: null },
    )
    expect(a.named).toEqual([])
    expect(a.plan).toBeUndefined()
  })

  it('finds model versions however they are reached', () => {
    const a = q(`{
      mlflowSearchModelVersions(input: {}) { modelVersions { version n: name } }
      r: mlflowGetRun(input: {runId: "r"}) { run { ...V } }
    }
    fragment V on MlflowRunExtension { mv: modelVersions { ... on MlflowModelVersion { name } } }`)
    expect(shape(a.plan)).toEqual({
      mlflowSearchModelVersions: { modelVersions: { '#name': ['n'] } },
      r: { run: { mv: { '#name': ['name'] } } },
    })
  })
})

describe('analyse: refusals', () => {
  it.each([
    ['no query', { variables: {} }, /"query" string/],
    ['a query that is not a string', { query: ['{ test { output } }'] }, /"query" string/],
    ['variables that are not an object', { query: '{ __typename }', variables: [1] }, /variables/],
    [
      'an operationName that is not a string',
      { query: '{ __typename }', operationName: 1 },
      /operationName/,
    ],
    ['a parse error', { query: '{ mlflowGetRun(' }, /does not parse/],
    ['an unknown field', { query: '{ mlflowDeleteRun { x } }' }, /not valid for MLflow/],
    ['a subscription', { query: 'subscription { test { output } }' }, /not served by MLflow/],
    ['an unknown directive', { query: '{ test @secret { output } }' }, /not valid for MLflow/],
    [
      'an unused fragment',
      { query: '{ __typename } fragment F on Query { __typename }' },
      /not valid/,
    ],
    [
      'a variable of the wrong type',
      {
        query:
          'query($id: String) { mlflowGetExperiment(input: {experimentId: $id}) { __typename } }',
        variables: { id: 7 },
      },
      /bad variables/,
    ],
    [
      'an escaped string literal',
      { query: '{ mlflowGetExperiment(input: {experimentId: "\\u0031"}) { __typename } }' },
      /escapes/,
    ],
    [
      'a block string literal',
      { query: '{ mlflowGetExperiment(input: {experimentId: """1"""}) { __typename } }' },
      /block strings/,
    ],
    [
      'model versions without their name',
      { query: '{ mlflowGetRun(input: {runId: "r"}) { run { modelVersions { version } } } }' },
      /select `name`/,
    ],
    ['too many tokens', { query: `{ ${'__typename '.repeat(6000)} }` }, /does not parse/],
  ])('%s', (_, message, why) => {
    expect(refused(() => analyse(message))).toMatch(why)
  })

  it('decides each request on its own variables when the query text is remembered', () => {
    const text =
      'query($id: String) { mlflowGetExperiment(input: {experimentId: $id}) { __typename } }'
    expect(q(text, { id: '1' }).named).toEqual([{ kind: 'experiment', id: '1' }])
    expect(q(text, { id: '2' }).named).toEqual([{ kind: 'experiment', id: '2' }])
    expect(refused(() => q(text, { id: 3 }))).toMatch(/bad variables/)
    for (let i = 0; i < 2; i++) expect(refused(() => q('{ nope }'))).toMatch(/not valid/)
  })

  it('stops a fragment bomb within its budget', () => {
    const aliases = (n: number, body: string) =>
      Array.from({ length: n }, (_, i) => `x${i}: ${body}`).join(' ')
    const query = `{ ${aliases(30, 'mlflowGetRun(input: {runId: "r"}) { ...R }')} }
      fragment R on MlflowGetRunResponse { ${aliases(30, 'run { ...E }')} }
      fragment E on MlflowRunExtension { ${aliases(30, 'experiment { ...T }')} }
      fragment T on MlflowExperiment { ${aliases(30, 'tags { key }')} }`
    expect(refused(() => q(query))).toMatch(/too many selections/)
  })
})
