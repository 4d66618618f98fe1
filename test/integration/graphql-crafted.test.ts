/** Crafted GraphQL against the real MLflow: aliases, fragments, variables, operations, refusals, limits. */
import { describe, expect, it } from 'vitest'
import { modelNames, useGraphqlWorld } from '../harness/graphql-world.js'
import { send } from '../harness/http.js'

const { w, gateway, small, gql, ok, refused, expectNoLeak } = useGraphqlWorld()

describe('crafted queries', () => {
  const expQ = (id: string, alias = 'e') =>
    `${alias}: mlflowGetExperiment(input: {experimentId: "${id}"}) { experiment { name } }`

  it('aliases: one unreadable field among readable ones denies the request', async () => {
    refused(
      await gql('anonymous', { query: `{ ${expQ(w.pub, 'a')} ${expQ(w.priv, 'b')} }` }),
      403,
      'GW_PERMISSION_DENIED',
    )
    const both = ok(
      'anonymous',
      await gql('anonymous', { query: `{ ${expQ(w.pub, 'a')} ${expQ(w.pub, 'b')} }` }),
    )
    expect([both.a.experiment.name, both.b.experiment.name]).toEqual(['public-a', 'public-a'])
  })

  it('fragments, inline fragments, variables and @skip hide nothing from the decision', async () => {
    const hidden = [
      { query: `{ ...F } fragment F on Query { ${expQ(w.priv)} }` },
      { query: `{ ... on Query { ... @include(if: false) { ${expQ(w.priv)} } } }` },
      {
        query: `{ mlflowGetExperiment(input: {experimentId: "${w.priv}"}) @skip(if: true) { __typename } }`,
      },
      {
        query: `query($r: String!) { mlflowGetRun(input: {runUuid: $r}) { run { info { runName } } } }`,
        variables: { r: w.runPriv },
      },
      {
        query: `query($ids: [String] = ["${w.priv}"]) { mlflowSearchRuns(input: {experimentIds: $ids}) { runs { info { runName } } } }`,
      },
      // A single id where a list is expected is coerced to a list (graphql-core does the same).
      {
        query: `{ mlflowSearchRuns(input: {experimentIds: "${w.priv}"}) { runs { info { runName } } } }`,
      },
      // MLflow's store reads experiment ids with int(): " 2" is experiment 2, and is decided so.
      {
        query: `query($ids: [String]) { mlflowSearchRuns(input: {experimentIds: $ids}) { runs { info { runName } } } }`,
        variables: { ids: [` ${w.priv}`] },
      },
    ]
    for (const body of hidden) {
      refused(await gql('anonymous', body), 403, 'GW_PERMISSION_DENIED')
    }
  })

  it('the other root fields and the mutations are decided on what they name', async () => {
    const cases: [string, string, string][] = [
      ['query', `mlflowListArtifacts(input: {runId: "RUN"}) { files { path } }`, 'run'],
      [
        'mutation',
        `mlflowSearchRuns(input: {experimentIds: ["EXP"]}) { runs { info { runName } } }`,
        'exp',
      ],
      [
        'mutation',
        `mlflowSearchDatasets(input: {experimentIds: ["EXP"]}) { datasetSummaries { name } }`,
        'exp',
      ],
      [
        'query',
        `mlflowGetMetricHistoryBulkInterval(input: {runIds: ["RUN"], metricKey: "loss"}) { metrics { value } }`,
        'run',
      ],
    ]
    for (const [kind, field, what] of cases) {
      const q = (id: string) => ({ query: `${kind} { ${field.replace(/RUN|EXP/, id)} }` })
      ok('anonymous', await gql('anonymous', q(what === 'run' ? w.runPub : w.pub)))
      refused(
        await gql('anonymous', q(what === 'run' ? w.runPriv : w.priv)),
        403,
        'GW_PERMISSION_DENIED',
      )
    }
  })

  it('a run or experiment that does not exist is denied', async () => {
    refused(
      await gql('reader', {
        query: `{ mlflowGetRun(input: {runId: "0123456789abcdef"}) { __typename } }`,
      }),
      403,
      'GW_PERMISSION_DENIED',
    )
    refused(await gql('reader', { query: `{ ${expQ('987654')} }` }), 403, 'GW_PERMISSION_DENIED')
  })

  it('model versions are trimmed wherever they are reached: aliases, fragments, searches', async () => {
    const data = ok(
      'anonymous',
      await gql('anonymous', {
        query: `{
          r: mlflowGetRun(input: {runId: "${w.runPub}"}) { run { ...V } }
          s: mlflowSearchModelVersions(input: {maxResults: "100"}) { modelVersions { n: name runId } }
          mlflowSearchRuns(input: {experimentIds: ["${w.pub}"]}) { runs { ... on MlflowRunExtension { x: modelVersions { name } } } }
        }
        fragment V on MlflowRunExtension { mv: modelVersions { version ...N } }
        fragment N on MlflowModelVersion { name }`,
      }),
    )
    expect(modelNames(data.r.run.mv)).toEqual(['public-m'])
    expect(data.s.modelVersions.map((v: any) => v.n)).toEqual(['public-m', 'public-m'])
    expect(modelNames(data.mlflowSearchRuns.runs[0].x)).toEqual(['public-m'])
    const reader = ok(
      'reader',
      await gql('reader', {
        query: `{ mlflowSearchModelVersions(input: {}) { modelVersions { name } } }`,
      }),
    )
    expect(modelNames(reader.mlflowSearchModelVersions.modelVersions)).toEqual([
      'public-m',
      'public-m',
      'team-m',
      'team-m',
    ])
  })

  it('runs only the operation MLflow executes, and needs operationName to know which', async () => {
    const doc = `query Pub { ${expQ(w.pub)} } query Priv { ${expQ(w.priv)} }`
    const pub = ok('anonymous', await gql('anonymous', { query: doc, operationName: 'Pub' }))
    expect(pub.e.experiment.name).toBe('public-a')
    refused(
      await gql('anonymous', { query: doc, operationName: 'Priv' }),
      403,
      'GW_PERMISSION_DENIED',
    )
    refused(await gql('anonymous', { query: doc }), 400, 'GW_BAD_REQUEST')
  })

  it('introspection and the echo fields are answered (MLflow publishes its schema)', async () => {
    const data = ok(
      'anonymous',
      await gql('anonymous', {
        query: '{ __schema { queryType { name } } test(inputString: "hi") { output } }',
      }),
    )
    expect(data).toEqual({ __schema: { queryType: { name: 'Query' } }, test: { output: 'hi' } })
  })

  it('refuses what it cannot analyse with 400, before MLflow', async () => {
    const bad: (object | string)[] = [
      '[{"query": "{ __typename }"}]', // batched: MLflow answers 500 HTML to a list
      '"{\\"query\\": \\"{ __typename }\\"}"', // a JSON string (MLflow would not decode it twice here)
      {},
      { query: '{ mlflowGetRun(' },
      { query: '{ mlflowDeleteExperiment { x } }' },
      { query: `{ mlflowGetExperiment(input: {experimentId: "\\u0031"}) { __typename } }` },
      {
        query: `{ mlflowGetRun(input: {runId: "${w.runPub}"}) { run { modelVersions { version } } } }`,
      },
      { query: '{ __typename }', variables: 'x' },
      { query: 'subscription { test { output } }' },
    ]
    for (const body of bad) refused(await gql('anonymous', body), 400, 'GW_BAD_REQUEST')
  })

  it('GET /graphql is never forwarded (MLflow reads only a JSON body, which GET cannot carry here)', async () => {
    for (const role of ['anonymous', 'admin'] as const) {
      const res = await send(
        `${gateway().url}/graphql?query=${encodeURIComponent('{ __typename }')}`,
        {
          auth: role === 'admin',
        },
      )
      expect(res.status).toBe(403)
      expect(JSON.parse(res.body).error_code).toBe('PERMISSION_DENIED')
    }
  })

  it('an answer too large to filter in memory is refused, not passed on', async () => {
    const info = 'info { runId runUuid runName experimentId artifactUri userId lifecycleStage }'
    const big = `{ ${[1, 2, 3, 4, 5, 6, 7, 8]
      .map(
        (i) =>
          `r${i}: mlflowGetRun(input: {runId: "${w.runPub}"}) { run { ${info} modelVersions { name source } } }`,
      )
      .join(' ')} }`
    const a = await gql('anonymous', { query: big }, small())
    expect(a.status, a.body).toBe(502)
    expect(a.json.gateway_code).toBe('GW_ANSWER_TOO_LARGE')
    expectNoLeak('anonymous', a)
    // Without model versions nothing needs filtering: the same gateway streams it.
    const streamed = await gql(
      'anonymous',
      { query: big.replace(/modelVersions \{ name source \}/g, '') },
      small(),
    )
    ok('anonymous', streamed)
    expect(streamed.body.length).toBeGreaterThan(1024)
  })

  it('admins are forwarded untouched', async () => {
    const data = ok(
      'admin',
      await gql('admin', {
        query: `{ ${expQ(w.priv)} mlflowSearchModelVersions(input: {}) { modelVersions { version } } }`,
      }),
    )
    expect(data.e.experiment.name).toBe('private-b')
    expect(data.mlflowSearchModelVersions.modelVersions).toHaveLength(6)
  })

  it('audits the decision on what the query named', async () => {
    const a = await gql('anonymous', { query: `{ ${expQ(w.priv)} }` })
    const line = gateway().audit.find((e) => e.request_id === a.requestId)!
    expect(line.allow).toBe(false)
    expect(line.reasons[0]!.message).toContain('experiment ' + w.priv + " ('private-b')")
  })
})
