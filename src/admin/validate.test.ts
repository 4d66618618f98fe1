import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { route } from './route.js'
import { InvalidInput, readInput } from './validate.js'

const spec = route({
  id: 'test',
  method: 'POST',
  path: '/things/:id',
  tag: 't',
  summary: 't',
  access: 'admin',
  params: z.strictObject({ id: z.string().regex(/^\d+$/, 'must be a number') }),
  query: z.strictObject({ dry: z.enum(['true', 'false']).optional() }),
  body: z.strictObject({
    name: z.string(),
    kind: z.enum(['a', 'b']),
    tags: z.array(z.string()).optional(),
    nested: z.strictObject({ n: z.number() }).optional(),
  }),
  handler: async () => undefined,
})

function problems(raw: { params?: unknown; query?: unknown; body?: unknown }) {
  try {
    readInput(spec, { params: raw.params ?? { id: '1' }, query: raw.query ?? {}, body: raw.body })
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidInput)
    return (err as InvalidInput).problems
  }
  return []
}

describe('readInput', () => {
  it('returns the parsed input when everything is valid', () => {
    const input = readInput(spec, {
      params: { id: '7' },
      query: { dry: 'true' },
      body: { name: 'x', kind: 'a' },
    })
    expect(input).toEqual({
      params: { id: '7' },
      query: { dry: 'true' },
      body: { name: 'x', kind: 'a' },
    })
  })

  it('lists every problem of path, query and body, each with its field', () => {
    expect(
      problems({
        params: { id: 'x' },
        query: { dry: 'maybe', other: '1' },
        body: { kind: 'c', tags: ['ok', 3], nested: { n: 'one' }, extra: true },
      }),
    ).toEqual([
      { field: 'path.id', message: 'must be a number' },
      { field: 'query.dry', message: 'must be one of true, false' },
      { field: 'query.other', message: 'unknown field' },
      { field: 'body.name', message: 'is required' },
      { field: 'body.kind', message: 'must be one of a, b' },
      { field: 'body.tags.1', message: 'must be a string' },
      { field: 'body.nested.n', message: 'must be a number' },
      { field: 'body.extra', message: 'unknown field' },
    ])
  })

  it('asks for a JSON object when the body is missing or not an object', () => {
    expect(problems({})).toEqual([{ field: 'body', message: 'a JSON object is required' }])
    expect(problems({ body: 'text' })).toEqual([{ field: 'body', message: 'must be an object' }])
    expect(problems({ body: [] })).toEqual([{ field: 'body', message: 'must be an object' }])
  })

  it('puts every problem in the message too', () => {
    try {
      readInput(spec, { params: { id: '1' }, query: {}, body: { kind: 'a' } })
      expect.unreachable()
    } catch (err) {
      expect((err as InvalidInput).message).toBe('invalid request: body.name: is required')
      expect((err as InvalidInput).code).toBe('GW_INVALID_PARAMETER')
    }
  })

  it('refuses a body on a route that takes none, and query parameters it does not know', () => {
    const get = route({
      id: 'g',
      method: 'GET',
      path: '/g',
      tag: 't',
      summary: 't',
      access: 'self',
      handler: async () => undefined,
    })
    expect(() => readInput(get, { params: {}, query: { a: '1' }, body: {} })).toThrow(
      'invalid request: query.a: unknown field; body: this route takes no body',
    )
  })
})
