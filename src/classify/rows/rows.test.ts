/** Invariants every catalogue row keeps; coverage of MLflow's routes is an integration test. */
import { describe, expect, it } from 'vitest'
import type { IdSource, Row } from '../row.js'
import { CATALOGUE } from './index.js'

const key = (r: Row) => `${r.method} ${r.path}`

/** Parameter names of a template: `{name}` and `{name:path}`. */
function templateParams(path: string): string[] {
  return [...path.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)(?::path)?\}/g)].map((m) => m[1] ?? '')
}

function list(rows: readonly Row[], pred: (r: Row) => boolean): string[] {
  return rows.filter(pred).map(key)
}

describe('endpoint catalogue rows', () => {
  it('is not empty', () => {
    expect(CATALOGUE.length).toBeGreaterThan(0)
  })

  it('has no two rows for the same method and path', () => {
    const seen = new Map<string, number>()
    for (const r of CATALOGUE) seen.set(key(r), (seen.get(key(r)) ?? 0) + 1)
    expect([...seen].filter(([, n]) => n > 1).map(([k]) => k)).toEqual([])
  })

  it('gives every row a source naming an MLflow 3.18.0 function', () => {
    // "<file>.py <function>", e.g. "handlers.py _get_experiment".
    expect(list(CATALOGUE, (r) => !/^[\w./]+\.py \w/.test(r.source))).toEqual([])
  })

  it('makes create rows name their resource by name', () => {
    expect(list(CATALOGUE, (r) => r.action === 'create' && r.resource?.by !== 'name')).toEqual([])
    // ...and gives them a resource at all: a create right is checked against the name.
    expect(list(CATALOGUE, (r) => r.action === 'create' && !r.resource)).toEqual([])
  })

  it('only names path parameters the template has', () => {
    const bad = CATALOGUE.filter((r) => {
      const id = r.resource?.id
      return id?.in === 'path' && !templateParams(r.path).includes(id.param)
    })
    expect(bad.map(key)).toEqual([])
  })

  it('reads an artifact path only on mlflow-artifacts routes that carry one', () => {
    const bad = CATALOGUE.filter((r) => {
      const id = r.resource?.id
      if (id?.in !== 'artifact-path') return false
      if (!r.path.includes('/mlflow-artifacts/')) return true
      // Without `field`, the path must come from the route's {artifact_path:path}.
      return id.field === undefined && !r.path.includes('{artifact_path:path}')
    })
    expect(bad.map(key)).toEqual([])
  })

  it('resolves mlflow-artifacts paths as artifacts, and only them', () => {
    const bad = CATALOGUE.filter(
      (r) => (r.resource?.kind === 'artifact') !== (r.resource?.id.in === 'artifact-path'),
    )
    expect(bad.map(key)).toEqual([])
  })

  it('marks every GET that streams a stored file back as a download, and nothing else', () => {
    const streamsFile = (r: Row) => r.method === 'GET' && r.body === 'stream'
    expect(list(CATALOGUE, (r) => streamsFile(r) !== (r.download === true))).toEqual([])
  })

  it('checks the artifact paths of every route that reads a file by path', () => {
    // Flask artifact views (get-artifact, upload-artifact, logged-model files, trace artifacts)
    // read a path next to their resource id; each must name it in artifactPaths.
    const flaskFileViews = CATALOGUE.filter(
      (r) =>
        r.body === 'stream' && r.resource?.kind !== 'artifact' && r.source.includes('artifact'),
    )
    expect(flaskFileViews.length).toBeGreaterThanOrEqual(6)
    expect(list(flaskFileViews, (r) => !r.artifactPaths)).toEqual([])
  })

  it('gives resource rows an action that acts on a resource', () => {
    const resourceActions = new Set<Row['action']>([
      'read',
      'use',
      'update',
      'delete',
      'manage',
      'create',
    ])
    expect(list(CATALOGUE, (r) => !!r.resource && !resourceActions.has(r.action))).toEqual([])
  })

  it('keeps routes without a resource to actions that need none, or to a filtered read', () => {
    // A read with no resource is only safe when its response is filtered (search/list, GraphQL);
    // update/delete/manage/create always name what they act on.
    const bad = CATALOGUE.filter(
      (r) =>
        !r.resource &&
        (['update', 'delete', 'manage', 'create'].includes(r.action) ||
          (r.action === 'read' && r.filter === undefined)),
    )
    expect(bad.map(key)).toEqual([])
  })

  it('reads ids from the body only on rows that declare a JSON body', () => {
    // `message` ids can come from the JSON body (always for non-GET, and for a GET without a
    // query string), so the gateway must be allowed to read it.
    const fromMessage = (id: IdSource | undefined) =>
      id?.in === 'message' || (id?.in === 'artifact-path' && id.field !== undefined)
    expect(list(CATALOGUE, (r) => fromMessage(r.resource?.id) && r.body !== 'json')).toEqual([])
  })

  it('writes paths as MLflow serves them', () => {
    const bad = CATALOGUE.filter(
      (r) =>
        !r.path.startsWith('/') || /[<>]/.test(r.path) || /\{[^}]*:(?!path\})[^}]*\}/.test(r.path),
    )
    expect(bad.map(key)).toEqual([])
  })
})
