/** The audit log: filter by who, path, allowed or denied, and dates; newest first, a page at a time. */
import { GatewayError } from '../../server/errors.js'
import { html } from '../html.js'
import type { AuditEventJson } from './api-types.js'
import { callApi, refusalText } from './call-api.js'
import { frame } from './frame.js'
import { ADMIN_PREFIX, pageResult, type PageContext, type PageRoute } from './page-route.js'
import { badge, form, input, panel, select, submit, table, when, withQuery } from './ui.js'

const LIST = `${ADMIN_PREFIX}/audit`
const PAGE_SIZE = 50
const DATE = /^\d{4}-\d{2}-\d{2}$/

type Filter = Record<'principal' | 'path' | 'allow' | 'since' | 'until', string>

const readFilter = (q: Readonly<Record<string, string>>): Filter => ({
  principal: (q.principal ?? '').trim(),
  path: (q.path ?? '').trim(),
  allow: q.allow ?? '',
  since: q.since ?? '',
  until: q.until ?? '',
})

/** The API's query: a bare `until` date means the end of that day (UTC), as people read it. */
function apiQuery(f: Filter, beforeId: string | undefined): Record<string, string> {
  const q: Record<string, string> = { limit: String(PAGE_SIZE) }
  for (const [k, v] of Object.entries(f)) if (v !== '') q[k] = v
  if (DATE.test(f.until)) q.until = `${f.until}T23:59:59.999Z`
  if (beforeId) q.before_id = beforeId
  return q
}

function decisionBadge(e: AuditEventJson) {
  if (e.allow === true) return badge('allowed', 'ok')
  if (e.allow === false) return badge('denied', 'bad')
  return badge('not decided', 'muted', 'Refused or failed before a decision')
}

function eventRow(e: AuditEventJson) {
  const why = [...e.reasons.map((r) => r.message), ...(e.error ? [e.error] : [])]
  return html`<tr class="${e.allow === false ? 'deny' : ''}">
    <th scope="row" class="nowrap time">${when(e.at)}</th>
    <td>${e.principal ?? html`<span class="muted">—</span>`}</td>
    <td class="request">
      <code>${e.method} ${e.path}</code
      >${e.resource ? html`<div class="muted small">${e.resource}</div>` : ''}
    </td>
    <td>${decisionBadge(e)}</td>
    <td>${e.status}</td>
    <td class="why">${why.join('; ')}</td>
  </tr>`
}

async function auditPage(ctx: PageContext) {
  const f = readFilter(ctx.query)
  const beforeId = ctx.query.before_id || undefined
  let events: AuditEventJson[] = []
  let next: number | null = null
  let problem: string | undefined
  try {
    const answer = await callApi<{ events: AuditEventJson[]; next_before_id: number | null }>(
      ctx,
      'queryAuditEvents',
      { query: apiQuery(f, beforeId) },
    )
    events = answer.events
    next = answer.next_before_id
  } catch (err) {
    if (!(err instanceof GatewayError)) throw err
    problem = refusalText(err)
  }
  const filters = form(
    LIST,
    html`${input({ name: 'principal', label: 'Who', value: f.principal, placeholder: 'e.g. alice', narrow: true })}
    ${input({ name: 'path', label: 'Path contains', value: f.path, placeholder: '/api/2.0/mlflow/runs' })}
    ${select({
      name: 'allow',
      label: 'Decision',
      options: [
        ['', 'any'],
        ['true', 'allowed'],
        ['false', 'denied'],
      ],
      value: f.allow,
      narrow: true,
    })}
    ${input({ name: 'since', label: 'From (UTC)', type: 'date', value: f.since, narrow: true })}
    ${input({ name: 'until', label: 'To (UTC)', type: 'date', value: f.until, narrow: true })}
    ${submit('Filter', 'secondary')}`,
    'get',
  )
  const pager = html`<nav class="pager" aria-label="Audit pages">
    ${beforeId ? html`<a href="${withQuery(LIST, f)}">← Newest</a>` : html`<span></span>`}
    ${next !== null ? html`<a href="${withQuery(LIST, { ...f, before_id: next })}">Older →</a>` : ''}
  </nav>`
  const shown = { ...ctx, flash: problem ? ({ kind: 'error', text: problem } as const) : ctx.flash }
  return frame(shown, {
    title: 'Audit log',
    section: '/audit',
    lead: 'Every request through the gateway and every admin change, newest first. Events reach this list about a second after their request ended.',
    body: html`${panel('Filter', filters, { id: 'filter' })}
    ${panel(
      beforeId ? 'Older events' : 'Latest events',
      html`${table({
        caption: 'Audit events',
        hideCaption: true,
        head: ['Time', 'Who', 'Request', 'Decision', 'Status', 'Why'],
        rows: events.map(eventRow),
        empty: 'No events match.',
      })}
      ${pager}`,
      { id: 'events' },
    )}`,
  })
}

export const auditPages: PageRoute[] = [
  {
    method: 'GET',
    path: '/audit',
    access: 'admin',
    handler: async (ctx) => pageResult(await auditPage(ctx)),
  },
]
