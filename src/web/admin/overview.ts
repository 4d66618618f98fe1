/** The admin pages' first page: how many of each thing there are, the two questions admins ask most, and the latest refusals. */
import { html, type Html } from '../html.js'
import type {
  AuditEventJson,
  CreateRightJson,
  GrantJson,
  GroupJson,
  TokenJson,
  UserJson,
} from './api-types.js'
import { callApi } from './call-api.js'
import { frame } from './frame.js'
import { ADMIN_PREFIX, pageResult, type PageRoute } from './page-route.js'
import { form, input, panel, submit, table, when } from './ui.js'

function stat(href: string, n: number, label: string, note?: string): Html {
  return html`<li class="stat">
    <a href="${ADMIN_PREFIX}${href}"
      ><span class="n">${n}</span>
      <span class="label">${label}</span> ${note ? html`<span class="note">${note}</span>` : ''}</a
    >
  </li>`
}

export const overviewPages: PageRoute[] = [
  {
    method: 'GET',
    path: '/',
    access: 'admin',
    async handler(ctx) {
      const [u, g, gr, cr, t, denied] = await Promise.all([
        callApi<{ users: UserJson[] }>(ctx, 'listUsers'),
        callApi<{ groups: GroupJson[] }>(ctx, 'listGroups'),
        callApi<{ grants: GrantJson[] }>(ctx, 'listGrants'),
        callApi<{ create_rights: CreateRightJson[] }>(ctx, 'listCreateRights'),
        callApi<{ tokens: TokenJson[] }>(ctx, 'listTokens'),
        callApi<{ events: AuditEventJson[] }>(ctx, 'queryAuditEvents', {
          query: { allow: 'false', limit: '5' },
        }),
      ])
      const admins = u.users.filter((x) => x.admin).length
      const disabled = u.users.filter((x) => x.disabled).length
      const denies = gr.grants.filter((x) => x.deny).length
      const stats = html`<ul class="stats">
        ${stat('/users', u.users.length, 'users', `${admins} admin${admins === 1 ? '' : 's'}${disabled ? `, ${disabled} disabled` : ''}`)}
        ${stat('/groups', g.groups.length, 'groups')}
        ${stat('/grants', gr.grants.length, 'grants', denies ? `${denies} deny` : undefined)}
        ${stat('/create-rights', cr.create_rights.length, 'create rights')}
        ${stat('/tokens', t.tokens.length, 'API tokens')}
      </ul>`
      const ask = form(
        `${ADMIN_PREFIX}/access`,
        html`${input({ name: 'experiment', label: 'Experiment id or name', required: true, placeholder: 'e.g. 3 or churn-model' })}
        ${submit('Who can access it?')}`,
        'get',
      )
      const rows = denied.events.map(
        (e) =>
          html`<tr>
            <th scope="row" class="nowrap time">${when(e.at)}</th>
            <td>${e.principal ?? '—'}</td>
            <td class="request"><code>${e.method} ${e.path}</code></td>
            <td class="why">${e.reasons.map((r) => r.message).join('; ')}</td>
          </tr>`,
      )
      return pageResult(
        frame(ctx, {
          title: 'Admin',
          section: '/',
          lead: 'Users, groups, grants and tokens of this gateway. Every change here is in force before the page comes back, and is in the audit log.',
          body: html`${panel('At a glance', stats, { id: 'glance' })}
          ${panel('Who can access an experiment?', ask, { id: 'ask' })}
          ${panel(
            'Latest refused requests',
            html`${table({
                caption: 'Latest refused requests',
                hideCaption: true,
                head: ['Time', 'Who', 'Request', 'Why'],
                rows,
                empty: 'No refused requests on record.',
              })}
              <p><a href="${ADMIN_PREFIX}/audit?allow=false">All refused requests →</a></p>`,
            { id: 'denied' },
          )}`,
        }),
      )
    },
  },
]
