/** One user's page: enable or disable, make or revoke admin, a new password, and deletion with a confirm step. */
import { html } from '../html.js'
import { act, refuse } from './act.js'
import type { CreateRightJson, GrantJson, TokenJson, UserJson } from './api-types.js'
import { callApi } from './call-api.js'
import { frame } from './frame.js'
import { keepSignedIn } from './keep-signed-in.js'
import { ADMIN_PREFIX, pageResult, type PageContext, type PageRoute } from './page-route.js'
import { form, input, linkButton, originBadge, panel, postButton, seg, submit, when } from './ui.js'
import { roleBadges, userPath } from './users.js'

const getUser = (ctx: PageContext) =>
  callApi<UserJson>(ctx, 'getUser', { params: { name: ctx.params.name ?? '' } })

const isSelf = (ctx: PageContext, u: UserJson) =>
  ctx.caller.name.toLowerCase() === u.name.toLowerCase()

function facts(u: UserJson) {
  return html`<dl class="facts">
    <dt>Status</dt>
    <dd>${roleBadges(u)}</dd>
    <dt>Password</dt>
    <dd>${u.has_password ? 'set' : 'none (signs in with API tokens only)'}</dd>
    <dt>Groups</dt>
    <dd>
      ${
        u.groups.length
          ? u.groups.map(
              (g, i) => html`${i ? ', ' : ''}<a href="${ADMIN_PREFIX}/groups/${seg(g)}">${g}</a>`,
            )
          : 'none'
      }
    </dd>
    <dt>Made by</dt>
    <dd>${originBadge(u.origin)}</dd>
    <dt>Created</dt>
    <dd>${when(u.created_at)}</dd>
    <dt>Changed</dt>
    <dd>${when(u.updated_at)}</dd>
  </dl>`
}

function accessPanel(ctx: PageContext, u: UserJson) {
  const base = userPath(u.name)
  if (isSelf(ctx, u))
    return html`<p class="hint">
      You cannot disable yourself or remove your own admin right; another admin can.
    </p>`
  const toggle = u.disabled
    ? postButton(`${base}/enable`, 'Enable', { tone: 'primary' })
    : postButton(`${base}/disable`, 'Disable', { tone: 'danger' })
  const admin =
    u.origin === 'config'
      ? html`<span class="hint"
          >The admin flag of a config-file user is set in the config file.</span
        >`
      : postButton(`${base}/admin`, u.admin ? 'Revoke admin' : 'Make admin', {
          fields: { admin: u.admin ? 'false' : 'true' },
        })
  return html`<div class="button-row">${toggle} ${admin}</div>
    <p class="hint">
      A disabled user cannot sign in or use API tokens; their sessions end at once.
    </p>`
}

function passwordForm(u: UserJson) {
  return form(
    `${userPath(u.name)}/password`,
    html`${input({
      name: 'password',
      label: 'New password',
      type: 'password',
      autocomplete: 'new-password',
      required: true,
      hint: 'At least 12 characters. Their sessions end; API tokens keep working.',
    })}
    ${input({
      name: 'confirm',
      id: 'confirm',
      label: 'New password again',
      type: 'password',
      autocomplete: 'new-password',
      required: true,
    })}
    ${submit(u.has_password ? 'Set new password' : 'Set password')}`,
  )
}

function deletePanel(ctx: PageContext, u: UserJson) {
  if (isSelf(ctx, u))
    return html`<p class="hint">You cannot delete yourself; another admin can.</p>`
  if (u.origin === 'config')
    return html`<p class="hint">This user is declared in the config file; remove them there.</p>`
  return html`<p class="hint">
      Deleting removes their grants, create rights, memberships and tokens.
    </p>
    ${linkButton(`${userPath(u.name)}/delete`, `Delete ${u.name}…`, 'danger')}`
}

/** A POST that changes one field of the user through the API's updateUser. */
function update(
  path: string,
  body: (ctx: PageContext) => object,
  done: (name: string) => string,
): PageRoute {
  return {
    method: 'POST',
    path: `/users/:name${path}`,
    access: 'admin',
    handler: (ctx) =>
      act(ctx, userPath(ctx.params.name ?? ''), async () => {
        await callApi(ctx, 'updateUser', {
          params: { name: ctx.params.name ?? '' },
          body: body(ctx),
        })
        return done(ctx.params.name ?? '')
      }),
  }
}

