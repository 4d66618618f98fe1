import { describe, expect, it } from 'vitest'
import { artifactPathSegments, checkArtifactFileName } from './artifact-path.js'

describe('artifactPathSegments', () => {
  it.each([
    ['', []],
    ['1', ['1']],
    ['1/abc/artifacts/model.pkl', ['1', 'abc', 'artifacts', 'model.pkl']],
    ['1/abc/artifacts/', ['1', 'abc', 'artifacts']],
    [
      'team/custom/r/artifacts/my file (1).txt',
      ['team', 'custom', 'r', 'artifacts', 'my file (1).txt'],
    ],
    ['workspaces/default/3/r/artifacts', ['workspaces', 'default', '3', 'r', 'artifacts']],
    ['1/r/artifacts/12:00.log', ['1', 'r', 'artifacts', '12:00.log']],
    ['1/r/artifacts/é.txt', ['1', 'r', 'artifacts', 'é.txt']],
  ])('reads %j as MLflow does', (path, segments) => {
    expect(artifactPathSegments(path)).toEqual(segments)
  })

  it.each([
    ['..', 'dot segment'],
    ['1/../2/r', 'dot segment'],
    ['1/./r', 'dot segment'],
    ['1/r/artifacts/..', 'dot segment'],
    ['1//r', 'empty segment'],
    ['/1/r', 'absolute'],
    ['/etc/passwd', 'absolute'],
    ['C:/Windows', 'drive'],
    ['c:x', 'drive'],
    ['file:1/r/artifacts', 'file URI, turned into a local path by validate_path_is_safe'],
    ['http:x', 'scheme, lowercased and given // by urlunparse'],
    ['1\\..\\2', 'backslash'],
    ['1/%2e%2e/2', 'percent: decoded again by MLflow'],
    ['1/%252e%252e/2', 'double percent'],
    ['1/r\u0000', 'NUL'],
    ['1/r\n', 'newline: escaped to %0a by MLflow'],
    ['1/r#x', 'fragment'],
    ['1/r?', 'empty query: dropped by urlunparse'],
    ['1/r;', 'empty params: dropped by urlunparse'],
    [' 1/r', 'leading space: stripped by urlsplit'],
  ])('refuses %j (%s)', (path) => {
    expect(() => artifactPathSegments(path)).toThrow(/refused/)
  })
})

describe('checkArtifactFileName', () => {
  it.each(['model.bin', '/home/me/model.bin', 'C:\\Users\\me\\model.bin', 'dir/x.txt'])(
    'accepts %j: MLflow keeps only its last segment',
    (path) => {
      expect(() => checkArtifactFileName(path)).not.toThrow()
    },
  )

  it.each(['..', 'a/..', 'a\\..', 'C:..', '%2e%2e', 'x%2F..', '', 'dir/', 'a\u0000b'])(
    'refuses %j',
    (path) => {
      expect(() => checkArtifactFileName(path)).toThrow(/refused/)
    },
  )
})
