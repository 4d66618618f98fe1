/** Reads a request's path parameters, query and body with the route's zod schemas, listing every problem at once. */
import { z } from 'zod'
import { GatewayError } from '../server/errors.js'
import type { AnyRoute } from './route.js'

export type Problem = { readonly field: string; readonly message: string }

/** Invalid input: a 400 whose body also lists each problem with the field it concerns. */
export class InvalidInput extends GatewayError {
  readonly problems: readonly Problem[]

  constructor(problems: readonly Problem[]) {
    super(
      'GW_INVALID_PARAMETER',
      `invalid request: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`,
    )
    this.problems = problems
  }
}

/** Query and body are strict: with no schema, none may be given. */
const NOTHING = z.strictObject({})

type Input = { params: unknown; query: unknown; body: unknown }

export function readInput(spec: AnyRoute, raw: Input): Input {
  const problems: Problem[] = []
  const params = read('path', spec.params ?? NOTHING, raw.params ?? {}, problems)
  const query = read('query', spec.query ?? NOTHING, raw.query ?? {}, problems)
  let body: unknown
  if (spec.body) body = read('body', spec.body, raw.body, problems)
  else if (raw.body !== undefined)
    problems.push({ field: 'body', message: 'this route takes no body' })
  if (problems.length > 0) throw new InvalidInput(problems)
  return { params, query, body }
}

function read(where: string, schema: z.ZodType, value: unknown, problems: Problem[]): unknown {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  for (const issue of result.error.issues) problems.push(...describe(where, issue, value))
  return undefined
}

function describe(where: string, issue: z.core.$ZodIssue, value: unknown): Problem[] {
  const field = [where, ...issue.path.map(String)].join('.')
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ field: `${field}.${key}`, message: 'unknown field' }))
  }
  if (issue.code === 'invalid_type' || issue.code === 'invalid_value') {
    if (valueAt(value, issue.path) === undefined) {
      const required = issue.path.length === 0 ? 'a JSON object is required' : 'is required'
      return [{ field, message: required }]
    }
    if (issue.code === 'invalid_value')
      return [{ field, message: `must be one of ${issue.values.map(String).join(', ')}` }]
    return [{ field, message: `must be ${article(issue.expected)}` }]
  }
  return [{ field, message: issue.message }]
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined
    v = (v as Record<PropertyKey, unknown>)[key]
  }
  return v
}

const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`)
