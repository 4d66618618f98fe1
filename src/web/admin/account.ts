/** The account page every signed-in user has: who they are, their own password, and their own API tokens. */
import { html } from '../html.js'
import { act, refuse } from './act.js'
import type { NewTokenJson, TokenJson } from './api-types.js'
import { callApi } from './call-api.js'
import { frame } from './frame.js'
import { keepSignedIn } from './keep-signed-in.js'
import { ACCOUNT_PREFIX, pageResult, type PageContext, type PageRoute } from './page-route.js'
import { createTokenPage, tokenBody, tokenForm, tokenTable } from './token-parts.js'
import { badge, form, input, panel, submit } from './ui.js'

const HOME = `${ACCOUNT_PREFIX}/`

const VIA = {
  session: 'the sign-in page',
  basic: 'a password (Basic)',
  token: 'an API token',
} as const

function aboutYou(ctx: PageContext) {
  const c = ctx.caller
  return html`<dl class="facts">
    <dt>Name</dt>
    <dd><strong>${c.name}</strong> ${c.admin ? badge('admin', 'admin') : ''}</dd>
    <dt>Groups</dt>
    <dd>${c.groups.length ? c.groups.join(', ') : 'none'}</dd>
    <dt>Signed in with</dt>
    <dd>${VIA[c.via]}${c.readOnly ? html` ${badge('read-only', 'muted')}` : ''}</dd>
  </dl>`
}

function passwordPanel(ctx: PageContext) {
  const user = ctx.deps.policy.current.users.get(ctx.caller.name.toLowerCase())
  if (!user?.passwordHash)
    return html`<p class="hint">
      You have no password (you sign in with API tokens); an admin can set one.
    </p>`
  return form(
    `${ACCOUNT_PREFIX}/password`,
    html`${input({
      name: 'current_password',
      id: 'current-password',
      label: 'Current password',
      type: 'password',
      autocomplete: 'current-password',
      required: true,
    })}
    ${input({
      name: 'new_password',
      id: 'new-password',
      label: 'New password',
      type: 'password',
      autocomplete: 'new-password',
      required: true,
      hint: 'At least 12 characters.',
    })}
    ${input({
      name: 'confirm',
      id: 'confirm-password',
      label: 'New password again',
      type: 'password',
      autocomplete: 'new-password',
      required: true,
    })}
    ${submit('Change password')}`,
  )
}

export const ACCOUNT_PAGES: readonly PageRoute[] = [
  {
    method: 'GET',
    path: '/',
    access: 'self',
    async handler(ctx) {
      const { tokens } = await callApi<{ tokens: TokenJson[] }>(ctx, 'listOwnTokens')
      return pageResult(
        frame(ctx, {
          title: 'My account',
          section: 'account',
          body: html`${panel('You', aboutYou(ctx))}
          ${panel('Change your password', passwordPanel(ctx), {
            lead: 'Your other browser sessions end; this one stays signed in. API tokens keep working.',
          })}
          ${panel(
            `Your API tokens (${tokens.length})`,
            tokenTable(tokens, {
              revoke: (t) => `${ACCOUNT_PREFIX}/tokens/${t.id}/revoke`,
              showUser: false,
              caption: 'Your API tokens',
            }),
            { id: 'my-tokens' },
          )}
          ${panel('Create an API token', tokenForm(`${ACCOUNT_PREFIX}/tokens`), {
            lead: 'For scripts and the MLflow client. A read-only token only reads, whatever you may do.',
          })}`,
        }),
      )
    },
  },
  {
    method: 'POST',
    path: '/password',
    access: 'self',
    handler: (ctx) =>
      act(ctx, HOME, async () => {
        if ((ctx.form.new_password ?? '') !== (ctx.form.confirm ?? ''))
          refuse('The two new passwords differ.')
        await callApi(ctx, 'changeOwnPassword', {
          body: {
            current_password: ctx.form.current_password ?? '',
            new_password: ctx.form.new_password ?? '',
          },
        })
        return { text: 'Password changed.', cookies: await keepSignedIn(ctx, ctx.caller.name) }
      }),
  },
  {
    method: 'POST',
    path: '/tokens',
    access: 'self',
    handler: (ctx) =>
      createTokenPage(ctx, {
        back: HOME,
        section: 'account',
        create: () => callApi<NewTokenJson>(ctx, 'createOwnToken', { body: tokenBody(ctx.form) }),
      }),
  },
  {
    method: 'POST',
    path: '/tokens/:id/revoke',
    access: 'self',
    handler: (ctx) =>
      act(ctx, HOME, async () => {
        await callApi(ctx, 'revokeOwnToken', { params: { id: ctx.params.id ?? '' } })
        return `Token ${ctx.params.id} revoked.`
      }),
  },
]
