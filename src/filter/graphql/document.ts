/** Reads a GraphQL request as MLflow's `_graphql` handler does, and refuses what the gateway cannot analyse. */
import {
  getOperationAST,
  getVariableValues,
  Kind,
  parse,
  validate,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql'
import type { Message } from '../../classify/ids.js'
import { GatewayError } from '../../server/errors.js'
import { MLFLOW_SCHEMA } from './schema.js'

const bad = (why: string) => new GatewayError('GW_BAD_REQUEST', `GraphQL: ${why}`)

/**
 * Far above what MLflow's UI sends (its largest query is about 300 tokens), and low enough that
 * parsing and validating a hostile document stays cheap.
 */
const MAX_TOKENS = 5_000

/** The one operation MLflow will execute, with its variables coerced as graphql-core would. */
export type ReadRequest = {
  readonly document: DocumentNode
  readonly operation: OperationDefinitionNode
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>
  readonly variables: Readonly<Record<string, unknown>>
}

/**
 * MLflow reads `query`, `variables` and `operationName` from the JSON body only
 * (mlflow/server/handlers.py `_graphql`, `_get_request_json`), parses with graphql-core and
 * executes with graphene, which validates against the schema first. The gateway does the same
 * with graphql-js (the reference implementation graphql-core ports), so both read one document,
 * pick one operation and coerce the same variables. What MLflow would refuse, or could read
 * differently, is refused here with a 400.
 */
export function readRequest(message: Message): ReadRequest {
  const { query, variables, operationName } = message
  if (typeof query !== 'string') throw bad('the JSON body needs a "query" string')
  if (variables != null && (typeof variables !== 'object' || Array.isArray(variables)))
    throw bad('"variables" must be a JSON object')
  if (operationName != null && typeof operationName !== 'string')
    throw bad('"operationName" must be a string')
  const document = checkedDocument(query)
  const operation = getOperationAST(document, operationName as string | undefined)
  if (!operation) {
    throw bad(
      operationName == null
        ? 'a document with several operations needs "operationName"'
        : `no operation named '${operationName}'`,
    )
  }
  const coerced = getVariableValues(
    MLFLOW_SCHEMA,
    operation.variableDefinitions ?? [],
    (variables ?? {}) as Record<string, unknown>,
  )
  if (coerced.errors) throw bad(`bad variables (${coerced.errors[0]!.message})`)
  const fragments = new Map<string, FragmentDefinitionNode>()
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d)
  return { document, operation, fragments, variables: coerced.coerced }
}

/**
 * Validation is most of the work (about 1 ms for the UI's SearchRuns), and the UI sends the same
 * few query texts over and over with other variables: documents that passed are remembered by
 * their text. Validity depends on the text alone, and nothing here changes a document.
 */
const CHECKED = new Map<string, DocumentNode>()
const CACHE_ENTRIES = 256
const CACHE_MAX_QUERY_CHARS = 16_384

function checkedDocument(query: string): DocumentNode {
  const cached = CHECKED.get(query)
  if (cached) return cached
  let document: DocumentNode
  try {
    document = parse(query, { maxTokens: MAX_TOKENS })
  } catch (err) {
    throw bad(`the query does not parse (${(err as Error).message})`)
  }
  const invalid = validate(MLFLOW_SCHEMA, document)
  if (invalid.length > 0) throw bad(`the query is not valid for MLflow (${invalid[0]!.message})`)
  refuseEscapedStrings(document)
  if (query.length <= CACHE_MAX_QUERY_CHARS) {
    if (CHECKED.size >= CACHE_ENTRIES) CHECKED.delete(CHECKED.keys().next().value!)
    CHECKED.set(query, document)
  }
  return document
}

/**
 * String literals with escapes or block strings are where two parsers could read different ids
 * from one text; plain literals and JSON variables cannot differ, so only those are accepted.
 */
function refuseEscapedStrings(document: DocumentNode): void {
  visit(document, {
    StringValue(node) {
      const raw = node.loc ? node.loc.source.body.slice(node.loc.start, node.loc.end) : '\\'
      if (node.block || raw.includes('\\')) {
        throw bad('string literals with escapes or block strings are not accepted; use variables')
      }
    },
  })
}

/**
 * The field nodes of a selection set, through inline fragments and fragment spreads (each
 * fragment once, as graphql-js `collectFields` does). `@skip`/`@include` are ignored on purpose:
 * a field that might run is decided as if it runs. `budget` bounds the work a hostile document can
 * cause; the document is validated, so every spread names a fragment and none is cyclic.
 */
export function collectFields(
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  budget: Budget,
  out: FieldNode[] = [],
  seen = new Set<string>(),
): FieldNode[] {
  for (const s of selectionSet.selections) {
    budget.spend()
    if (s.kind === Kind.FIELD) out.push(s)
    else if (s.kind === Kind.INLINE_FRAGMENT)
      collectFields(s.selectionSet, fragments, budget, out, seen)
    else if (!seen.has(s.name.value)) {
      seen.add(s.name.value)
      collectFields(fragments.get(s.name.value)!.selectionSet, fragments, budget, out, seen)
    }
  }
  return out
}

/**
 * MLflow refuses documents with more than 1000 selections (graphql_no_batching.py
 * `_MAX_SELECTIONS`); the gateway's walk stops well above that.
 */
export class Budget {
  private left: number
  constructor(max = 10_000) {
    this.left = max
  }
  spend(): void {
    if (--this.left < 0) throw bad('the query has too many selections to analyse')
  }
}
