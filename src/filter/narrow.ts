/** Adds `experiment_id IN (...)` to an experiment search's filter, and remembers an MLflow that refuses it. */
import type { Upstream } from '../forward/upstream.js'

/** MLflows (by their upstream) whose search grammar has no experiment_id: MLflow 2.x. */
const refusing = new WeakSet<Upstream>()

/**
 * The caller's terms with their `filter` narrowed to these experiments, or undefined when it
 * cannot be (this MLflow refuses the clause, or the caller's filter is no string, which MLflow
 * will refuse itself). MLflow's filter grammar has AND and no OR (utils/search_utils.py
 * SearchExperimentsUtils), so the clause can only narrow what the caller's filter selects.
 */
export function withExperimentIds(
  upstream: Upstream,
  terms: Readonly<Record<string, unknown>>,
  ids: readonly string[],
): Readonly<Record<string, unknown>> | undefined {
  if (refusing.has(upstream) || ids.length === 0) return undefined
  // Ids are numbers in MLflow's SQL store; nothing else goes into a filter string.
  if (ids.some((id) => !/^\d+$/.test(id))) return undefined
  const own = terms.filter ?? ''
  if (typeof own !== 'string') return undefined
  const clause = `experiment_id IN (${ids.map((id) => `'${id}'`).join(', ')})`
  return { ...terms, filter: own.trim() === '' ? clause : `${own} AND ${clause}` }
}

export function refusesExperimentIds(upstream: Upstream): void {
  refusing.add(upstream)
}
