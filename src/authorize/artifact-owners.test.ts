import { describe, expect, it } from 'vitest'
import { createFolderIndexSource, FolderIndex, proxiedFolder } from './artifact-folders.js'
import { ownersOfPath, type ResidentInfo, type ResidentLookup } from './artifact-owners.js'

describe('proxiedFolder', () => {
  it.each([
    ['mlflow-artifacts:/1', ['1']],
    ['mlflow-artifacts:/team/custom', ['team', 'custom']],
    ['mlflow-artifacts://mlflow.example:5000/team/custom/', ['team', 'custom']],
    ['MLFLOW-ARTIFACTS:/x', ['x']],
    ['mlflow-artifacts:/workspaces/default/4', ['workspaces', 'default', '4']],
    ['mlflow-artifacts:/a//./b', ['a', 'b']],
    ['mlflow-artifacts:/a/x/../b', ['a', 'b']],
    ['mlflow-artifacts:/', []],
    ['mlflow-artifacts:/a?q=1#f', ['a']],
    ['https://h/api/2.0/mlflow-artifacts/artifacts/team/x', ['team', 'x']],
    ['http://h/prefix/api/2.0/mlflow-artifacts/artifacts/5;p', ['5']],
  ])('%s is store path %j', (uri, segments) => {
    expect(proxiedFolder(uri)).toEqual(segments)
  })

  it.each([
    'file:///tmp/mlruns/1',
    's3://bucket/1',
    '/abs/path',
    'relative/path',
    'https://h/other/1',
    'mlflow-artifacts:/../1',
  ])('%s is not in the store', (uri) => {
    expect(proxiedFolder(uri)).toBeUndefined()
  })
})

const RUN_A = 'a'.repeat(32)
const RUN_B = 'b'.repeat(32)
const RUN_C = 'c'.repeat(32)
const index = new FolderIndex([
  { experimentId: '1', segments: ['1'] },
  { experimentId: '2', segments: ['2'] },
  { experimentId: '7', segments: ['team', 'custom'] },
  // Created at A's run folder: its artifacts live inside experiment 1's.
  { experimentId: '8', segments: ['1', RUN_A, 'artifacts', 'nested'] },
  // Two experiments sharing one folder.
  { experimentId: '9', segments: ['shared'] },
  { experimentId: '10', segments: ['shared'] },
  { experimentId: '11', segments: ['Case'] },
])
const residents: Record<string, ResidentInfo> = {
  [`run:${RUN_A}`]: { experimentId: '1', folder: ['1', RUN_A, 'artifacts'] },
  [`run:${RUN_B}`]: { experimentId: '2', folder: ['2', RUN_B, 'artifacts'] },
  [`run:${RUN_C}`]: { experimentId: '7', folder: ['team', 'custom', RUN_C, 'artifacts'] },
  'run:r8': { experimentId: '8', folder: ['1', RUN_A, 'artifacts', 'nested', 'r8', 'artifacts'] },
  'run:r9': { experimentId: '9', folder: ['shared', 'r9', 'artifacts'] },
  // A run whose artifact URI is elsewhere (not in the store, or moved).
  'run:elsewhere': { experimentId: '1' },
  'logged-model:m-1': { experimentId: '1', folder: ['1', 'models', 'm-1', 'artifacts'] },
  'trace:tr-1': { experimentId: '1', folder: ['1', 'traces', 'tr-1', 'artifacts'] },
  'trace:tr-untagged': { experimentId: '1' },
}
const asked: string[] = []
const lookup: ResidentLookup = async (kind, id) => {
  asked.push(`${kind}:${id}`)
  return residents[`${kind}:${id}`]
}
const owners = (path: string) => ownersOfPath(path ? path.split('/') : [], index, lookup)

