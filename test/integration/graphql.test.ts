/** GraphQL through the gateway against the real MLflow: each caller reads exactly what they may, nowhere more. */
import { execFile } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { buildSchema, lexicographicSortSchema, printSchema } from 'graphql'
import { stringify } from 'yaml'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MLFLOW_SCHEMA } from '../../src/filter/graphql/schema.js'
import { PROJECT_ROOT } from '../../src/mlflow/venv.js'
import { uiRequest } from '../fixtures/mlflow-ui-graphql.js'
import { startTestGateway, type TestGateway } from '../harness/gateway.js'
import { send } from '../harness/http.js'
import { callMlflow, useMlflow } from '../harness/mlflow.js'
import { runPython } from '../harness/python.js'
import { basic, USERS } from '../harness/users.js'

const mlflow = useMlflow()
let gateway: TestGateway
let small: TestGateway
let access: Record<string, unknown>

/** The world: experiments public-a, private-b, team-c, one run each, three registered models. */
const w = { pub: '', priv: '', team: '', runPub: '', runPriv: '', runTeam: '' }
type Role = 'anonymous' | 'reader' | 'admin'

const post = <T>(path: string, body: object) => callMlflow<T>(mlflow(), path, body)

async function experimentWithRun(name: string): Promise<[string, string]> {
  const { experiment_id } = await post<{ experiment_id: string }>(
    '/api/2.0/mlflow/experiments/create',
    { name },
  )
  const run = await post<{ run: { info: { run_id: string } } }>('/api/2.0/mlflow/runs/create', {
    experiment_id,
  })
  const runId = run.run.info.run_id
  await post('/api/2.0/mlflow/runs/log-metric', {
    run_id: runId,
    key: 'loss',
    value: 0.5,
    timestamp: 1,
    step: 0,
  })
  return [experiment_id, runId]
}

beforeAll(async () => {
  ;[w.pub, w.runPub] = await experimentWithRun('public-a')
  ;[w.priv, w.runPriv] = await experimentWithRun('private-b')
  ;[w.team, w.runTeam] = await experimentWithRun('team-c')
  for (const name of ['public-m', 'private-m', 'team-m']) {
    await post('/api/2.0/mlflow/registered-models/create', { name })
    for (const run of [w.runPub, w.runTeam]) {
      await post('/api/2.0/mlflow/model-versions/create', {
        name,
        source: `runs:/${run}/model`,
        run_id: run,
      })
    }
  }
  access = {
    anonymous: true,
    users: [
      { name: 'admin', password_hash: USERS.admin.hash, admin: true },
      { name: 'reader', password_hash: USERS.reader.hash },
    ],
    grants: [
      {
        to: 'anonymous',
        experiments: ['public-*'],
        registered_models: ['public-*'],
        permission: 'READ',
      },
      {
        to: 'user:reader',
        experiment_ids: [w.team],
        registered_models: ['team-*'],
        permission: 'READ',
      },
    ],
  }
  gateway = await startTestGateway(mlflow().url, { access })
  small = await startTestGateway(mlflow().url, {
    access,
    limits: { max_graphql_response_bytes: 1024 },
  })
})
afterAll(async () => {
  await gateway?.close()
  await small?.close()
})

type Answer = { status: number; body: string; json: any; requestId: string }

