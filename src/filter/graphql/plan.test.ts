import { describe, expect, it } from 'vitest'
import { analyse } from './analyse.js'
import { trimAnswer } from './plan.js'

const mayRead = (name: string) => name.startsWith('public-')

/** Trims `data` as the answer to `query` would be trimmed. */
function trim(query: string, data: unknown): unknown {
  const plan = analyse({ query }).plan
  if (!plan) throw new Error('no plan')
  return trimAnswer(structuredClone(data), plan, mayRead)
}

const mv = (name: string, extra = {}) => ({ name, version: '1', ...extra })

describe('trimAnswer', () => {
  it('keeps only readable model versions of every run, and nothing else changes', () => {
    const data = {
      mlflowSearchRuns: {
        runs: [
          { info: { runId: 'a' }, modelVersions: [mv('public-m'), mv('private-m')] },
          { info: { runId: 'b' }, modelVersions: [mv('private-m')] },
          { info: { runId: 'c' }, modelVersions: null },
        ],
        nextPageToken: 't',
      },
    }
    expect(
      trim(
        `{ mlflowSearchRuns(input: {experimentIds: ["1"]}) {
          runs { info { runId } modelVersions { name version } } nextPageToken } }`,
        data,
      ),
    ).toEqual({
      mlflowSearchRuns: {
        runs: [
          { info: { runId: 'a' }, modelVersions: [mv('public-m')] },
          { info: { runId: 'b' }, modelVersions: [] },
          { info: { runId: 'c' }, modelVersions: null },
        ],
        nextPageToken: 't',
      },
    })
  })

  it('follows aliases, and judges a version by its aliased name', () => {
    const data = {
      r: { run: { mv: [{ n: 'public-x' }, { n: 'private-y' }] } },
      mlflowSearchModelVersions: { modelVersions: [{ name: 'private-z' }, { name: 'public-w' }] },
    }
    expect(
      trim(
        `{ r: mlflowGetRun(input: {runId: "r"}) { run { mv: modelVersions { n: name } } }
           mlflowSearchModelVersions(input: {}) { modelVersions { name } } }`,
        data,
      ),
    ).toEqual({
      r: { run: { mv: [{ n: 'public-x' }] } },
      mlflowSearchModelVersions: { modelVersions: [{ name: 'public-w' }] },
    })
  })

  it('drops a version whose name did not come back (a skipped or null name)', () => {
    const data = {
      r: { run: { modelVersions: [{ version: '1' }, { name: null }, mv('public-a')] } },
    }
    expect(
      trim(
        `query($s: Boolean = true) { r: mlflowGetRun(input: {runId: "r"}) {
          run { modelVersions { version name @skip(if: $s) } } } }`,
        data,
      ),
    ).toEqual({ r: { run: { modelVersions: [mv('public-a')] } } })
  })

  it('does not trust a same-named key that is another field', () => {
    // `name: version` puts the version under "name"; the model's name is under "n".
    const data = { r: { run: { modelVersions: [{ name: 'public-1', n: 'private-m' }] } } }
    expect(
      trim(
        `{ r: mlflowGetRun(input: {runId: "r"}) { run { modelVersions { name: version n: name } } } }`,
        data,
      ),
    ).toEqual({ r: { run: { modelVersions: [] } } })
  })

  it('leaves null data and missing fields alone', () => {
    const query = `{ mlflowGetRun(input: {runId: "r"}) { run { modelVersions { name } } } }`
    expect(trim(query, null)).toBeNull()
    expect(trim(query, { mlflowGetRun: null })).toEqual({ mlflowGetRun: null })
    expect(trim(query, { mlflowGetRun: { run: null } })).toEqual({ mlflowGetRun: { run: null } })
  })
})
