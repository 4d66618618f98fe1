/** What the token pages share: the create form, the form-to-API body, the token table, and the page that shows a new token once. */
import { GatewayError } from '../../server/errors.js'
import { html, type Html } from '../html.js'
import type { NewTokenJson, TokenJson } from './api-types.js'
import { refusalText } from './call-api.js'
import { frame, type Section } from './frame.js'
import { pageResult, redirect, type PageContext, type PageResult } from './page-route.js'
import {
  badge,
  checkbox,
  form,
  input,
  linkButton,
  panel,
  postButton,
  select,
  submit,
  table,
  when,
} from './ui.js'

const EXPIRY: readonly (readonly [string, string])[] = [
  ['7', '7 days'],
  ['30', '30 days'],
  ['90', '90 days'],
  ['365', '1 year'],
  ['', 'Never'],
]

/** The create form; `users` adds a choice of whose token it is (admins). */
export function tokenForm(action: string, users?: readonly string[], user?: string): Html {
  return form(
    action,
    html`${
      users
        ? select({
            name: 'user',
            label: 'For user',
            options: users.map((u) => [u, u] as const),
            value: user,
            required: true,
          })
        : ''
    }
    ${input({
      name: 'name',
      label: 'Name',
      required: true,
      placeholder: 'e.g. laptop or ci',
      hint: users ? 'Unique among the user’s tokens.' : 'Unique among your tokens.',
    })}
    ${select({ name: 'expires_in_days', label: 'Expires after', options: EXPIRY, value: '90' })}
    ${checkbox({ name: 'read_only', label: 'Read-only' })} ${submit('Create token')}`,
  )
}

/** The API's `newTokenBody` from the form's fields. */
export function tokenBody(f: Readonly<Record<string, string>>) {
  const days = f.expires_in_days ?? ''
  return {
    name: (f.name ?? '').trim(),
    read_only: f.read_only === 'on',
    ...(days !== '' && { expires_in_days: /^\d+$/.test(days) ? Number(days) : days }),
  }
}

export function tokenTable(
  tokens: readonly TokenJson[],
  o: { revoke: (t: TokenJson) => string; showUser: boolean; caption: string },
): Html {
  const rows = tokens.map(
    (t) =>
      html`<tr>
        ${o.showUser ? html`<td>${t.user}</td>` : ''}
        <th scope="row">${t.name}</th>
        <td><code>${t.id}</code></td>
        <td>
          ${t.read_only ? badge('read-only', 'muted') : badge('read & write', 'neutral')}
          ${t.expired ? badge('expired', 'bad') : ''}
        </td>
        <td>${when(t.expires_at, 'never')}</td>
        <td>${when(t.last_used_at, 'not yet')}</td>
        <td>${when(t.created_at)}</td>
        <td class="actions">
          ${postButton(o.revoke(t), 'Revoke', { tone: 'danger', ariaLabel: `Revoke token ${t.name}` })}
        </td>
      </tr>`,
  )
  return table({
    caption: o.caption,
    hideCaption: true,
    head: [
      ...(o.showUser ? ['User'] : []),
      'Name',
      'Id',
      'Kind',
      'Expires',
      'Last used',
      'Created',
      'Actions',
    ],
    rows,
    empty: 'No API tokens.',
  })
}

/** `Token ci for alice (read-only), expires …` in one run of text, so no stray spaces. */
function tokenSummary(t: NewTokenJson): Html {
  const kind = t.read_only ? ' (read-only)' : ''
  const ends = t.expires_at ? html`expires ${when(t.expires_at)}` : html`never expires`
  return html`Token <strong>${t.name}</strong> for <strong>${t.user}</strong>${kind}, ${ends}.`
}

/**
 * Creates a token and answers the POST itself with the secret (not a redirect: the secret must
 * never sit in a cookie or a URL); a refusal goes back to the form with its message.
 */
export async function createTokenPage(
  ctx: PageContext,
  o: { back: string; section: Section; create: () => Promise<NewTokenJson> },
): Promise<PageResult> {
  let t: NewTokenJson
  try {
    t = await o.create()
  } catch (err) {
    if (!(err instanceof GatewayError)) throw err
    ctx.call.error = err.code
    return redirect(o.back, { kind: 'error', text: refusalText(err) })
  }
  const body = panel(
    'Copy it now: it is shown only once',
    html`<p>${tokenSummary(t)}</p>
      <label for="secret">Token</label>
      <input id="secret" class="secret" type="text" readonly value="${t.token}" />
      <p class="hint">
        Use it as <code>MLFLOW_TRACKING_TOKEN</code>, or as
        <code>MLFLOW_TRACKING_PASSWORD</code> with <code>MLFLOW_TRACKING_USERNAME=${t.user}</code>.
        Only a hash is stored; if it is lost, revoke it and create another.
      </p>
      <div class="button-row">${linkButton(o.back, 'Done', 'primary')}</div>`,
    { id: 'new-token' },
  )
  return pageResult(
    frame(
      { ...ctx, flash: { kind: 'ok', text: `Token ${t.name} created.` } },
      { title: 'New API token', section: o.section, body },
    ),
    201,
  )
}
