import { describe, expect, it } from 'vitest'
import { CATALOGUE } from '../classify/rows/index.js'
import { SEARCHES, searchAnswer } from './searches.js'

const named = (filter: string) => CATALOGUE.filter((r) => r.filter === filter)

describe('the search table', () => {
  it('has an entry for every filter name in the catalogue, and none unused', () => {
    const used = new Set(CATALOGUE.flatMap((r) => (r.filter ? [r.filter] : [])))
    expect([...used].sort()).toEqual(Object.keys(SEARCHES).sort())
  })

  it('fails closed for a name it lacks', () => {
    expect(searchAnswer('no-such-filter')).toBeUndefined()
    expect(searchAnswer('constructor')).toBeUndefined()
    expect(searchAnswer(undefined)).toBeUndefined()
  })

  it.each(Object.entries(SEARCHES))('%s: the rows agree with how it is answered', (name, a) => {
    const rows = named(name)
    switch (a.how) {
      case 'filtered':
      case 'fields':
        // Answered without a resource: a read the gateway trims or decides on everything.
        for (const r of rows)
          expect([r.path, r.action, r.resource]).toEqual([r.path, 'read', undefined])
        break
      case 'named':
        // Scoped by the experiments the request names, which classify requires.
        for (const r of rows) expect([r.path, r.resource?.kind]).toEqual([r.path, 'experiment'])
        break
      case 'admins':
        for (const r of rows) expect([r.path, r.action]).toEqual([r.path, 'admin'])
        break
      case 'forwarded':
        for (const r of rows) expect([r.path, r.action]).toEqual([r.path, 'authenticated'])
        break
    }
  })

  it.each(Object.entries(SEARCHES).filter(([, a]) => a.how === 'filtered'))(
    '%s: asks MLflow at a route the catalogue serves under the same filter',
    (name, a) => {
      if (a.how !== 'filtered') return
      const { path, method } = a.collection
      expect(named(name).some((r) => r.path === path && r.method === method)).toBe(true)
    },
  )

  it('reads the experiments a scorer list names, by snake_case name only', () => {
    const scorers = SEARCHES.scorers!
    if (scorers.how !== 'filtered') throw new Error('scorers are filtered')
    expect(scorers.names!({ experiment_id: '3', experiment_ids: ['4', '5'] })).toEqual([
      '3',
      '4',
      '5',
    ])
    expect(scorers.names!({ experiment_ids: '4' })).toEqual(['4'])
    expect(scorers.names!({ experimentIds: '4' })).toEqual([])
    expect(scorers.item({ experiment_id: 7 })).toEqual({ kind: 'experiment-id', id: '7' })
    expect(scorers.item({})).toBeUndefined()
  })
})
