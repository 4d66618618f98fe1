/** The explain form: why a given user (or a visitor) may or may not make a given MLflow request, decided as the gateway would. */
import { GatewayError } from '../../server/errors.js'
import { html, type Html } from '../html.js'
import type { UserJson } from './api-types.js'
import { callApi, refusalText } from './call-api.js'
import { frame } from './frame.js'
import { ADMIN_PREFIX, pageResult, type PageContext, type PageRoute } from './page-route.js'
import { badge, form, input, panel, select, submit, textarea } from './ui.js'

type Explained = {
  allow: boolean
  caller: string
  route: string | null
  resource: string | null
  reasons: { code: string; message: string }[]
  refused: { gateway_code: string; status: number; message: string } | null
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const

function result(r: Explained): Html {
  const verdict = r.allow
    ? html`<p class="verdict allow">
        ${badge('Allowed', 'ok')} ${r.caller} may make this request.
      </p>`
    : html`<p class="verdict deny">
        ${badge('Denied', 'bad')} ${r.caller} may not make this request.
      </p>`
  const reasons = r.reasons.length
    ? html`<ul class="reasons">
        ${r.reasons.map((x) => html`<li><code>${x.code}</code> ${x.message}</li>`)}
      </ul>`
    : ''
  return html`${verdict}
    <dl class="facts">
      <dt>Route</dt>
      <dd>${r.route ? html`<code>${r.route}</code>` : 'none'}</dd>
      <dt>Resource</dt>
      <dd>${r.resource ?? 'none'}</dd>
      ${
        r.reasons.length
          ? html`<dt>Why</dt>
              <dd>${reasons}</dd>`
          : ''
      }
    </dl>
    ${
      r.refused
        ? html`<p class="flash error" role="alert">
            Refused before deciding (${r.refused.status} <code>${r.refused.gateway_code}</code>):
            ${r.refused.message}
          </p>`
        : ''
    }`
}

async function explainPage(ctx: PageContext) {
  const q = ctx.query
  const method = q.method || 'GET'
  const { users } = await callApi<{ users: UserJson[] }>(ctx, 'listUsers')
  let answer: Html = html``
  let problem: string | undefined
  if (q.path) {
    try {
      const r = await callApi<Explained>(ctx, 'explainRequest', {
        body: {
          ...(q.user && { user: q.user }),
          method,
          path: q.path,
          ...(q.body?.trim() && { body: q.body }),
        },
      })
      answer = panel('Decision', result(r), { id: 'decision' })
    } catch (err) {
      if (!(err instanceof GatewayError)) throw err
      problem = refusalText(err)
    }
  }
  const fields = form(
    `${ADMIN_PREFIX}/explain`,
    html`${select({
      name: 'user',
      label: 'As',
      options: [['', 'an anonymous visitor'], ...users.map((u) => [u.name, u.name] as const)],
      value: q.user ?? '',
    })}
    ${select({ name: 'method', label: 'Method', options: METHODS.map((m) => [m, m] as const), value: method, narrow: true })}
    ${input({
      name: 'path',
      label: 'Path and query',
      required: true,
      value: q.path ?? '',
      placeholder: '/api/2.0/mlflow/experiments/get?experiment_id=1',
    })}
    ${textarea({ name: 'body', label: 'JSON body (optional)', value: q.body ?? '', rows: 3, wide: true })}
    ${submit('Explain', 'primary', true)}`,
    'get',
  )
  return frame(
    { ...ctx, flash: problem ? { kind: 'error', text: problem } : ctx.flash },
    {
      title: 'Explain a request',
      section: '/explain',
      lead: 'Classifies and decides a request exactly as the gateway would, with today’s users, groups and grants. Nothing is sent to MLflow except lookups of which experiment a run, trace or model belongs to.',
      body: html`${panel('Request', fields, { id: 'request' })} ${answer}`,
    },
  )
}

export const explainPages: PageRoute[] = [
  {
    method: 'GET',
    path: '/explain',
    access: 'admin',
    handler: async (ctx) => pageResult(await explainPage(ctx)),
  },
]
