/** The config schema: the type, default and documentation of every setting, in one place. */
import { z } from 'zod'
import { accessSchema } from './access-schema.js'

const ms = (def: number, what: string) => z.number().int().min(0).default(def).describe(what)

/** Why an upstream URL is unusable, or undefined when it is fine. */
function upstreamUrlProblem(value: string): string | undefined {
  if (!URL.canParse(value)) return 'must be a URL such as http://127.0.0.1:5000'
  const url = new URL(value)
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return 'must be an http:// or https:// URL'
  if (url.search || url.hash) return 'must not have a query or fragment'
  if (url.username || url.password) return 'must not carry credentials'
  return undefined
}

const httpUrl = z.string().superRefine((value, ctx) => {
  const problem = upstreamUrlProblem(value)
  if (problem) ctx.addIssue({ code: 'custom', message: problem })
})

const listen = z
  .strictObject({
    host: z.string().min(1).default('127.0.0.1').describe('Address to listen on.'),
    port: z
      .number()
      .int()
      .min(0)
      .max(65535)
      .default(8080)
      .describe('TCP port; 0 picks a free one.'),
    headers_timeout_ms: ms(20_000, 'Time a client has to send all request headers (slowloris).'),
    idle_timeout_ms: ms(
      120_000,
      'A client connection that sends and receives nothing for this long is closed; 0 disables.',
    ),
    keep_alive_timeout_ms: ms(5_000, 'How long an idle keep-alive client connection is kept.'),
    public_url: httpUrl
      .optional()
      .describe(
        'The URL people use to reach the gateway (e.g. https://mlflow.example.com) when a proxy in front terminates TLS. With https, session cookies are Secure and named __Host-; state-changing browser requests must come from this origin.',
      ),
  })
  .prefault({})
  .describe('Where the gateway accepts connections.')

const upstream = z
  .strictObject({
    url: httpUrl
      .default('http://127.0.0.1:5000')
      .describe('Base URL of the MLflow tracking server. Env: MLFLOW_GATE_UPSTREAM_URL.'),
    host_header: z
      .string()
      .min(1)
      .optional()
      .describe(
        "Host header sent to MLflow. Default: the host of `url`, which MLflow's --allowed-hosts check accepts for loopback and private addresses.",
      ),
    max_connections: z
      .number()
      .int()
      .min(1)
      .default(64)
      .describe('Most keep-alive connections held open to MLflow.'),
    connect_timeout_ms: ms(5_000, 'Time to open a TCP connection to MLflow (then 504).'),
    headers_timeout_ms: ms(60_000, 'Time MLflow has to send response headers (then 504).'),
    body_idle_timeout_ms: ms(
      120_000,
      'Longest pause inside a response body from MLflow before the transfer is aborted; 0 disables.',
    ),
  })
  .prefault({})
  .describe('The MLflow server the gateway protects.')

const storage = z
  .strictObject({
    url: z
      .string()
      .regex(/^(sqlite:|postgres:\/\/|postgresql:\/\/)/, 'must start with sqlite: or postgres://')
      .default('sqlite:./mlflow-gate.db')
      .describe(
        'Where the gateway keeps its own state: `sqlite:PATH` (relative to the config file; `sqlite::memory:` for tests) or a `postgres://` URL. Env: MLFLOW_GATE_STORAGE_URL.',
      ),
    refresh_ms: z
      .number()
      .int()
      .min(100)
      .default(2_000)
      .describe(
        'How often the gateway looks for access changes made by another process (the CLI, another replica). Its own changes apply at once.',
      ),
  })
  .prefault({})
  .describe("The gateway's own database.")

const limits = z
  .strictObject({
    max_json_body_bytes: z
      .number()
      .int()
      .min(1024)
      .default(4 * 1024 * 1024)
      .describe(
        'Largest JSON request body the gateway reads to find the resource (then 413). Artifact uploads are streamed and not limited by this.',
      ),
    max_search_response_bytes: z
      .number()
      .int()
      .min(64 * 1024)
      .default(32 * 1024 * 1024)
      .describe(
        'Most bytes the gateway reads from MLflow to answer one filtered search or list, all its MLflow pages together. An MLflow page larger than this is refused (400 GW_SEARCH_TOO_LARGE), never passed on unfiltered; a page that would pass the total ends the answer early with a next_page_token.',
      ),
    max_graphql_response_bytes: z
      .number()
      .int()
      .min(1024)
      .default(64 * 1024 * 1024)
      .describe(
        'Largest GraphQL answer the gateway reads into memory to remove model versions the caller may not read (then 502 GW_ANSWER_TOO_LARGE). Admins and queries without model versions are streamed and not limited by this.',
      ),
  })
  .prefault({})

const log = z
  .strictObject({
    level: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info')
      .describe('Operational log level (audit lines are always written).'),
  })
  .prefault({})

const sessions = z
  .strictObject({
    idle_minutes: z
      .number()
      .int()
      .min(1)
      .default(8 * 60)
      .describe('A browser session unused this long ends.'),
    absolute_hours: z
      .number()
      .int()
      .min(1)
      .default(7 * 24)
      .describe('A browser session ends this long after sign-in, used or not.'),
  })
  .prefault({})
  .describe(
    'Browser sign-in sessions (server-side; ended by sign-out, password change, disabling).',
  )

const throttle = z
  .strictObject({
    free_failures: z
      .number()
      .int()
      .min(1)
      .default(5)
      .describe(
        'Failed sign-ins (login page, Basic, Bearer) allowed per account and client address before each further attempt must wait.',
      ),
    max_wait_seconds: z
      .number()
      .int()
      .min(1)
      .default(900)
      .describe('The longest wait one client address can be made to keep (doubling from 1 s).'),
    account_max_wait_seconds: z
      .number()
      .int()
      .min(1)
      .default(30)
      .describe(
        'The longest wait failures from anywhere can impose on one account, so a stranger cannot lock a real user out for long.',
      ),
  })
  .prefault({})
  .describe('Slowing down password and token guessing (answers 429 with Retry-After).')

const audit = z
  .strictObject({
    stdout: z.boolean().default(true).describe('Write one JSON line per request to stdout.'),
    store: z
      .boolean()
      .default(true)
      .describe(
        'Keep audit events in the storage database, for the admin API and pages (written in batches).',
      ),
  })
  .prefault({})
  .describe('Where the record of every decision goes.')

export const configSchema = z
  .strictObject({
    version: z.literal(1).default(1).describe('Config format version.'),
    listen,
    upstream,
    storage,
    limits,
    log,
    audit,
    sessions,
    throttle,
    access: accessSchema,
  })
  .describe('mlflow-gate configuration')

/** The validated, frozen configuration every module reads. */
export type Config = z.output<typeof configSchema>
/** What a user may write in the YAML file (every field optional where it has a default). */
export type ConfigInput = z.input<typeof configSchema>
