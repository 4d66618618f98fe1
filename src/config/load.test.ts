import { describe, expect, it } from 'vitest'
import { ConfigError, parseConfig } from './load.js'

const parse = (text: string, env: NodeJS.ProcessEnv = {}) =>
  parseConfig(text, { source: 'gate.yaml', baseDir: '/etc/gate', env })

function problemsOf(text: string, env: NodeJS.ProcessEnv = {}): readonly string[] {
  try {
    parse(text, env)
  } catch (err) {
    if (err instanceof ConfigError) return err.problems
    throw err
  }
  throw new Error('expected a ConfigError')
}

describe('parseConfig', () => {
  it('gives every default for an empty file', () => {
    const c = parse('')
    expect(c.upstream.url).toBe('http://127.0.0.1:5000')
    expect(c.listen.port).toBe(8080)
    expect(c.storage.url).toBe('sqlite:/etc/gate/mlflow-gate.db')
  })

  it('reports every problem at once, with line, column and path', () => {
    const problems = problemsOf(
      [
        'listen:',
        '  port: "eighty"',
        '  colour: blue',
        'upstream:',
        '  url: ftp://mlflow',
        'extra: 1',
      ].join('\n'),
    )
    expect(problems).toHaveLength(4)
    expect(problems).toContainEqual(expect.stringMatching(/^gate\.yaml:2:3 listen\.port: .*number/))
    expect(problems).toContainEqual(
      expect.stringMatching(/^gate\.yaml:3:3 listen\.colour: unknown setting/),
    )
    expect(problems).toContainEqual(
      expect.stringMatching(/^gate\.yaml:5:3 upstream\.url: must be an http/),
    )
    expect(problems).toContainEqual(expect.stringMatching(/^gate\.yaml:6:1 extra: unknown setting/))
  })

  it('reports YAML syntax errors with their position', () => {
    const problems = problemsOf('listen:\n  port: [1\n')
    expect(problems[0]).toMatch(/^gate\.yaml:\d+:\d+: /)
  })

  it('lets the environment override the upstream URL and storage, and validates the override', () => {
    const c = parse('upstream:\n  url: http://a:5000\n', {
      MLFLOW_GATE_UPSTREAM_URL: 'http://mlflow.internal:5000',
      MLFLOW_GATE_STORAGE_URL: 'postgres://gate:secret@db/gate',
    })
    expect(c.upstream.url).toBe('http://mlflow.internal:5000')
    expect(c.storage.url).toBe('postgres://gate:secret@db/gate')
    expect(problemsOf('', { MLFLOW_GATE_UPSTREAM_URL: 'nope' })[0]).toMatch(
      /^upstream\.url \(from env MLFLOW_GATE_UPSTREAM_URL\): /,
    )
  })

  it('freezes the result deeply', () => {
    const c = parse('')
    expect(Object.isFrozen(c)).toBe(true)
    expect(Object.isFrozen(c.upstream)).toBe(true)
    expect(() => {
      ;(c.upstream as { url: string }).url = 'http://evil'
    }).toThrow(TypeError)
  })
})
