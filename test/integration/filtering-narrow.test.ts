/**
 * An experiment search asks MLflow for just the caller's readable experiments
 * (`experiment_id IN (...)` added to the caller's filter; name patterns listed first with
 * `name ILIKE`), against the real MLflow 3.18.0; MLflow 2.22.5 refuses the clause and is then
 * searched without it, once. A pass-through in front of MLflow records what reached it. Every
 * answer is still decided item by item, so a deny grant gives exactly what it gave before, and a
 * `*` grant searches as the caller asked.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MlflowServer } from '../../src/mlflow/server-process.js'
import { ensureMlflowVenv, MLFLOW_2X } from '../../src/mlflow/venv.js'
import { createExperiment } from '../harness/artifacts.js'
import { startTestGateway, type TestGateway } from '../harness/gateway.js'
import { useMlflow } from '../harness/mlflow.js'
import { basic, USERS } from '../harness/users.js'

beforeAll(() => ensureMlflowVenv({ other: MLFLOW_2X, quiet: true }), 600_000)

const servers = {
  '3.18.0': useMlflow({ startTimeoutMs: 240_000 }),
  [MLFLOW_2X.version]: useMlflow({
    startTimeoutMs: 240_000,
    bin: `${MLFLOW_2X.venv}/bin/mlflow`,
  }),
}

/** Forwards to MLflow and keeps the filter of every experiment search that reached it. */
async function recordingPassThrough(
  mlflow: MlflowServer,
): Promise<{ url: string; filters: string[]; close(): Promise<void> }> {
  const filters: string[] = []
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const body = Buffer.concat(chunks)
    if (req.url?.includes('experiments/search'))
      filters.push(String(JSON.parse(body.toString() || '{}').filter ?? ''))
    const answer = await fetch(`${mlflow.url}${req.url}`, {
      method: req.method!,
      headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
      ...(body.length > 0 && { body }),
    })
    const text = Buffer.from(await answer.arrayBuffer())
    res.writeHead(answer.status, { 'content-type': 'application/json' })
    res.end(text)
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    filters,
    close: () => new Promise((done) => server.close(() => done())),
  }
}

type Found = { names: string[]; token?: string; status: number }

describe.each(Object.keys(servers))('experiment searches on MLflow %s', (version) => {
  let gateway: TestGateway
  let pass: Awaited<ReturnType<typeof recordingPassThrough>>
  const ids: Record<string, string> = {}

  beforeAll(async () => {
    const mlflow = servers[version as keyof typeof servers]()
    for (let i = 0; i < 12; i++) ids[`n-${i}`] = await createExperiment(mlflow, `n-${i}`)
    pass = await recordingPassThrough(mlflow)
    gateway = await startTestGateway(pass.url, {
      access: {
        users: [
          { name: 'reader', password_hash: USERS.reader.hash },
          { name: 'editor', password_hash: USERS.editor.hash },
          { name: 'guest', password_hash: USERS.guest.hash },
          { name: 'creator', password_hash: USERS.creator.hash },
        ],
        grants: [
          {
            to: 'user:reader',
            experiment_ids: [ids['n-2'], ids['n-5'], ids['n-7'], ids['n-11']],
            permission: 'READ',
          },
          { to: 'user:reader', experiment_ids: [ids['n-5']], permission: 'READ', deny: true },
          { to: 'user:editor', experiments: ['n-1*', 'n-3', 'n-4'], permission: 'READ' },
          { to: 'user:guest', experiments: ['nothing-*'], permission: 'READ' },
          { to: 'user:creator', experiments: ['*'], permission: 'READ' },
        ],
      },
    })
  }, 120_000)
  afterAll(async () => {
    await gateway?.close()
    await pass?.close()
  })

  async function search(
    who: 'reader' | 'editor' | 'guest' | 'creator',
    body: object,
  ): Promise<Found> {
    const res = await fetch(`${gateway.url}/api/2.0/mlflow/experiments/search`, {
      method: 'POST',
      headers: { authorization: basic(who), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    const json = (await res.json()) as {
      experiments?: { name: string }[]
      next_page_token?: string
    }
    return {
      status: res.status,
      names: (json.experiments ?? []).map((e) => e.name).sort(),
      ...(json.next_page_token && { token: json.next_page_token }),
    }
  }

  const idClause = (...names: string[]) =>
    `experiment_id IN (${names.map((n) => `'${ids[n]}'`).join(', ')})`

  it('gives exactly what the grants allow, the deny grant included', async () => {
    pass.filters.length = 0
    expect(await search('reader', {})).toEqual({ status: 200, names: ['n-11', 'n-2', 'n-7'] })
    if (version === '3.18.0') {
      // One MLflow page, holding only the caller's experiments (the denied one is dropped after).
      expect(pass.filters).toEqual([idClause('n-2', 'n-5', 'n-7', 'n-11')])
    } else {
      // Refused by 2.x's grammar, then searched as the caller asked; later searches skip it.
      expect(pass.filters[0]).toContain('experiment_id IN')
      expect(pass.filters.slice(1).every((f) => f === '')).toBe(true)
      pass.filters.length = 0
      expect((await search('reader', {})).names).toEqual(['n-11', 'n-2', 'n-7'])
      expect(pass.filters.every((f) => f === '')).toBe(true)
    }
  })

  it("keeps the caller's own filter, and pages with continuing tokens", async () => {
    pass.filters.length = 0
    const own = "name LIKE 'n-1%'"
    expect(await search('reader', { filter: own })).toEqual({ status: 200, names: ['n-11'] })
    if (version === '3.18.0')
      expect(pass.filters).toEqual([`${own} AND ${idClause('n-2', 'n-5', 'n-7', 'n-11')}`])
    const first = await search('reader', { max_results: 2 })
    expect(first.names).toHaveLength(2)
    const second = await search('reader', { max_results: 2, page_token: first.token })
    expect([...first.names, ...second.names].sort()).toEqual(['n-11', 'n-2', 'n-7'])
    expect(second.token).toBeUndefined()
  })

  it('lists what name patterns match first, then asks for just those', async () => {
    pass.filters.length = 0
    expect(await search('editor', {})).toEqual({
      status: 200,
      names: ['n-1', 'n-10', 'n-11', 'n-3', 'n-4'],
    })
    if (version === '3.18.0') {
      // One lookup per pattern, then the search itself.
      expect(pass.filters.slice(0, 3)).toEqual([
        "name ILIKE 'n-1%'",
        "name = 'n-3'",
        "name = 'n-4'",
      ])
      const listed = /^experiment_id IN \((.*)\)$/.exec(pass.filters[3] ?? '')?.[1]?.split(', ')
      expect(listed?.sort()).toEqual(
        ['n-1', 'n-10', 'n-11', 'n-3', 'n-4'].map((n) => `'${ids[n]}'`).sort(),
      )
    }
    pass.filters.length = 0
    expect(await search('guest', {})).toEqual({ status: 200, names: [] })
    if (version === '3.18.0') expect(pass.filters.at(-1)).toBe("experiment_id IN ('-1')")
  })

  it('searches as the caller asked when a * grant applies', async () => {
    pass.filters.length = 0
    expect((await search('creator', {})).names).toHaveLength(Object.keys(ids).length + 1)
    expect(pass.filters.some((f) => f.includes('experiment_id'))).toBe(false)
  })

  it("passes MLflow's refusal of a bad filter on", async () => {
    const bad = await search('reader', { filter: 'nonsense ===' })
    expect(bad.status).toBe(400)
  })
})
