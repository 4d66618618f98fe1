/** The users page: every user with their roles, groups and origin, and a form to create one. */
import { html } from '../html.js'
import { act } from './act.js'
import type { UserJson } from './api-types.js'
import { callApi } from './call-api.js'
import { frame } from './frame.js'
import { ADMIN_PREFIX, pageResult, type PageRoute } from './page-route.js'
import {
  badge,
  checkbox,
  form,
  input,
  linkButton,
  originBadge,
  panel,
  seg,
  submit,
  table,
  when,
} from './ui.js'

export const userPath = (name: string) => `${ADMIN_PREFIX}/users/${seg(name)}`

export function roleBadges(u: UserJson) {
  return html`${u.admin ? badge('admin', 'admin') : ''}
  ${u.disabled ? badge('disabled', 'bad') : badge('active', 'ok')}
  ${u.has_password ? '' : badge('tokens only', 'warn', 'No password: signs in with API tokens')}`
}

export const userPages: PageRoute[] = [
  {
    method: 'GET',
    path: '/users',
    access: 'admin',
    async handler(ctx) {
      const { users } = await callApi<{ users: UserJson[] }>(ctx, 'listUsers')
      const rows = users.map(
        (u) =>
          html`<tr>
            <th scope="row"><a href="${userPath(u.name)}">${u.name}</a></th>
            <td>${roleBadges(u)}</td>
            <td>
              ${
                u.groups.length
                  ? u.groups.map(
                      (g, i) =>
                        html`${i ? ', ' : ''}<a href="${ADMIN_PREFIX}/groups/${seg(g)}">${g}</a>`,
                    )
                  : html`<span class="muted">—</span>`
              }
            </td>
            <td>${originBadge(u.origin)}</td>
            <td>${when(u.created_at)}</td>
            <td class="actions">${linkButton(userPath(u.name), 'Manage')}</td>
          </tr>`,
      )
      const create = form(
        `${ADMIN_PREFIX}/users`,
        html`${input({ name: 'name', label: 'Name', required: true, autocomplete: 'off' })}
        ${input({
          name: 'password',
          label: 'Password',
          type: 'password',
          autocomplete: 'new-password',
          hint: 'At least 12 characters. Leave empty for a user who only uses API tokens.',
        })}
        ${checkbox({ name: 'admin', label: 'Admin' })} ${submit('Create user')}`,
      )
      return pageResult(
        frame(ctx, {
          title: 'Users',
          section: '/users',
          lead: 'People and services that sign in. Disabling a user or giving them a new password ends their sessions at once.',
          body: html`${panel(
            `${users.length} user${users.length === 1 ? '' : 's'}`,
            table({
              caption: 'Users',
              hideCaption: true,
              head: ['Name', 'Status', 'Groups', 'Made by', 'Created', 'Actions'],
              rows,
              empty: 'No users yet.',
            }),
            { id: 'users-list' },
          )}
          ${panel('Create a user', create)}`,
        }),
      )
    },
  },
  {
    method: 'POST',
    path: '/users',
    access: 'admin',
    handler: (ctx) =>
      act(ctx, `${ADMIN_PREFIX}/users`, async () => {
        const name = (ctx.form.name ?? '').trim()
        const password = ctx.form.password ?? ''
        await callApi(ctx, 'createUser', {
          body: { name, ...(password !== '' && { password }), admin: ctx.form.admin === 'on' },
        })
        return { text: `User ${name} created.`, to: userPath(name) }
      }),
  },
]
