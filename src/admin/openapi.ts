/** The OpenAPI 3.1 description of the admin API, generated from the same zod schemas that validate its requests. */
import { z } from 'zod'
import { ERRORS } from '../server/errors.js'
import { PREFIX, type AnyRoute } from './route.js'
import { errorBody } from './schemas.js'

export const OPENAPI_PATH = '/openapi.json'

type JsonSchema = Record<string, unknown>

/** OpenAPI 3.1 uses JSON Schema 2020-12 as is; request shapes are what the client sends. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, {
    io,
    target: 'draft-2020-12',
    unrepresentable: 'any',
  }) as JsonSchema
  return rest
}

const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid input: every problem is listed in `problems`',
  401: 'Not signed in, or wrong credentials',
  403: 'Signed in but not allowed (not an admin, or a read-only token)',
  404: 'No such object',
  409: 'Exists already, or managed by the config file, or would lock you out',
}

function parameters(route: AnyRoute): object[] {
  const out: object[] = []
  for (const [where, schema] of [
    ['path', route.params],
    ['query', route.query],
  ] as const) {
    if (!(schema instanceof z.ZodObject)) continue
    for (const [name, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      const s = jsonSchema(field, 'input')
      out.push({
        name,
        in: where,
        required: where === 'path' || !field.safeParse(undefined).success,
        ...(typeof s.description === 'string' && { description: s.description }),
        schema: s,
      })
    }
  }
  return out
}

function operation(route: AnyRoute): object {
  const status = route.status ?? 200
  const errors = [400, 401, 403, ...(route.errors ?? [])]
  return {
    operationId: route.id,
    summary: route.summary,
    ...(route.description && { description: route.description }),
    tags: [route.tag],
    parameters: parameters(route),
    ...(route.body && {
      requestBody: {
        required: true,
        content: { 'application/json': { schema: jsonSchema(route.body, 'input') } },
      },
    }),
    responses: {
      [status]: {
        description: status === 204 ? 'Done' : status === 201 ? 'Created' : 'OK',
        ...(route.response && {
          content: { 'application/json': { schema: jsonSchema(route.response, 'output') } },
        }),
      },
      ...Object.fromEntries(
        errors.map((code) => [code, { $ref: `#/components/responses/E${code}` }]),
      ),
    },
  }
}

export function openApiDocument(routes: readonly AnyRoute[]): object {
  const paths: Record<string, Record<string, object>> = {}
  for (const route of routes) {
    const path = PREFIX + route.path.replace(/:(\w+)/g, '{$1}')
    ;(paths[path] ??= {})[route.method.toLowerCase()] = operation(route)
  }
  paths[PREFIX + OPENAPI_PATH] = {
    get: {
      operationId: 'openApi',
      summary: 'This description (no sign-in needed)',
      tags: ['meta'],
      security: [],
      responses: { 200: { description: 'OpenAPI 3.1 document' } },
    },
  }
  const errorCodes = Object.keys(ERRORS)
  return {
    openapi: '3.1.0',
    info: {
      title: 'mlflow-gate admin API',
      version: '1',
      description:
        'Users, groups, grants, create rights, API tokens and audit events of mlflow-gate. ' +
        'Sign in as with MLflow: HTTP Basic (a password, or an API token as the password), or ' +
        'Bearer with an API token. Admins may use every route; other users only /me routes. ' +
        "Errors use MLflow's JSON shape.",
    },
    servers: [{ url: '/' }],
    security: [{ basic: [] }, { bearer: [] }],
    tags: [...new Set(routes.map((r) => r.tag)), 'meta'].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        basic: { type: 'http', scheme: 'basic', description: 'Password or API token' },
        bearer: { type: 'http', scheme: 'bearer', description: 'API token (mlgt_...)' },
      },
      schemas: {
        Error: {
          ...jsonSchema(errorBody, 'output'),
          'x-gateway-codes': errorCodes,
        },
      },
      responses: Object.fromEntries(
        Object.entries(ERROR_TEXT).map(([code, description]) => [
          `E${code}`,
          {
            description,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
          },
        ]),
      ),
    },
  }
}