export const oneUserPages: PageRoute[] = [
  {
    method: 'GET',
    path: '/users/:name',
    access: 'admin',
    async handler(ctx) {
      const u = await getUser(ctx)
      return pageResult(
        frame(ctx, {
          title: `User ${u.name}`,
          section: '/users',
          lead: html`<a href="${ADMIN_PREFIX}/users">All users</a> ·
            <a href="${ADMIN_PREFIX}/grants?to=${seg(`user:${u.name}`)}">Grants to ${u.name}</a> ·
            <a href="${ADMIN_PREFIX}/tokens?user=${seg(u.name)}">API tokens of ${u.name}</a>`,
          body: html`${panel('Details', facts(u))} ${panel('Access', accessPanel(ctx, u))}
          ${panel(u.has_password ? 'Reset password' : 'Set a password', passwordForm(u))}
          ${panel('Delete', deletePanel(ctx, u))}`,
        }),
      )
    },
  },
  update(
    '/disable',
    () => ({ disabled: true }),
    (n) => `User ${n} disabled; their sessions ended.`,
  ),
  update(
    '/enable',
    () => ({ disabled: false }),
    (n) => `User ${n} enabled.`,
  ),
  update(
    '/admin',
    (ctx) => ({ admin: ctx.form.admin === 'true' }),
    (n) => `Admin right of ${n} changed.`,
  ),
  {
    method: 'POST',
    path: '/users/:name/password',
    access: 'admin',
    handler: (ctx) =>
      act(ctx, userPath(ctx.params.name ?? ''), async () => {
        const name = ctx.params.name ?? ''
        if ((ctx.form.password ?? '') !== (ctx.form.confirm ?? ''))
          refuse('The two new passwords differ.')
        await callApi(ctx, 'updateUser', {
          params: { name },
          body: { password: ctx.form.password ?? '' },
        })
        return {
          text: `New password set for ${name}; their sessions ended.`,
          cookies: await keepSignedIn(ctx, name),
        }
      }),
  },
  {
    method: 'GET',
    path: '/users/:name/delete',
    access: 'admin',
    async handler(ctx) {
      const u = await getUser(ctx)
      const to = `user:${u.name}`
      const [grants, rights, tokens] = await Promise.all([
        callApi<{ grants: GrantJson[] }>(ctx, 'listGrants', { query: { to } }),
        callApi<{ create_rights: CreateRightJson[] }>(ctx, 'listCreateRights'),
        callApi<{ tokens: TokenJson[] }>(ctx, 'listUserTokens', { params: { name: u.name } }),
      ])
      const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`
      const nRights = rights.create_rights.filter((c) => c.to.toLowerCase() === to.toLowerCase())
      return pageResult(
        frame(ctx, {
          title: `Delete user ${u.name}?`,
          section: '/users',
          body: panel(
            'This cannot be undone',
            html`<p>Deleting <strong>${u.name}</strong> also removes:</p>
              <ul class="consequences">
                <li>${count(grants.grants.length, 'grant')}</li>
                <li>${count(nRights.length, 'create right')}</li>
                <li>membership in ${count(u.groups.length, 'group')}</li>
                <li>${count(tokens.tokens.length, 'API token')}</li>
              </ul>
              <div class="button-row">
                ${postButton(`${userPath(u.name)}/delete`, `Delete ${u.name}`, { tone: 'danger' })}
                ${linkButton(userPath(u.name), 'Cancel')}
              </div>`,
            { id: 'confirm' },
          ),
        }),
      )
    },
  },
  {
    method: 'POST',
    path: '/users/:name/delete',
    access: 'admin',
    handler: (ctx) =>
      act(ctx, userPath(ctx.params.name ?? ''), async () => {
        const name = ctx.params.name ?? ''
        await callApi(ctx, 'deleteUser', { params: { name } })
        return { text: `User ${name} deleted.`, to: `${ADMIN_PREFIX}/users` }
      }),
  },
]
