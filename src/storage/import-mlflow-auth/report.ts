/** The import's report for people (counts, one line per user and group, what was skipped) and for scripts. */
import type { ImportAction } from './apply.js'
import type { ImportGrant, ImportItems } from './map.js'

export type ImportSummary = {
  users: { add: number; present: number }
  groups: { add: number; present: number }
  members: { add: number }
  grants: { add: number; update: number; present: number }
  skippedRows: number
}

export function summarize(items: ImportItems, actions: readonly ImportAction[]): ImportSummary {
  const n = (op: ImportAction['op']) => actions.filter((a) => a.op === op).length
  return {
    users: { add: n('add-user'), present: n('keep-user') },
    groups: { add: n('add-group'), present: n('keep-group') },
    members: { add: n('add-member') },
    grants: { add: n('add-grant'), update: n('update-grant'), present: n('keep-grant') },
    skippedRows: items.skipped.reduce((sum, s) => sum + s.rows, 0),
  }
}

export const describeGrant = (
  g: Pick<ImportGrant, 'permission' | 'resource' | 'pattern' | 'deny'>,
) =>
  `${g.deny ? 'deny ' : ''}${g.permission} ${g.resource} ${g.pattern === '*' ? "'*'" : g.pattern}`

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`
const MAX_GRANTS_SHOWN = 6

/** The text report: what a dry run would do, or what --apply did. */
export function formatReport(
  source: string,
  items: ImportItems,
  actions: readonly ImportAction[],
  applied: boolean,
): string {
  const s = summarize(items, actions)
  const lines = [
    `MLflow auth database: ${source}`,
    `  schema ${items.version ?? '(no alembic_version_auth)'}; permissions read from the ${items.mode === 'roles' ? 'role tables (roles, role_permissions, user_role_assignments)' : 'classic tables (experiment_permissions, registered_model_permissions, workspace_permissions)'}`,
    '',
    applied ? 'Imported:' : 'Would import (dry run: nothing written; add --apply to write):',
    `  users        ${s.users.add} new, ${s.users.present} already present (left unchanged)`,
    `  groups       ${s.groups.add} new, ${s.groups.present} already present (from MLflow roles)`,
    `  memberships  ${s.members.add} new`,
    `  grants       ${s.grants.add} new, ${s.grants.update} changed, ${s.grants.present} already present`,
  ]
  const grantsTo = new Map<string, ImportAction[]>()
  for (const a of actions)
    if (a.op === 'add-grant' || a.op === 'update-grant' || a.op === 'keep-grant') {
      const key = a.grant.to.toLowerCase()
      grantsTo.set(key, [...(grantsTo.get(key) ?? []), a])
    }
  const grantList = (to: string) => {
    const list = grantsTo.get(to.toLowerCase()) ?? []
    if (list.length === 0) return 'no grants'
    const shown = list.slice(0, MAX_GRANTS_SHOWN).map(grantText)
    const more =
      list.length > MAX_GRANTS_SHOWN ? `, and ${list.length - MAX_GRANTS_SHOWN} more` : ''
    return `${plural(list.length, 'grant')}: ${shown.join(', ')}${more}`
  }
  const users = actions.filter((a) => a.op === 'add-user' || a.op === 'keep-user')
  if (users.length > 0) {
    lines.push('', 'Users:')
    const width = Math.max(...users.map((a) => a.user.name.length))
    for (const a of users) {
      if (a.op !== 'add-user' && a.op !== 'keep-user') continue
      const u = a.user
      const state =
        a.op === 'add-user'
          ? ['new', u.admin && 'admin', passwordText(u.hash)].filter(Boolean).join(', ')
          : `already present (made by ${a.existing.origin}${a.existing.admin !== u.admin ? `; admin ${a.existing.admin ? 'on' : 'off'} kept, MLflow has ${u.admin ? 'on' : 'off'}` : ''})`
      lines.push(`  ${u.name.padEnd(width)}  ${state}; ${grantList(`user:${u.name}`)}`)
    }
  }
  const groups = actions.filter((a) => a.op === 'add-group' || a.op === 'keep-group')
  if (groups.length > 0) {
    lines.push('', 'Groups (MLflow roles):')
    for (const a of groups) {
      if (a.op !== 'add-group' && a.op !== 'keep-group') continue
      const g = a.group
      lines.push(
        `  ${g.name}  ${a.op === 'add-group' ? 'new' : 'already present'}; members: ${g.members.join(', ') || 'none'}; ${grantList(`group:${g.name}`)}`,
      )
    }
  }
  const others = [...grantsTo.keys()].filter(
    (k) => !k.startsWith('user:') && !k.startsWith('group:'),
  )
  for (const to of others) lines.push('', `${to}: ${grantList(to)}`)
  if (items.skipped.length > 0) {
    lines.push('', `Skipped (${plural(s.skippedRows, 'row')}, not imported):`)
    for (const k of items.skipped)
      lines.push(
        `  ${String(k.rows).padStart(6)}  ${k.table}: ${k.reason} (e.g. ${k.examples.join('; ')})`,
      )
  }
  if (items.notes.length > 0) lines.push('', 'Notes:', ...items.notes.map((n) => `  - ${n}`))
  return `${lines.join('\n')}\n`
}

function grantText(a: ImportAction): string {
  if (a.op === 'add-grant') return describeGrant(a.grant)
  if (a.op === 'update-grant') return `${describeGrant(a.grant)} (was ${a.was})`
  if (a.op === 'keep-grant')
    return `${describeGrant(a.grant)} (present${a.existing.permission !== a.grant.permission ? ` as ${a.existing.permission}, made by ${a.existing.origin}` : ''})`
  return ''
}

function passwordText(hash: string): string {
  switch (hash) {
    case 'scrypt':
      return 'password kept (scrypt)'
    case 'pbkdf2':
      return 'password kept (pbkdf2; upgraded to scrypt at the next sign-in)'
    case 'none':
      return 'no password (tokens only, or set one with mlflow-gate user passwd)'
    default:
      return 'password NOT kept: unsupported hash format; set one with mlflow-gate user passwd'
  }
}

/** The JSON report: the summary, and every user, group, grant and skipped row. */
export function jsonReport(
  source: string,
  items: ImportItems,
  actions: readonly ImportAction[],
  applied: boolean,
) {
  return {
    source,
    schemaVersion: items.version,
    mode: items.mode,
    applied,
    summary: summarize(items, actions),
    // Hashes stay out of the output: it ends up in logs and CI artefacts.
    actions: actions.map((a) =>
      a.op === 'add-user' || a.op === 'keep-user'
        ? { ...a, user: { ...a.user, passwordHash: undefined } }
        : a,
    ),
    skipped: items.skipped,
    notes: items.notes,
  }
}
