/** Grants: filtered by principal, kind and pattern; added for an experiment name or pattern, an experiment id or a registered model; permission changed; revoked. */
import { html } from '../html.js'
import { act } from './act.js'
import type { GrantJson } from './api-types.js'
import { callApi } from './call-api.js'
import { frame } from './frame.js'
import { ADMIN_PREFIX, pageResult, type PageContext, type PageRoute } from './page-route.js'
import { principalLink, principalOptions, type Option } from './principals.js'
import {
  badge,
  checkbox,
  form,
  input,
  originBadge,
  panel,
  postButton,
  rowBreak,
  select,
  submit,
  table,
  withQuery,
} from './ui.js'

const LIST = `${ADMIN_PREFIX}/grants`

export const RESOURCE_OPTIONS: Option[] = [
  ['experiment', 'Experiment name or pattern'],
  ['experiment-id', 'Experiment id'],
  ['registered-model', 'Registered model name or pattern'],
]
export const PERMISSION_OPTIONS: Option[] = [
  ['READ', 'READ: see'],
  ['USE', 'USE: see and use'],
  ['EDIT', 'EDIT: change, log runs'],
  ['MANAGE', 'MANAGE: everything, delete, grant'],
]
const KIND_SHORT: Record<string, string> = {
  experiment: 'experiment',
  'experiment-id': 'experiment id',
  'registered-model': 'registered model',
}
const kindLabel = (r: string) => KIND_SHORT[r] ?? r

/** The list's filters, kept across a change so the admin stays where they were. */
type Filter = { to?: string; resource?: string; q?: string }
const readFilter = (f: Readonly<Record<string, string>>): Filter => ({
  to: f.to || undefined,
  resource: f.resource || undefined,
  q: f.q || undefined,
})
const listUrl = (f: Filter) => withQuery(LIST, f)
const filterFields = (f: Filter) =>
  Object.fromEntries(Object.entries(f).filter(([, v]) => v)) as Record<string, string>

function resourceCell(g: GrantJson) {
  if (g.resource === 'experiment-id' || (g.resource === 'experiment' && !/[*?]/.test(g.pattern)))
    return html`<a
      href="${withQuery(`${ADMIN_PREFIX}/access`, { experiment: g.pattern })}"
      title="Who can access this experiment?"
      ><code>${g.pattern}</code></a
    >`
  return html`<code>${g.pattern}</code
    >${/[*?]/.test(g.pattern) ? html` ${badge('pattern', 'muted')}` : ''}`
}

