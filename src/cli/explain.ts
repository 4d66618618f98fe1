/** `mlflow-gate explain`: shows the decision and its reasons for a request, without forwarding it. */
import type { IncomingMessage } from 'node:http'
import { Readable } from 'node:stream'
import { authorize } from '../authorize/index.js'
import { loadOwners } from '../authorize/owners.js'
import { compilePolicy } from '../authorize/policy.js'
import { createResolver } from '../authorize/resolve.js'
import { classify } from '../classify/index.js'
import { compileCatalogue } from '../classify/match.js'
import { CATALOGUE } from '../classify/rows/index.js'
import { configOrReport } from './config-or-report.js'
import { decideGraphql, isGraphql } from '../filter/graphql/index.js'
import { createUpstream } from '../forward/upstream.js'
import { ANONYMOUS, type Principal } from '../identify/principal.js'
import { GatewayError } from '../server/errors.js'
import { openStore } from '../storage/open.js'
import type { Command } from './index.js'

export const explainCommand: Command = {
  summary: 'show whether a user may make a request, and why, without sending it',
  usage: 'Usage: mlflow-gate explain [--config FILE] [--user NAME] METHOD PATH [--body JSON]',
  help: `Classifies the request with the endpoint catalogue and decides it with the config's grants,
exactly as 'serve' would, then prints the route, the resource and the reasons. The request itself
is never sent to MLflow; MLflow is only asked which experiment a run, trace or logged model belongs
to, when the decision needs it. Exit code: 0 allowed, 1 denied or undecidable, 2 usage error.

Options:
  -c, --config FILE  the YAML config (default: built-in defaults plus environment)
  -u, --user NAME    decide as this configured user (default: an anonymous visitor)
  -b, --body JSON    the JSON request body

Examples:
  mlflow-gate explain -c gate.yaml GET '/api/2.0/mlflow/experiments/get?experiment_id=12'
  mlflow-gate explain -c gate.yaml -u alice POST /api/2.0/mlflow/runs/log-metric \\
    --body '{"run_id": "6b2f...", "key": "loss", "value": 0.1, "timestamp": 0}'
`,
  options: {
    config: { type: 'string', short: 'c' },
    user: { type: 'string', short: 'u' },
    body: { type: 'string', short: 'b' },
  },
  async run(values, positionals) {
    const [method, path] = positionals
    if (!method || !path || positionals.length > 2) {
      process.stderr.write(`${this.usage}\n`)
      return 2
    }
    const config = configOrReport(values.config as string | undefined)
    if (!config) return 1
    const policy = compilePolicy(config.access)
    const principal = principalFor(values.user as string | undefined, policy.users)
    if (!principal) {
      process.stderr.write(`mlflow-gate explain: no user named '${values.user}' in access.users\n`)
      return 2
    }
    const upstream = createUpstream(config.upstream)
    const store = await openStore(config.storage.url)
    try {
      const req = fakeRequest(method.toUpperCase(), path, values.body as string | undefined)
      const op = await classify(req, {
        catalogue: compileCatalogue(CATALOGUE),
        maxJsonBodyBytes: config.limits.max_json_body_bytes,
      })
      const deps = { policy, resolver: createResolver(upstream), owners: await loadOwners(store) }
      let decision = await authorize(principal, op, deps)
      // GraphQL is decided on what the query names, as `serve` does in filter/graphql/.
      if (decision.allow && isGraphql(op, principal))
        ({ decision } = await decideGraphql(principal, op, decision, deps))
      const out = [
        `${decision.allow ? 'ALLOW' : 'DENY'}  ${method.toUpperCase()} ${op.path}`,
        `  caller:   ${principal.kind === 'user' ? `${principal.name}${principal.admin ? ' (admin)' : ''}` : 'anonymous'}`,
        `  route:    ${op.row ? `${op.row.method} ${op.row.path}  [${op.row.action}]  (${op.row.source})` : 'not in the catalogue'}`,
        ...(op.ids ? [`  resource: ${op.ids.kind} ${op.ids.values.join(', ')}`] : []),
        ...decision.reasons.map((r) => `  reason:   ${r.code}: ${r.message}`),
      ]
      process.stdout.write(`${out.join('\n')}\n`)
      return decision.allow ? 0 : 1
    } catch (err) {
      if (!(err instanceof GatewayError)) throw err
      process.stdout.write(
        `${err.status === 400 ? 'REFUSED' : 'CANNOT DECIDE'}  ${err.code}: ${err.message}\n`,
      )
      return 1
    } finally {
      await Promise.all([upstream.close(), store.close()])
    }
  },
}

function principalFor(
  name: string | undefined,
  users: ReturnType<typeof compilePolicy>['users'],
): Principal | undefined {
  if (name === undefined) return ANONYMOUS
  const user = users.get(name.toLowerCase())
  return (
    user && { kind: 'user', name: user.name, groups: user.groups, admin: user.admin, via: 'basic' }
  )
}

/** The request classify() would see, built from the command line. */
function fakeRequest(method: string, url: string, body: string | undefined): IncomingMessage {
  const headers: Record<string, string> =
    body === undefined
      ? {}
      : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }
  return Object.assign(Readable.from(body === undefined ? [] : [Buffer.from(body)]), {
    method,
    url,
    headers,
    rawHeaders: Object.entries(headers).flat(),
  }) as unknown as IncomingMessage
}