describe('ownersOfPath', () => {
  it.each([
    [`1/${RUN_A}/artifacts/model.pkl`, ['1']],
    [`1/${RUN_A}/artifacts`, ['1']],
    [`1/${RUN_A}`, ['1']],
    ['1', ['1']],
    ['1/models', ['1']],
    ['1/models/m-1/artifacts/MLmodel', ['1']],
    ['1/models/m-1', ['1']],
    ['1/traces/tr-1/artifacts/traces.json', ['1']],
    ['1/traces/tr-untagged/artifacts/traces.json', ['1']],
    [`team/custom/${RUN_C}/artifacts/x`, ['7']],
    ['team/custom', ['7']],
    // Inside 1's run folder: both must allow.
    [`1/${RUN_A}/artifacts/nested/r8/artifacts/f`, ['1', '8']],
    [`1/${RUN_A}/artifacts/nested`, ['1', '8']],
    // A shared folder: the run's own experiment for its files, everyone for the folder itself.
    ['shared/r9/artifacts/f', ['9']],
    ['shared', ['9', '10']],
  ])('%s needs experiments %j', async (path, expected) => {
    expect(await owners(path)).toEqual(expected)
  })

  it.each([
    ['', 'the root'],
    ['team', 'above every folder'],
    ['skills/x/1/SKILL.md', 'the skill namespace'],
    ['3/r/artifacts', 'no experiment 3'],
    [`1/${RUN_B}/artifacts/x`, 'a run of experiment 2 under experiment 1'],
    [`2/${RUN_A}/artifacts/x`, 'a run of experiment 1 under experiment 2'],
    ['1/nosuchrun/artifacts/x', 'an unknown run'],
    [`1/${RUN_A}/other/x`, 'beside the artifacts folder'],
    ['1/models/m-1/other', 'beside a model’s artifacts'],
    ['1/models/m-2/artifacts', 'an unknown model'],
    ['2/models/m-1/artifacts', 'a model of another experiment'],
    ['1/traces/tr-9/artifacts', 'an unknown trace'],
    ['1/elsewhere/artifacts/x', 'a run whose artifacts are elsewhere'],
    [`1/${RUN_A}/artifacts/nested/${RUN_A}/artifacts`, 'a run that is not in the nested folder'],
    [`team/CUSTOM/${RUN_C}/artifacts/x`, 'another spelling of the folder'],
    ['case', 'another spelling of the folder, without an exact one'],
    ['shared/r8/artifacts', 'a run of an experiment without that folder'],
  ])('%j maps to nothing (%s)', async (path) => {
    expect(await owners(path)).toBeUndefined()
  })

  it('asks about the run only after the folder matched', async () => {
    asked.length = 0
    await owners('nowhere/r/artifacts')
    expect(asked).toEqual([])
  })
})

describe('createFolderIndexSource', () => {
  const pages: Record<string, unknown> = {
    '': {
      experiments: [
        { experiment_id: '1', artifact_location: 'mlflow-artifacts:/1' },
        { experiment_id: '2', artifact_location: 's3://bucket/2' },
      ],
      next_page_token: 'p2',
    },
    p2: { experiments: [{ experiment_id: '3', artifact_location: 'mlflow-artifacts:/x/y' }] },
  }
  let clock = 0
  const calls: string[] = []
  const fetchJson = async (path: string) => {
    calls.push(path)
    const token = new URL(path, 'http://x').searchParams.get('page_token') ?? ''
    return pages[token]
  }
  const source = createFolderIndexSource(fetchJson, {
    ttlMs: 60_000,
    minRefreshMs: 2_000,
    now: () => clock,
  })

  it('pages through every experiment, deleted ones too, keeping store folders', async () => {
    const idx = await source.get()
    expect(calls).toEqual([
      '/api/2.0/mlflow/experiments/search?max_results=1000&view_type=ALL',
      '/api/2.0/mlflow/experiments/search?max_results=1000&view_type=ALL&page_token=p2',
    ])
    expect(idx.containing(['x', 'y', 'r'])).toEqual([[{ experimentId: '3', segments: ['x', 'y'] }]])
    expect(idx.containing(['2', 'r'])).toEqual([])
  })

  it('refetches after the TTL, when forgotten, and when a miss asks (at most every 2 s)', async () => {
    calls.length = 0
    clock += 1_000
    await source.get(true)
    expect(calls).toHaveLength(0)
    clock += 1_500
    await source.get(true)
    expect(calls).toHaveLength(2)
    await source.get()
    expect(calls).toHaveLength(2)
    source.forget()
    await Promise.all([source.get(), source.get()])
    expect(calls).toHaveLength(4)
    clock += 60_000
    await source.get()
    expect(calls).toHaveLength(6)
  })

  it('cannot decide when MLflow will not list experiments', async () => {
    const failing = createFolderIndexSource(async () => undefined)
    await expect(failing.get()).rejects.toThrow(/refused to list experiments/)
  })
})
