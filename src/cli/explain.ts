/** `mlflow-gate explain`: shows the decision and its reasons for a request, without forwarding it. */
import { loadOwners } from '../authorize/owners.js'
import { explainRequest } from '../authorize/explain.js'
import { compileSnapshot, settingsOf, type Policy } from '../authorize/policy.js'
import { desiredAccess } from '../config/desired.js'
import type { Config } from '../config/schema.js'
import { previewSnapshot } from '../storage/access/apply.js'
import { accessStore, type AccessStore } from '../storage/access/index.js'
import { createResolver } from '../authorize/resolve.js'
import { compileCatalogue } from '../classify/match.js'
import { CATALOGUE } from '../classify/rows/index.js'
import { configOrReport } from './config-or-report.js'
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
    const store = await openStore(config.storage.url)
    const upstream = createUpstream(config.upstream)
    try {
      const policy = await effectivePolicy(accessStore(store), config)
      const principal = principalFor(values.user as string | undefined, policy.users)
      if (!principal) {
        process.stderr.write(`mlflow-gate explain: no user named '${values.user}'\n`)
        return 2
      }
      const { operation: op, decision } = await explainRequest(
        principal,
        { method, url: path, ...(values.body !== undefined && { body: values.body as string }) },
        {
          catalogue: compileCatalogue(CATALOGUE),
          maxJsonBodyBytes: config.limits.max_json_body_bytes,
          policy,
          resolver: createResolver(upstream),
          owners: await loadOwners(store),
        },
      )
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

/**
 * The policy the gateway would decide with: the store as it is, with the config file applied on
 * top when the gateway applies it at start (previewed in a transaction that is rolled back).
 */
async function effectivePolicy(access: AccessStore, config: Config): Promise<Policy> {
  const snapshot = config.access.apply_on_start
    ? await previewSnapshot(access, desiredAccess(config.access))
    : await access.snapshot()
  return compileSnapshot(snapshot, settingsOf(config.access))
}

function principalFor(name: string | undefined, users: Policy['users']): Principal | undefined {
  if (name === undefined) return ANONYMOUS
  const user = users.get(name.toLowerCase())
  return (
    user && { kind: 'user', name: user.name, groups: user.groups, admin: user.admin, via: 'basic' }
  )
}
