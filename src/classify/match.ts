/** Compiles the catalogue rows once into a matcher from (method, decoded path) to a row and its path parameters. */
import type { Method, Row } from './row.js'

export type Match = { readonly row: Row; readonly params: Readonly<Record<string, string>> }
export type Matcher = (method: string, path: string) => Match | undefined

type Compiled = {
  readonly row: Row
  readonly regex: RegExp
  readonly names: readonly string[]
  readonly score: number
}

const PARAM = /\{([A-Za-z_][A-Za-z0-9_]*)(:path)?\}/g
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * `{name}` matches within one segment (it may sit beside literal text, as in Starlette's
 * `{endpoint_name}:generateContent`); `{name:path}` matches one or more segments (Flask
 * `<path:x>`, Starlette `{x:path}`). The score ranks literal segments above parameters.
 */
function compileTemplate(row: Row): Compiled {
  const names: string[] = []
  let score = 0
  const source = row.path
    .split('/')
    .map((segment) => {
      let out = ''
      let last = 0
      for (const m of segment.matchAll(PARAM)) {
        out += escape(segment.slice(last, m.index)) + (m[2] ? '(.+)' : '([^/]+)')
        names.push(m[1]!)
        last = m.index + m[0].length
      }
      const literal = segment.slice(last)
      if (/[{}]/.test(literal))
        throw new TypeError(`catalogue: bad template segment '${segment}' in ${row.path}`)
      out += escape(literal)
      score +=
        out === escape(segment)
          ? 3
          : segment.includes(':path}')
            ? 0
            : segment.startsWith('{') && segment.endsWith('}')
              ? 1
              : 2
      return out
    })
    .join('/')
  return { row, regex: new RegExp(`^${source}$`), names, score }
}

/**
 * Exact paths are a map lookup; templates are tried most specific first (more literal segments,
 * then one-segment parameters before `:path` ones), so `/traces/{id}/tags` wins over `/traces/{id}`.
 * HEAD is decided as GET: it reads the same thing (security.md 2.4).
 */
export function compileCatalogue(rows: readonly Row[]): Matcher {
  const exact = new Map<string, Row>()
  const templates = new Map<Method, Compiled[]>()
  for (const row of rows) {
    const key = `${row.method} ${row.path}`
    if (!row.path.includes('{')) {
      if (exact.has(key)) throw new TypeError(`catalogue: duplicate row ${key}`)
      exact.set(key, row)
      continue
    }
    const list = templates.get(row.method) ?? []
    list.push(compileTemplate(row))
    templates.set(row.method, list)
  }
  for (const list of templates.values()) list.sort((a, b) => b.score - a.score)

  return function match(method: string, path: string): Match | undefined {
    const m = method === 'HEAD' ? 'GET' : method
    const row = exact.get(`${m} ${path}`)
    if (row) return { row, params: {} }
    for (const c of templates.get(m as Method) ?? []) {
      const found = c.regex.exec(path)
      if (found)
        return { row: c.row, params: Object.fromEntries(c.names.map((n, i) => [n, found[i + 1]!])) }
    }
    return undefined
  }
}
