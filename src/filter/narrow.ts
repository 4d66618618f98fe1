/** Narrows an experiment search to the caller's readable experiments: `experiment_id IN (...)` added to its filter. */
import type { IdsNamed } from '../authorize/readable-ids.js'
import { MAX_READABLE_IDS } from '../authorize/readable-ids.js'
import type { Upstream } from '../forward/upstream.js'
import { fetchPage, type Source } from './upstream-page.js'

/** MLflows (by their upstream) whose search grammar has no experiment_id: MLflow 2.x. */
const refusing = new WeakSet<Upstream>()

/** Whether this MLflow refused the clause once; the gateway then never builds it again. */
export function refusesExperimentIds(upstream: Upstream): boolean {
  return refusing.has(upstream)
}

export function markRefusesExperimentIds(upstream: Upstream): void {
  refusing.add(upstream)
}

/**
 * The caller's terms with their `filter` narrowed to these experiments, or undefined when it
 * cannot be (this MLflow refuses the clause, or the caller's filter is no string, which MLflow
 * will refuse itself). MLflow's filter grammar has AND and no OR (utils/search_utils.py
 * SearchExperimentsUtils), so the clause can only narrow what the caller's filter selects. An
 * empty list becomes an id no experiment has, so MLflow still checks the caller's filter.
 */
export function withExperimentIds(
  upstream: Upstream,
  terms: Readonly<Record<string, unknown>>,
  ids: readonly string[],
): Readonly<Record<string, unknown>> | undefined {
  if (refusing.has(upstream)) return undefined
  // Ids are numbers in MLflow's SQL store; nothing else goes into a filter string.
  if (ids.some((id) => !/^\d+$/.test(id))) return undefined
  const own = terms.filter ?? ''
  if (typeof own !== 'string') return undefined
  const listed = ids.length > 0 ? ids : ['-1']
  const clause = `experiment_id IN (${listed.map((id) => `'${id}'`).join(', ')})`
  return { ...terms, filter: own.trim() === '' ? clause : `${own} AND ${clause}` }
}

/**
 * Lists the experiments whose names may match a grant's pattern by asking MLflow: a glob with
 * `name ILIKE` (`*` → `%`, `?` → `_`; a literal `%` or `_` only widens the list, and ILIKE because
 * globs are case-sensitive and LIKE's case rules differ between databases), an exact name with
 * `name = ...` (MLflow's grammar allows a list only for experiment_id). Every lifecycle stage, as
 * the caller's search may ask for deleted ones. Undefined when there are too many, or the pattern
 * holds a quote or backslash that would have to be escaped inside MLflow's filter string.
 */
export function idsNamedIn(upstream: Upstream, source: Source, maxBytes: number): IdsNamed {
  return async (pattern) => {
    if (/['"\\]/.test(pattern)) return undefined
    const filter = /[*?]/.test(pattern)
      ? `name ILIKE '${pattern.replace(/\*/g, '%').replace(/\?/g, '_')}'`
      : `name = '${pattern}'`
    return idsWhere(upstream, source, filter, maxBytes)
  }
}

async function idsWhere(
  upstream: Upstream,
  source: Source,
  filter: string,
  maxBytes: number,
): Promise<readonly string[] | undefined> {
  const ids: string[] = []
  let token: string | undefined
  try {
    do {
      const page = await fetchPage<Record<string, unknown>>(
        upstream,
        source,
        {
          filter,
          max_results: MAX_READABLE_IDS,
          view_type: 'ALL',
          ...(token !== undefined && { page_token: token }),
        },
        maxBytes,
      )
      for (const e of page.list) if (typeof e.experiment_id === 'string') ids.push(e.experiment_id)
      if (ids.length > MAX_READABLE_IDS) return undefined
      token = page.next
    } while (token !== undefined)
  } catch {
    // MLflow refused the lookup or its answer was too large: search without narrowing.
    return undefined
  }
  return ids
}
