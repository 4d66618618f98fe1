import { describe, expect, it } from 'vitest'
import type { Upstream } from '../forward/upstream.js'
import { markRefusesExperimentIds, withExperimentIds } from './narrow.js'

const upstream = {} as Upstream

describe('withExperimentIds', () => {
  it("adds the clause to the caller's filter, or makes it the filter", () => {
    expect(withExperimentIds(upstream, { max_results: 5 }, ['1', '22'])).toEqual({
      max_results: 5,
      filter: "experiment_id IN ('1', '22')",
    })
    expect(withExperimentIds(upstream, { filter: "name LIKE 'a%'" }, ['3'])).toEqual({
      filter: "name LIKE 'a%' AND experiment_id IN ('3')",
    })
    expect(withExperimentIds(upstream, { filter: '  ' }, ['3'])?.filter).toBe(
      "experiment_id IN ('3')",
    )
  })

  it('narrows to nothing for an empty list, and leaves the search alone when it cannot narrow it safely', () => {
    expect(withExperimentIds(upstream, {}, [])).toEqual({ filter: "experiment_id IN ('-1')" })
    expect(withExperimentIds(upstream, {}, ["1') OR ('1"])).toBeUndefined()
    expect(withExperimentIds(upstream, { filter: 7 }, ['1'])).toBeUndefined()
    const old = {} as Upstream
    markRefusesExperimentIds(old)
    expect(withExperimentIds(old, {}, ['1'])).toBeUndefined()
  })
})
