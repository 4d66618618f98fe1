/**
 * The gateway reads artifact paths and artifact locations exactly as MLflow 3.18.0 does, checked
 * against MLflow's own functions in its venv: every path the gateway lets through means the same
 * path to `validate_path_is_safe` (so nothing is decided on one path and served from another),
 * and every artifact location maps to the same store folder as in the server's handlers.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { proxiedFolder } from '../../src/authorize/artifact-folders.js'
import { artifactPathSegments } from '../../src/classify/artifact-path.js'
import { runPython } from '../harness/python.js'

// Characters that mean something to urllib, Windows paths or MLflow's decoding, and plain ones.
const UNITS = [
  ..."ab1Z/.:?#;%@[]=&+ ,!$'()*~-_\\",
  '\u0000',
  '\n',
  '\t',
  'é',
  '%2e',
  '%2F',
  '%25',
  '..',
  '//',
  'file:',
  'C:',
  'http:',
  'workspaces/',
]
const PATHS: string[] = [
  '1/0123456789abcdef0123456789abcdef/artifacts/model.pkl',
  'team/custom/r/artifacts/my file (1).txt',
  'workspaces/default/3/r/artifacts',
  '1/r/artifacts/12:00.log',
  'a:b',
  '1/r;',
  '1/r?',
  ' 1',
  ...fc.sample(fc.string({ unit: fc.constantFrom(...UNITS), maxLength: 8 }), {
    numRuns: 3000,
    seed: 18,
  }),
]
const URIS: string[] = [
  'mlflow-artifacts:/1',
  'mlflow-artifacts:/team/custom',
  'mlflow-artifacts://host:5000/team/custom/',
  'mlflow-artifacts:team/x',
  'MLFLOW-ARTIFACTS:/x',
  'mlflow-artifacts:/workspaces/default/4',
  'mlflow-artifacts:/a//./b',
  'mlflow-artifacts:/a/x/../b',
  'mlflow-artifacts:/../a',
  'mlflow-artifacts:/',
  'mlflow-artifacts:/a?q=1#f',
  'mlflow-artifacts:/a;p/b',
  'https://h/api/2.0/mlflow-artifacts/artifacts/team/x',
  'http://h/prefix/api/2.0/mlflow-artifacts/artifacts/5;p',
  'http://h/api/2.0/mlflow-artifacts/artifacts/a/api/2.0/mlflow-artifacts/artifacts/b',
  'https://h/other/1',
  'file:///tmp/mlruns/1',
  's3://bucket/1',
  '/abs/path',
  ...fc
    .sample(
      fc.tuple(
        fc.constantFrom(
          'mlflow-artifacts:',
          'mlflow-artifacts://h',
          'http://h/api/2.0/mlflow-artifacts/artifacts',
        ),
        fc.string({ unit: fc.constantFrom(...'ab1/.;?#'), maxLength: 8 }),
      ),
      { numRuns: 1000, seed: 18 },
    )
    .map(([a, b]) => a + (a.endsWith('artifacts') ? '/' : '') + b),
]

let mlflowSays: { paths: (string | null)[]; uris: (string[] | null)[] }
const dir = mkdtempSync(join(tmpdir(), 'artifact-paths-'))

beforeAll(async () => {
  const file = join(dir, 'given.json')
  writeFileSync(file, JSON.stringify({ paths: PATHS, uris: URIS }))
  mlflowSays = await runPython('artifact_paths.py', [file], {})
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const accepted = (path: string) => {
  try {
    return artifactPathSegments(path)
  } catch {
    return undefined
  }
}

describe('artifact paths', () => {
  it('every path the gateway accepts is the same path to MLflow (or MLflow refuses it)', () => {
    const differ: [string, string | null][] = []
    PATHS.forEach((path, i) => {
      const theirs = mlflowSays.paths[i]!
      if (accepted(path) !== undefined && theirs !== null && theirs !== path)
        differ.push([path, theirs])
    })
    expect(differ).toEqual([])
  })

  it('accepts the paths MLflow clients send, so the check is not simply "refuse all"', () => {
    const ok = PATHS.filter((p) => accepted(p) !== undefined)
    expect(ok).toEqual(expect.arrayContaining(PATHS.slice(0, 4)))
    expect(ok.length).toBeGreaterThan(100)
  })
})

describe('artifact locations', () => {
  it('map to the store folder MLflow’s handlers serve them from', () => {
    const differ = URIS.map((uri, i) => [
      uri,
      proxiedFolder(uri) ?? null,
      mlflowSays.uris[i],
    ]).filter(([, ours, theirs]) => JSON.stringify(ours) !== JSON.stringify(theirs))
    expect(differ).toEqual([])
  })
})
