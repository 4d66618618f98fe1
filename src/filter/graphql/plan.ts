/** Where guarded objects (model versions) sit in a GraphQL answer, and trimming them from it. */
import {
  getNamedType,
  isObjectType,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
} from 'graphql'
import { GatewayError } from '../../server/errors.js'
import { Budget, collectFields } from './document.js'
import { GUARDED_TYPES } from './fields.js'

/**
 * A path through the answer by response keys (aliases included). `nameKeys` marks a guarded
 * object: the response keys that hold its registered model's name.
 */
export type Plan = {
  readonly children: Map<string, Plan>
  nameKeys?: Set<string>
}

/**
 * Follows the query's selections the way the executor builds the answer: one response key per
 * alias or field name, the sub-selections of every field node with that key merged (validation
 * guarantees they are the same field). Returns undefined when the answer holds nothing guarded.
 */
export function planFor(
  fields: readonly FieldNode[],
  parent: GraphQLObjectType,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  budget: Budget,
): Plan | undefined {
  const plan: Plan = { children: new Map() }
  for (const node of fields) {
    const name = node.name.value
    if (name.startsWith('__') || !node.selectionSet) continue
    const type = getNamedType(parent.getFields()[name]!.type)
    if (!isObjectType(type)) continue
    const key = node.alias?.value ?? name
    const inner = collectFields(node.selectionSet, fragments, budget)
    const guard = GUARDED_TYPES[type.name]
    const child = guard ? guardedPlan(inner, guard.nameField, type.name) : undefined
    const nested = planFor(inner, type, fragments, budget)
    if (child || nested) merge(plan, key, child, nested)
  }
  return plan.children.size > 0 ? plan : undefined
}

/** A guarded object can only be judged on its name, so the query must select it. */
function guardedPlan(inner: readonly FieldNode[], nameField: string, typeName: string): Plan {
  const nameKeys = new Set(
    inner.filter((f) => f.name.value === nameField).map((f) => f.alias?.value ?? nameField),
  )
  if (nameKeys.size === 0) {
    throw new GatewayError(
      'GW_BAD_REQUEST',
      `GraphQL: select \`${nameField}\` in every ${typeName} selection, so the gateway can keep only the ones you may read`,
    )
  }
  return { children: new Map(), nameKeys }
}

function merge(plan: Plan, key: string, ...parts: (Plan | undefined)[]): void {
  let into = plan.children.get(key)
  if (!into) plan.children.set(key, (into = { children: new Map() }))
  for (const part of parts) {
    if (!part) continue
    if (part.nameKeys) into.nameKeys = new Set([...(into.nameKeys ?? []), ...part.nameKeys])
    for (const [k, child] of part.children) merge(into, k, child)
  }
}

/**
 * Removes, in place, every guarded object the caller may not read: dropped from a list, or
 * replaced by null. An object whose name is missing (a skipped field, a null) is not readable.
 */
export function trimAnswer(
  value: unknown,
  plan: Plan,
  mayRead: (name: string) => boolean,
): unknown {
  if (Array.isArray(value)) {
    const kept: unknown[] = []
    for (const item of value) {
      if (plan.nameKeys && !Array.isArray(item) && !readable(item, plan.nameKeys, mayRead)) continue
      kept.push(trimAnswer(item, plan, mayRead))
    }
    return kept
  }
  if (value === null || typeof value !== 'object') return plan.nameKeys ? null : value
  if (plan.nameKeys && !readable(value, plan.nameKeys, mayRead)) return null
  const object = value as Record<string, unknown>
  for (const [key, child] of plan.children) {
    if (key in object) object[key] = trimAnswer(object[key], child, mayRead)
  }
  return object
}

function readable(
  item: unknown,
  nameKeys: ReadonlySet<string>,
  mayRead: (name: string) => boolean,
): boolean {
  if (item === null || typeof item !== 'object') return false
  for (const key of nameKeys) {
    const name = (item as Record<string, unknown>)[key]
    if (typeof name === 'string' && name !== '') return mayRead(name)
  }
  return false
}