function grantRow(g: GrantJson, f: Filter) {
  const fixed = g.origin === 'config'
  const permission = fixed
    ? html`<strong>${g.permission}</strong>`
    : html`<form method="post" action="${LIST}/${g.id}/permission" class="inline-select">
        ${Object.entries(filterFields(f)).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}" />`)}
        <label class="visually-hidden" for="perm-${g.id}">Permission of grant ${g.id}</label>
        <select id="perm-${g.id}" name="permission">
          ${PERMISSION_OPTIONS.map(([v]) => html`<option ${v === g.permission ? html`selected` : ''}>${v}</option>`)}
        </select>
        <button
          type="submit"
          class="btn secondary small"
          aria-label="Change permission of grant ${g.id}"
        >
          Change
        </button>
      </form>`
  return html`<tr class="${g.deny ? 'deny' : ''}">
    <th scope="row">#${g.id}</th>
    <td class="nowrap">${principalLink(g.to)}</td>
    <td class="nowrap">${kindLabel(g.resource)}</td>
    <td>${resourceCell(g)}</td>
    <td>${permission}</td>
    <td>
      ${g.deny ? badge('DENY', 'bad', 'Takes this permission and those above it away') : badge('allow', 'ok')}
    </td>
    <td>
      ${originBadge(g.origin)}${g.source ? html` <code class="muted">${g.source}</code>` : ''}
    </td>
    <td class="actions">
      ${
        fixed
          ? html`<span class="hint">in config</span>`
          : postButton(`${LIST}/${g.id}/revoke`, 'Revoke', {
              tone: 'danger',
              fields: filterFields(f),
              ariaLabel: `Revoke grant ${g.id}`,
            })
      }
    </td>
  </tr>`
}

async function listPage(ctx: PageContext) {
  const f = readFilter(ctx.query)
  const principals = await principalOptions(ctx)
  const { grants } = await callApi<{ grants: GrantJson[] }>(ctx, 'listGrants', {
    query: { ...(f.to && { to: f.to }), ...(f.resource && { resource: f.resource }) },
  })
  const q = f.q?.toLowerCase()
  const shown = q ? grants.filter((g) => g.pattern.toLowerCase().includes(q)) : grants
  const filters = form(
    LIST,
    html`${select({ name: 'to', id: 'f-to', label: 'Principal', options: [['', 'anyone'], ...principals], value: f.to ?? '' })}
    ${select({ name: 'resource', id: 'f-resource', label: 'Kind', options: [['', 'any kind'], ...RESOURCE_OPTIONS], value: f.resource ?? '' })}
    ${input({ name: 'q', id: 'f-q', label: 'Name, pattern or id contains', type: 'search', value: f.q ?? '' })}
    ${submit('Filter', 'secondary')}`,
    'get',
  )
  const add = form(
    LIST,
    html`${select({ name: 'to', label: 'To', options: principals, required: true, value: f.to })}
    ${select({ name: 'resource', label: 'On', options: RESOURCE_OPTIONS, value: f.resource })}
    ${select({ name: 'permission', label: 'Permission', options: PERMISSION_OPTIONS })} ${rowBreak}
    ${input({
      name: 'pattern',
      label: 'Name, pattern or id',
      required: true,
      hint: 'An exact name, a glob (* any text, ? one character), or an experiment id.',
    })}
    ${checkbox({ name: 'deny', label: 'Deny instead' })} ${submit('Add grant')}`,
  )
  const filtered = Boolean(f.to || f.resource || f.q)
  return frame(ctx, {
    title: 'Grants',
    section: '/grants',
    lead: 'A grant gives a permission on experiments or registered models. A deny grant takes that permission and those above it away, whatever else allows it.',
    body: html`${panel('Filter', filters, { id: 'filter' })}
    ${panel(
      filtered
        ? `${shown.length} of ${grants.length} grants`
        : `${grants.length} grant${grants.length === 1 ? '' : 's'}`,
      table({
        caption: 'Grants',
        hideCaption: true,
        head: [
          'Grant',
          'To',
          'Kind',
          'Name, pattern or id',
          'Permission',
          'Effect',
          'Made by',
          'Actions',
        ],
        rows: shown.map((g) => grantRow(g, f)),
        empty: filtered ? 'No grant matches these filters.' : 'No grants yet.',
      }),
      { id: 'grants-list' },
    )}
    ${panel('Add a grant', add)}`,
  })
}

export const grantPages: PageRoute[] = [
  {
    method: 'GET',
    path: '/grants',
    access: 'admin',
    handler: async (ctx) => pageResult(await listPage(ctx)),
  },
  {
    method: 'POST',
    path: '/grants',
    access: 'admin',
    handler: (ctx) =>
      act(ctx, LIST, async () => {
        const g = await callApi<GrantJson>(ctx, 'createGrant', {
          body: {
            to: ctx.form.to ?? '',
            resource: ctx.form.resource ?? '',
            pattern: (ctx.form.pattern ?? '').trim(),
            permission: ctx.form.permission ?? '',
            deny: ctx.form.deny === 'on',
          },
        })
        const verb = g.deny ? 'Denied' : 'Granted'
        return `${verb} ${g.permission} on ${kindLabel(g.resource)} '${g.pattern}' to ${g.to} (grant #${g.id}).`
      }),
  },
  {
    method: 'POST',
    path: '/grants/:id/permission',
    access: 'admin',
    handler: (ctx) =>
      act(ctx, listUrl(readFilter(ctx.form)), async () => {
        const g = await callApi<GrantJson>(ctx, 'updateGrant', {
          params: { id: ctx.params.id ?? '' },
          body: { permission: ctx.form.permission ?? '' },
        })
        return `Grant #${g.id} now gives ${g.permission}.`
      }),
  },
  {
    method: 'POST',
    path: '/grants/:id/revoke',
    access: 'admin',
    handler: (ctx) =>
      act(ctx, listUrl(readFilter(ctx.form)), async () => {
        await callApi(ctx, 'deleteGrant', { params: { id: ctx.params.id ?? '' } })
        return `Grant #${ctx.params.id} revoked.`
      }),
  },
]
