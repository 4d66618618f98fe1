/** The GraphQL tests' world: public, private and team experiments with runs and model versions, behind two gateways. */
import { afterAll, beforeAll, expect } from 'vitest'
import { startTestGateway, type TestGateway } from './gateway.js'
import { send } from './http.js'
import { callMlflow, useMlflow } from './mlflow.js'
import { basic, USERS } from './users.js'

export type Role = 'anonymous' | 'reader' | 'admin'
export type Answer = { status: number; body: string; json: any; requestId: string }

/**
 * Experiments public-a, private-b and team-c with one run each (metric `loss`), and registered
 * models public-m, private-m and team-m with a version on the public run and one on the team run.
 * Anonymous may read `public-*`; the reader also team-c and `team-*` models.
 */
export function useGraphqlWorld() {
  const mlflow = useMlflow()
  const w = { pub: '', priv: '', team: '', runPub: '', runPriv: '', runTeam: '' }
  const gateways: { main?: TestGateway; small?: TestGateway } = {}
  let access: Record<string, unknown> = {}
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
    const metric = { run_id: runId, key: 'loss', value: 0.5, timestamp: 1, step: 0 }
    await post('/api/2.0/mlflow/runs/log-metric', metric)
    return [experiment_id, runId]
  }

  beforeAll(async () => {
    ;[w.pub, w.runPub] = await experimentWithRun('public-a')
    ;[w.priv, w.runPriv] = await experimentWithRun('private-b')
    ;[w.team, w.runTeam] = await experimentWithRun('team-c')
    for (const name of ['public-m', 'private-m', 'team-m']) {
      await post('/api/2.0/mlflow/registered-models/create', { name })
      for (const run of [w.runPub, w.runTeam]) {
        const version = { name, source: `runs:/${run}/model`, run_id: run }
        await post('/api/2.0/mlflow/model-versions/create', version)
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
    gateways.main = await startTestGateway(mlflow().url, { access })
    // A gateway that may hold only 1 KiB of a GraphQL answer in memory.
    gateways.small = await startTestGateway(mlflow().url, {
      access,
      limits: { max_graphql_response_bytes: 1024 },
    })
  })
  afterAll(async () => {
    await gateways.main?.close()
    await gateways.small?.close()
  })

  const gateway = () => gateways.main!

  /** POSTs a GraphQL body (an object, or raw text) to /graphql as `role`. */
  async function gql(role: Role, body: object | string, on = gateway()): Promise<Answer> {
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
    const requestId = String(res.headers['x-request-id'])
    return { status: res.status, body: res.body, json, requestId }
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

  /** 200 with GraphQL data and no errors, and no leak; returns the data. */
  function ok(role: Role, a: Answer): any {
    expect(a.status, a.body).toBe(200)
    expect(a.json.errors, a.body).toBeNull()
    expectNoLeak(role, a)
    return a.json.data
  }

  /** Refused by the gateway before MLflow saw it. */
  function refused(a: Answer, status: number, gatewayCode: string, gw = gateway()): void {
    expect(a.status, a.body).toBe(status)
    expect(a.json.gateway_code).toBe(gatewayCode)
    expect(a.json.error_code).toBe(status === 400 ? 'BAD_REQUEST' : 'PERMISSION_DENIED')
    const line = gw.audit.find((e) => e.request_id === a.requestId)
    expect(line?.upstream_status).toBeNull()
  }

  return {
    mlflow,
    w,
    gateway,
    small: () => gateways.small!,
    access: () => access,
    gql,
    ok,
    refused,
    expectNoLeak,
  }
}

export const modelNames = (versions: { name: string }[]) => versions.map((v) => v.name).sort()
