/** analyse(): what a GraphQL request names (decided before MLflow sees it) and what its answer must lose. */
import { getArgumentValues, type GraphQLObjectType } from 'graphql'
import type { Message } from '../../classify/ids.js'
import { GatewayError } from '../../server/errors.js'
import { Budget, collectFields, readRequest } from './document.js'
import { ROOT_FIELDS, type Named } from './fields.js'
import { planFor, type Plan } from './plan.js'
import { MLFLOW_SCHEMA } from './schema.js'

export type Analysis = {
  /** Every experiment and run the executed operation's root fields name, once each. */
  readonly named: readonly Named[]
  /** Where model versions sit in the answer; undefined when the answer holds none. */
  readonly plan: Plan | undefined
}

const bad = (why: string) => new GatewayError('GW_BAD_REQUEST', `GraphQL: ${why}`)

/**
 * Introspection (`__schema`, `__type`, `__typename`) answers with MLflow's schema, which is
 * public (it is MLflow's source); it reads no tracking data, so it is allowed.
 */
const INTROSPECTION = new Set(['__schema', '__type', '__typename'])

export function analyse(message: Message): Analysis {
  const { operation, fragments, variables } = readRequest(message)
  const kind = operation.operation
  const root: GraphQLObjectType | null | undefined =
    kind === 'query' ? MLFLOW_SCHEMA.getQueryType() : MLFLOW_SCHEMA.getMutationType()
  const table = kind === 'query' || kind === 'mutation' ? ROOT_FIELDS[kind] : undefined
  if (!root || !table) throw bad(`${kind} operations are not served by MLflow`)
  const budget = new Budget()
  const fields = collectFields(operation.selectionSet, fragments, budget)
  const named = new Map<string, Named>()
  for (const node of fields) {
    const name = node.name.value
    if (INTROSPECTION.has(name)) continue
    const names = table[name]
    if (!names) throw bad(`the gateway does not know what ${kind} field '${name}' reads`)
    let args: Record<string, unknown>
    try {
      args = getArgumentValues(root.getFields()[name]!, node, variables)
    } catch (err) {
      throw bad(`bad arguments for '${name}' (${(err as Error).message})`)
    }
    for (const n of names(args.input as Record<string, unknown> | null | undefined)) {
      named.set(`${n.kind}\u0000${n.id}`, n)
    }
  }
  return { named: [...named.values()], plan: planFor(fields, root, fragments, budget) }
}