/** POSTs a GraphQL body (an object, or raw text) to /graphql as `role`. */
async function gql(role: Role, body: object | string, on = gateway): Promise<Answer> {
  const res = await send(`${on.url}/graphql`, {
    method: 'POST',
    auth: false,
    headers: {
      'content-type': 'application/json',
      ...(role !== 'anonymous' && { authorization: basic(role) }),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  let json: unknown
  try {
    json = JSON.parse(res.body)
  } catch {
    json = undefined
  }
  return {
    status: res.status,
    body: res.body,
    json,
    requestId: String(res.headers['x-request-id']),
  }
}

/** Nothing the role may not read appears anywhere in the answer. */
function expectNoLeak(role: Role, a: Answer): void {
  // Run ids are not hidden when a readable model version names its run: MLflow's REST answer for
  // that version carries the same id, and the run itself stays unreadable.
  const hidden =
    role === 'anonymous'
      ? ['private-', 'team-', w.runPriv]
      : role === 'reader'
        ? ['private-', w.runPriv]
        : []
  for (const s of hidden) expect(a.body, `${role} must not see ${s}`).not.toContain(s)
}

/** 200 with GraphQL data and no errors, and no leak. */
function ok(role: Role, a: Answer): any {
  expect(a.status, a.body).toBe(200)
  expect(a.json.errors, a.body).toBeNull()
  expectNoLeak(role, a)
  return a.json.data
}

/** Refused by the gateway before MLflow saw it. */
function refused(a: Answer, status: number, gatewayCode: string, gw = gateway): void {
  expect(a.status, a.body).toBe(status)
  expect(a.json.gateway_code).toBe(gatewayCode)
  expect(a.json.error_code).toBe(status === 400 ? 'BAD_REQUEST' : 'PERMISSION_DENIED')
  const line = gw.audit.find((e) => e.request_id === a.requestId)
  expect(line?.upstream_status).toBeNull()
}

const modelNames = (versions: { name: string }[]) => versions.map((v) => v.name).sort()

describe('the schema the gateway validates against', () => {
  it("is exactly the installed MLflow's", async () => {
    const sdl = await runPython<string>('print_graphql_schema.py', [], {})
    const print = (s: ReturnType<typeof buildSchema>) => printSchema(lexicographicSortSchema(s))
    const withoutDescriptions = sdl.replace(/"""[^]*?"""\s*/g, '')
    expect(print(MLFLOW_SCHEMA)).toBe(print(buildSchema(withoutDescriptions)))
  })
})

describe("the MLflow UI's own queries", () => {
  it('experiment page: readable experiments load, others are 403 before MLflow', async () => {
    for (const role of ['anonymous', 'reader', 'admin'] as const) {
      const a = await gql(
        role,
        uiRequest('MlflowGetExperimentQuery', { input: { experimentId: w.pub } }),
      )
      expect(ok(role, a).mlflowGetExperiment.experiment.name).toBe('public-a')
    }
    refused(
      await gql(
        'anonymous',
        uiRequest('MlflowGetExperimentQuery', { input: { experimentId: w.priv } }),
      ),
      403,
      'GW_PERMISSION_DENIED',
    )
    refused(
      await gql(
        'reader',
        uiRequest('MlflowGetExperimentQuery', { input: { experimentId: w.priv } }),
      ),
      403,
      'GW_PERMISSION_DENIED',
    )
    const team = await gql(
      'reader',
      uiRequest('MlflowGetExperimentQuery', { input: { experimentId: w.team } }),
    )
    expect(ok('reader', team).mlflowGetExperiment.experiment.name).toBe('team-c')
  })

  it('run page: the run, its experiment, and only the model versions the caller may read', async () => {
    const anon = ok(
      'anonymous',
      await gql('anonymous', uiRequest('GetRun', { data: { runId: w.runPub } })),
    )
    expect(anon.mlflowGetRun.run.experiment.name).toBe('public-a')
    expect(anon.mlflowGetRun.run.data.metrics[0].key).toBe('loss')
    expect(modelNames(anon.mlflowGetRun.run.modelVersions)).toEqual(['public-m'])

    const reader = ok(
      'reader',
      await gql('reader', uiRequest('GetRun', { data: { runId: w.runTeam } })),
    )
    expect(modelNames(reader.mlflowGetRun.run.modelVersions)).toEqual(['public-m', 'team-m'])

    const admin = ok(
      'admin',
      await gql('admin', uiRequest('GetRun', { data: { runId: w.runPub } })),
    )
    expect(modelNames(admin.mlflowGetRun.run.modelVersions)).toEqual([
      'private-m',
      'public-m',
      'team-m',
    ])

    refused(
      await gql('anonymous', uiRequest('GetRun', { data: { runId: w.runPriv } })),
      403,
      'GW_PERMISSION_DENIED',
    )
    refused(
      await gql('anonymous', uiRequest('GetRun', { data: { runId: w.runTeam } })),
      403,
      'GW_PERMISSION_DENIED',
    )
    refused(
      await gql('reader', uiRequest('GetRun', { data: { runId: w.runPriv } })),
      403,
      'GW_PERMISSION_DENIED',
    )
  })

  it('runs table: searches over readable experiments only, model versions trimmed', async () => {
    const search = (ids: string[]) =>
      uiRequest('SearchRuns', { data: { experimentIds: ids, maxResults: 100 } })
    const anon = ok('anonymous', await gql('anonymous', search([w.pub])))
    expect(anon.mlflowSearchRuns.runs.map((r: any) => r.info.runUuid)).toEqual([w.runPub])
    expect(modelNames(anon.mlflowSearchRuns.runs[0].modelVersions)).toEqual(['public-m'])

    const reader = ok('reader', await gql('reader', search([w.pub, w.team])))
    expect(reader.mlflowSearchRuns.runs).toHaveLength(2)
    for (const run of reader.mlflowSearchRuns.runs)
      expect(modelNames(run.modelVersions)).toEqual(['public-m', 'team-m'])

    refused(await gql('anonymous', search([w.pub, w.priv])), 403, 'GW_PERMISSION_DENIED')
    refused(await gql('reader', search([w.team, w.priv])), 403, 'GW_PERMISSION_DENIED')
    const admin = ok('admin', await gql('admin', search([w.pub, w.priv, w.team])))
    expect(admin.mlflowSearchRuns.runs).toHaveLength(3)
  })

  it('charts: metric histories of readable runs only', async () => {
    const bulk = (runIds: string[]) =>
      uiRequest('GetMetricHistoryBulkInterval', { data: { runIds, metricKey: 'loss' } })
    const anon = ok('anonymous', await gql('anonymous', bulk([w.runPub])))
    expect(anon.mlflowGetMetricHistoryBulkInterval.metrics.map((m: any) => m.runId)).toEqual([
      w.runPub,
    ])
    refused(await gql('anonymous', bulk([w.runPub, w.runPriv])), 403, 'GW_PERMISSION_DENIED')
    const reader = ok('reader', await gql('reader', bulk([w.runPub, w.runTeam])))
    expect(reader.mlflowGetMetricHistoryBulkInterval.metrics).toHaveLength(2)
  })
})

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
        `${gateway.url}/graphql?query=${encodeURIComponent('{ __typename }')}`,
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
    const a = await gql('anonymous', { query: big }, small)
    expect(a.status, a.body).toBe(502)
    expect(a.json.gateway_code).toBe('GW_ANSWER_TOO_LARGE')
    expectNoLeak('anonymous', a)
    // Without model versions nothing needs filtering: the same gateway streams it.
    const streamed = await gql(
      'anonymous',
      { query: big.replace(/modelVersions \{ name source \}/g, '') },
      small,
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
    const line = gateway.audit.find((e) => e.request_id === a.requestId)!
    expect(line.allow).toBe(false)
    expect(line.reasons[0]!.message).toContain('experiment ' + w.priv + " ('private-b')")
  })
})

describe('mlflow-gate explain', () => {
  it('decides a GraphQL query on what it names, as serve does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlflow-gate-graphql-'))
    const config = join(dir, 'gate.yaml')
    writeFileSync(
      config,
      stringify({ upstream: { url: mlflow().url }, storage: { url: 'sqlite::memory:' }, access }),
    )
    const explain = async (runId: string) => {
      const body = JSON.stringify({
        query: `{ mlflowGetRun(input: {runId: "${runId}"}) { run { info { runName } } } }`,
      })
      const args = [`${PROJECT_ROOT}dist/main.js`, 'explain', '-c', config, 'POST', '/graphql']
      try {
        return (await promisify(execFile)(process.execPath, [...args, '--body', body])).stdout
      } catch (err) {
        return (err as { stdout: string }).stdout
      }
    }
    expect(await explain(w.runPub)).toMatch(/^ALLOW[^]*READ on experiment \d+ \('public-a'\)/)
    expect(await explain(w.runPriv)).toMatch(
      /^DENY[^]*needs READ on experiment \d+ \('private-b'\)/,
    )
  })
})
