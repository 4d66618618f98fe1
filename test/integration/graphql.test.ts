/** GraphQL through the gateway against the real MLflow: the UI's own queries, the schema copy, explain. */
import { execFile } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { buildSchema, lexicographicSortSchema, printSchema } from 'graphql'
import { stringify } from 'yaml'
import { describe, expect, it } from 'vitest'
import { MLFLOW_SCHEMA } from '../../src/filter/graphql/schema.js'
import { PROJECT_ROOT } from '../../src/mlflow/venv.js'
import { uiRequest } from '../fixtures/mlflow-ui-graphql.js'
import { modelNames, useGraphqlWorld } from '../harness/graphql-world.js'
import { runPython } from '../harness/python.js'

const { mlflow, w, gql, ok, refused, access } = useGraphqlWorld()

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

describe('mlflow-gate explain', () => {
  it('decides a GraphQL query on what it names, as serve does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlflow-gate-graphql-'))
    const config = join(dir, 'gate.yaml')
    writeFileSync(
      config,
      stringify({
        upstream: { url: mlflow().url },
        storage: { url: 'sqlite::memory:' },
        access: access(),
      }),
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
