/** Every user's API tokens for admins: filter by user, revoke, create one for a user (the first token of a user without a password). */
import { html } from '../html.js'
import { act } from './act.js'
import type { NewTokenJson, TokenJson, UserJson } from './api-types.js'
import { callApi } from './call-api.js'
import { frame } from './frame.js'
import { ADMIN_PREFIX, pageResult, type PageRoute } from './page-route.js'
import { createTokenPage, tokenBody, tokenForm, tokenTable } from './token-parts.js'
import { form, panel, select, submit, withQuery } from './ui.js'

const LIST = `${ADMIN_PREFIX}/tokens`

export const tokenPages: PageRoute[] = [
  {
    method: 'GET',
    path: '/tokens',
    access: 'admin',
    async handler(ctx) {
      const user = ctx.query.user || undefined
      const [{ tokens }, { users }] = await Promise.all([
        callApi<{ tokens: TokenJson[] }>(ctx, 'listTokens', { query: user ? { user } : {} }),
        callApi<{ users: UserJson[] }>(ctx, 'listUsers'),
      ])
      const names = users.map((u) => u.name)
      const filter = form(
        LIST,
        html`${select({
          name: 'user',
          id: 'f-user',
          label: 'User',
          options: [['', 'every user'], ...names.map((n) => [n, n] as const)],
          value: user ?? '',
        })}
        ${submit('Show', 'secondary')}`,
        'get',
      )
      return pageResult(
        frame(ctx, {
          title: 'API tokens',
          section: '/tokens',
          lead: 'Tokens let scripts and the MLflow client sign in. Each user manages their own on their account page; here you see and revoke everyone’s.',
          body: html`${panel('Filter', filter, { id: 'filter' })}
          ${panel(
            `${tokens.length} token${tokens.length === 1 ? '' : 's'}${user ? ` of ${user}` : ''}`,
            tokenTable(tokens, {
              revoke: (t) => `${LIST}/${t.id}/revoke`,
              showUser: true,
              caption: 'API tokens',
            }),
            { id: 'tokens-list' },
          )}
          ${panel('Create a token for a user', tokenForm(LIST, names, user), {
            lead: 'For a user without a password, this is how they get their first token.',
          })}`,
        }),
      )
    },
  },
  {
    method: 'POST',
    path: '/tokens',
    access: 'admin',
    handler: (ctx) =>
      createTokenPage(ctx, {
        back: withQuery(LIST, { user: ctx.form.user }),
        section: '/tokens',
        create: () =>
          callApi<NewTokenJson>(ctx, 'createUserToken', {
            params: { name: ctx.form.user ?? '' },
            body: tokenBody(ctx.form),
          }),
      }),
  },
  {
    method: 'POST',
    path: '/tokens/:id/revoke',
    access: 'admin',
    handler: (ctx) =>
      act(ctx, LIST, async () => {
        await callApi(ctx, 'revokeToken', { params: { id: ctx.params.id ?? '' } })
        return `Token ${ctx.params.id} revoked.`
      }),
  },
]
