/** Create rights: who may create experiments, registered models or prompts, and under which names. */
import { html } from '../html.js'
import { act } from './act.js'
import type { CreateRightJson } from './api-types.js'
import { callApi } from './call-api.js'
import { frame } from './frame.js'
import { ADMIN_PREFIX, pageResult, type PageContext, type PageRoute } from './page-route.js'
import { principalLink, principalOptions, type Option } from './principals.js'
import { form, input, originBadge, panel, postButton, select, submit, table } from './ui.js'

const LIST = `${ADMIN_PREFIX}/create-rights`
const KINDS: Option[] = [
  ['experiment', 'Experiments'],
  ['registered-model', 'Registered models'],
  ['prompt', 'Prompts'],
]

async function listPage(ctx: PageContext) {
  const principals = await principalOptions(ctx)
  const { create_rights: rights } = await callApi<{ create_rights: CreateRightJson[] }>(
    ctx,
    'listCreateRights',
  )
  const rows = rights.map(
    (c) =>
      html`<tr>
        <th scope="row">#${c.id}</th>
        <td>${principalLink(c.to)}</td>
        <td>${KINDS.find(([v]) => v === c.kind)?.[1] ?? c.kind}</td>
        <td><code>${c.pattern}</code></td>
        <td>
          ${originBadge(c.origin)}${c.source ? html` <code class="muted">${c.source}</code>` : ''}
        </td>
        <td class="actions">
          ${
            c.origin === 'config'
              ? html`<span class="hint">in config</span>`
              : postButton(`${LIST}/${c.id}/revoke`, 'Revoke', {
                  tone: 'danger',
                  ariaLabel: `Revoke create right ${c.id}`,
                })
          }
        </td>
      </tr>`,
  )
  const add = form(
    LIST,
    html`${select({ name: 'to', label: 'Who', options: principals, required: true })}
    ${select({ name: 'kind', label: 'May create', options: KINDS })}
    ${input({
      name: 'pattern',
      label: 'Names',
      required: true,
      hint: 'An exact name or a glob, e.g. team-* (use * for any name).',
    })}
    ${submit('Add create right')}`,
  )
  return frame(ctx, {
    title: 'Create rights',
    section: '/create-rights',
    lead: 'Who may create experiments, registered models or prompts, and under which names. The creator then holds MANAGE on what they made.',
    body: html`${panel(
      `${rights.length} create right${rights.length === 1 ? '' : 's'}`,
      table({
        caption: 'Create rights',
        hideCaption: true,
        head: ['Right', 'Who', 'May create', 'Names', 'Made by', 'Actions'],
        rows,
        empty: 'No create rights yet: only admins can create.',
      }),
      { id: 'rights-list' },
    )}
    ${panel('Add a create right', add)}`,
  })
}

export const createRightPages: PageRoute[] = [
  {
    method: 'GET',
    path: '/create-rights',
    access: 'admin',
    handler: async (ctx) => pageResult(await listPage(ctx)),
  },
  {
    method: 'POST',
    path: '/create-rights',
    access: 'admin',
    handler: (ctx) =>
      act(ctx, LIST, async () => {
        const c = await callApi<CreateRightJson>(ctx, 'createCreateRight', {
          body: {
            to: ctx.form.to ?? '',
            kind: ctx.form.kind ?? '',
            pattern: (ctx.form.pattern ?? '').trim(),
          },
        })
        return `${c.to} may now create ${c.kind}s named '${c.pattern}' (create right #${c.id}).`
      }),
  },
  {
    method: 'POST',
    path: '/create-rights/:id/revoke',
    access: 'admin',
    handler: (ctx) =>
      act(ctx, LIST, async () => {
        await callApi(ctx, 'deleteCreateRight', { params: { id: ctx.params.id ?? '' } })
        return `Create right #${ctx.params.id} revoked.`
      }),
  },
]
