/** `mlflow-gate token create|list|revoke`: API tokens, shown once at creation and stored only as a hash. */
import { createToken, listTokens, revokeToken } from '../storage/access/tokens.js'
import { STORE_OPTIONS, STORE_OPTIONS_HELP, withStore } from './access-store.js'
import type { Command, CommandGroup } from './index.js'
import { printJson, table, usageError, yesNo } from './output.js'

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 }

/** `30d`, `12h` or `90m` from now, as an ISO time; undefined when malformed. */
export function expiryFromDuration(text: string, now = Date.now()): string | undefined {
  const m = /^(\d+)([mhd])$/.exec(text)
  return m ? new Date(now + Number(m[1]) * UNITS[m[2]!]!).toISOString() : undefined
}

const create: Command = {
  summary: 'create an API token for a user (printed once)',
  usage:
    'Usage: mlflow-gate token create USER --name NAME [--read-only] [--expires-in 30d | --expires TIME] [options]',
  help: `Creates a token that signs in as USER: send it as 'Authorization: Bearer <token>', or as the
Basic password (MLFLOW_TRACKING_PASSWORD=<token>) so MLflow clients need no change. The token is
printed once and stored only as a hash; if it is lost, revoke it and create another. A read-only
token may only read, whatever the user may do.

Options:
      --name NAME        a name to recognise it by, unique per user (required)
      --read-only        the token may only read
      --expires-in DUR   expire after DUR: 90m, 12h, 30d
      --expires TIME     expire at an ISO 8601 time (2027-01-31 or 2027-01-31T12:00:00Z)
${STORE_OPTIONS_HELP}

Example:
  mlflow-gate token create ci-bot --name nightly --expires-in 90d -c mlflow-gate.yaml
  export MLFLOW_TRACKING_TOKEN=$(mlflow-gate token create alice --name laptop --json -c gate.yaml | jq -r .token)
`,
  options: {
    ...STORE_OPTIONS,
    name: { type: 'string' },
    'read-only': { type: 'boolean' },
    expires: { type: 'string' },
    'expires-in': { type: 'string' },
  },
  async run(values, positionals) {
    const [user] = positionals
    const name = values.name as string | undefined
    if (positionals.length !== 1 || !user)
      return usageError('token create', 'give one user name', this.usage)
    if (!name) return usageError('token create', '--name is required', this.usage)
    if (values.expires !== undefined && values['expires-in'] !== undefined)
      return usageError('token create', '--expires and --expires-in exclude each other', this.usage)
    let expiresAt = (values.expires as string | undefined) ?? null
    if (values['expires-in'] !== undefined) {
      expiresAt = expiryFromDuration(values['expires-in'] as string) ?? null
      if (!expiresAt)
        return usageError('token create', '--expires-in must look like 90m, 12h or 30d', this.usage)
    }
    return withStore('token create', values, async ({ access, json }) => {
      const { id, token } = await access.change((trx) =>
        createToken(trx, { user, name, readOnly: values['read-only'] === true, expiresAt }),
      )
      const row = (await listTokens(access.db, user)).find((t) => t.id === id)
      if (json) printJson({ ...row, token })
      else
        process.stdout.write(
          `Created token '${name}' for ${user}${row?.readOnly ? ' (read-only)' : ''}${row?.expiresAt ? `, expiring ${row.expiresAt}` : ''}.\n` +
            `It is shown only this once:\n\n${token}\n`,
        )
      return 0
    })
  },
}

const list: Command = {
  summary: 'list API tokens (never their secrets)',
  usage: 'Usage: mlflow-gate token list [--user NAME] [options]',
  help: `Lists tokens with their id (for 'token revoke'), owner, name, whether read-only, expiry and
when they were last used. The secrets cannot be shown: only their hashes are stored.

Options:
      --user NAME        only this user's tokens
${STORE_OPTIONS_HELP}

Example:
  mlflow-gate token list --user alice -c mlflow-gate.yaml
`,
  options: { ...STORE_OPTIONS, user: { type: 'string' } },
  async run(values) {
    return withStore('token list', values, async ({ access, json }) => {
      const tokens = await listTokens(access.db, values.user as string | undefined)
      if (json) printJson({ tokens })
      else
        process.stdout.write(
          table(
            ['id', 'user', 'name', 'read-only', 'expires', 'last used'],
            tokens.map((t) => [
              t.id,
              t.user,
              t.name,
              yesNo(t.readOnly),
              t.expiresAt ?? 'never',
              t.lastUsedAt ?? 'never',
            ]),
          ),
        )
      return 0
    })
  },
}

const revoke: Command = {
  summary: 'revoke API tokens by id',
  usage: 'Usage: mlflow-gate token revoke ID... [options]',
  help: `Revokes the tokens with these ids (see 'token list'), all or none. A running gateway refuses
them within storage.refresh_ms.

Options:
${STORE_OPTIONS_HELP}

Example:
  mlflow-gate token revoke 3f9c2a1b0d4e5f60 -c mlflow-gate.yaml
`,
  options: STORE_OPTIONS,
  async run(values, positionals) {
    if (positionals.length === 0)
      return usageError('token revoke', 'give one or more token ids', this.usage)
    return withStore('token revoke', values, async ({ access, json }) => {
      await access.change(async (trx) => {
        for (const id of positionals) await revokeToken(trx, id)
      })
      if (json) printJson({ revoked: positionals })
      else
        process.stdout.write(
          `Revoked ${positionals.length === 1 ? 'token' : 'tokens'} ${positionals.join(', ')}.\n`,
        )
      return 0
    })
  },
}

export const tokenGroup: CommandGroup = {
  summary: 'create, list and revoke API tokens',
  commands: { create, list, revoke },
}
