/** Groups: the list with members, a group's page (add and remove members), creation, and deletion with a confirm step. */
import { html } from '../html.js'
import { act } from './act.js'
import type { GrantJson, GroupJson, UserJson } from './api-types.js'
import { callApi } from './call-api.js'
import { frame } from './frame.js'
import { ADMIN_PREFIX, pageResult, type PageContext, type PageRoute } from './page-route.js'
import {
  form,
  input,
  linkButton,
  originBadge,
  panel,
  postButton,
  seg,
  select,
  submit,
  table,
  when,
} from './ui.js'
import { userPath } from './users.js'

const LIST = `${ADMIN_PREFIX}/groups`
const groupPath = (name: string) => `${LIST}/${seg(name)}`
const nameOf = (ctx: PageContext) => ctx.params.name ?? ''
const getGroup = (ctx: PageContext) =>
  callApi<GroupJson>(ctx, 'getGroup', { params: { name: nameOf(ctx) } })

function listPage(ctx: PageContext, groups: GroupJson[]) {
  const rows = groups.map(
    (g) =>
      html`<tr>
        <th scope="row"><a href="${groupPath(g.name)}">${g.name}</a></th>
        <td>${g.members.length}</td>
        <td>${g.members.length ? g.members.join(', ') : html`<span class="muted">—</span>`}</td>
        <td>${originBadge(g.origin)}</td>
        <td class="actions">${linkButton(groupPath(g.name), 'Manage')}</td>
      </tr>`,
  )
  return frame(ctx, {
    title: 'Groups',
    section: '/groups',
    lead: 'Grants and create rights given to a group apply to each of its members.',
    body: html`${panel(
      `${groups.length} group${groups.length === 1 ? '' : 's'}`,
      table({
        caption: 'Groups',
        hideCaption: true,
        head: ['Group', 'Members', 'Who', 'Made by', 'Actions'],
        rows,
        empty: 'No groups yet.',
      }),
      { id: 'groups-list' },
    )}
    ${panel(
      'Create a group',
      form(
        LIST,
        html`${input({ name: 'name', label: 'Name', required: true })} ${submit('Create group')}`,
      ),
    )}`,
  })
}

async function groupPage(ctx: PageContext) {
  const g = await getGroup(ctx)
  const { users } = await callApi<{ users: UserJson[] }>(ctx, 'listUsers')
  const rows = g.members.map(
    (m) =>
      html`<tr>
        <th scope="row"><a href="${userPath(m)}">${m}</a></th>
        <td class="actions">
          ${postButton(`${groupPath(g.name)}/members/${seg(m)}/remove`, 'Remove', {
            ariaLabel: `Remove ${m} from ${g.name}`,
          })}
        </td>
      </tr>`,
  )
  const candidates = users.filter((u) => !g.members.includes(u.name))
  const add = candidates.length
    ? form(
        `${groupPath(g.name)}/members`,
        html`${select({
          name: 'user',
          label: 'User',
          required: true,
          options: candidates.map((u) => [u.name, u.name] as const),
        })}
        ${submit('Add member')}`,
      )
    : html`<p class="empty">Every user is already a member.</p>`
  const del =
    g.origin === 'config'
      ? html`<p class="hint">
          This group comes from the config file (users' groups); change it there.
        </p>`
      : html`<p class="hint">Deleting removes the group's grants, create rights and memberships.</p>
          ${linkButton(`${groupPath(g.name)}/delete`, `Delete ${g.name}…`, 'danger')}`
  return frame(ctx, {
    title: `Group ${g.name}`,
    section: '/groups',
    lead: html`<a href="${LIST}">All groups</a> ·
      <a href="${ADMIN_PREFIX}/grants?to=${seg(`group:${g.name}`)}">Grants to ${g.name}</a> · made
      by ${originBadge(g.origin)} on ${when(g.created_at)}`,
    body: html`${panel(
      `Members (${g.members.length})`,
      table({
        caption: `Members of ${g.name}`,
        hideCaption: true,
        head: ['User', 'Actions'],
        rows,
        empty: 'No members yet.',
      }),
      { id: 'members' },
    )}
    ${panel('Add a member', add)} ${panel('Delete', del)}`,
  })
}

export const groupPages: PageRoute[] = [
  {
    method: 'GET',
    path: '/groups',
    access: 'admin',
    async handler(ctx) {
      const { groups } = await callApi<{ groups: GroupJson[] }>(ctx, 'listGroups')
      return pageResult(listPage(ctx, groups))
    },
  },
  {
    method: 'POST',
    path: '/groups',
    access: 'admin',
    handler: (ctx) =>
      act(ctx, LIST, async () => {
        const name = (ctx.form.name ?? '').trim()
        await callApi(ctx, 'createGroup', { body: { name } })
        return { text: `Group ${name} created.`, to: groupPath(name) }
      }),
  },
  {
    method: 'GET',
    path: '/groups/:name',
    access: 'admin',
    handler: async (ctx) => pageResult(await groupPage(ctx)),
  },
  {
    method: 'POST',
    path: '/groups/:name/members',
    access: 'admin',
    handler: (ctx) =>
      act(ctx, groupPath(nameOf(ctx)), async () => {
        const user = ctx.form.user ?? ''
        await callApi(ctx, 'addGroupMember', { params: { name: nameOf(ctx) }, body: { user } })
        return `${user} added to ${nameOf(ctx)}.`
      }),
  },
  {
    method: 'POST',
    path: '/groups/:name/members/:user/remove',
    access: 'admin',
    handler: (ctx) =>
      act(ctx, groupPath(nameOf(ctx)), async () => {
        const user = ctx.params.user ?? ''
        await callApi(ctx, 'removeGroupMember', { params: { name: nameOf(ctx), user } })
        return `${user} removed from ${nameOf(ctx)}.`
      }),
  },
  {
    method: 'GET',
    path: '/groups/:name/delete',
    access: 'admin',
    async handler(ctx) {
      const g = await getGroup(ctx)
      const { grants } = await callApi<{ grants: GrantJson[] }>(ctx, 'listGrants', {
        query: { to: `group:${g.name}` },
      })
      return pageResult(
        frame(ctx, {
          title: `Delete group ${g.name}?`,
          section: '/groups',
          body: panel(
            'This cannot be undone',
            html`<p>
                Deleting <strong>${g.name}</strong> removes its ${grants.length}
                grant${grants.length === 1 ? '' : 's'}, its create rights, and the memberships of
                ${g.members.length} user${g.members.length === 1 ? '' : 's'}.
              </p>
              <div class="button-row">
                ${postButton(`${groupPath(g.name)}/delete`, `Delete ${g.name}`, { tone: 'danger' })}
                ${linkButton(groupPath(g.name), 'Cancel')}
              </div>`,
            { id: 'confirm' },
          ),
        }),
      )
    },
  },
  {
    method: 'POST',
    path: '/groups/:name/delete',
    access: 'admin',
    handler: (ctx) =>
      act(ctx, groupPath(nameOf(ctx)), async () => {
        await callApi(ctx, 'deleteGroup', { params: { name: nameOf(ctx) } })
        return { text: `Group ${nameOf(ctx)} deleted.`, to: LIST }
      }),
  },
]
