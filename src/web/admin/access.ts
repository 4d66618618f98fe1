/** "Who can access this experiment?": every principal with the permission the gateway gives them and where it comes from. */
import type { Experiment } from '../../authorize/resolve.js'
import {
  whoCanAccess,
  type AccessRow,
  type ExperimentAccess,
  type GrantSource,
} from '../../authorize/who-can.js'
import { GatewayError } from '../../server/errors.js'
import { html, type Html } from '../html.js'
import { frame } from './frame.js'
import { ADMIN_PREFIX, pageResult, type PageContext, type PageRoute } from './page-route.js'
import { principalLink } from './principals.js'
import { badge, form, input, panel, seg, submit, table, withQuery } from './ui.js'

/** By id (all digits) or else by name, through the resolver decisions use (cached like theirs). */
async function findExperiment(ctx: PageContext, text: string): Promise<Experiment | undefined> {
  const { resolver } = ctx.deps.explain
  const byId = /^\d+$/.test(text) ? await resolver.experiment(text) : undefined
  return byId ?? resolver.experimentByName(text)
}

function how(s: GrantSource): Html {
  if (s.match === 'id') return html`by id`
  if (s.match === 'name') return html`by name`
  return html`pattern <code>${s.grant.pattern}</code>`
}

function sourceItem(s: GrantSource): Html {
  const who =
    s.via === 'user'
      ? html`direct grant`
      : s.via === 'group'
        ? html`group
            <a href="${ADMIN_PREFIX}/groups/${seg(s.grant.to.slice(6))}">${s.grant.to.slice(6)}</a>`
        : s.via === 'authenticated'
          ? html`every signed-in user`
          : html`anonymous (everyone)`
  const grant = html`<a href="${withQuery(`${ADMIN_PREFIX}/grants`, { to: s.grant.to })}"
    >${s.grant.origin}</a
  >`
  const level = s.grant.deny
    ? badge(`DENY ${s.grant.permission}`, 'bad', 'Takes this permission and those above it away')
    : badge(s.grant.permission, 'neutral')
  return html`<li>${level} ${who}, ${how(s)} <span class="muted">(${grant})</span></li>`
}

function permissionCell(r: AccessRow, served: boolean): Html {
  if (r.kind === 'anonymous' && !served)
    return html`${badge('none', 'muted')}
      <div class="hint">visitors are not served (<code>access.anonymous</code> is off)</div>`
  if (r.disabled)
    return html`${badge('none', 'muted')}
      <div class="hint">user is disabled</div>`
  return r.permission
    ? badge(r.permission, r.permission === 'MANAGE' ? 'admin' : 'ok')
    : badge('none', 'muted')
}

function whoCell(r: AccessRow): Html {
  if (r.kind === 'anonymous') return html`<strong>Anonymous visitors</strong>`
  if (r.kind === 'authenticated') return html`<strong>Every signed-in user</strong>`
  return html`${principalLink(`user:${r.principal}`)} ${r.admin ? badge('admin', 'admin') : ''}
  ${r.disabled ? badge('disabled', 'bad') : ''}`
}

function sources(r: AccessRow): Html {
  const items = [
    ...(r.admin ? [html`<li>${badge('admin', 'admin')} admins may do everything</li>`] : []),
    ...(r.owner
      ? [
          html`<li>
            ${badge('MANAGE', 'neutral')} creator of the experiment (made it through the gateway)
          </li>`,
        ]
      : []),
    ...r.denies.map(sourceItem),
    ...r.grants.map(sourceItem),
  ]
  return items.length
    ? html`<ul class="sources">
        ${items}
      </ul>`
    : html`<span class="muted">no grant names it</span>`
}

function accessTables(a: ExperimentAccess): Html {
  const rows = a.rows.map(
    (r) =>
      html`<tr class="${r.denies.length ? 'deny' : ''}">
        <th scope="row">${whoCell(r)}</th>
        <td>${permissionCell(r, a.anonymousServed)}</td>
        <td>${sources(r)}</td>
      </tr>`,
  )
  const others = a.others.length
    ? html`<p class="hint">
        ${a.others.length === 1 ? '1 other user' : `${a.others.length} other users`}
        (${a.others.join(', ')}) ${a.others.length === 1 ? 'gets' : 'get'} what every signed-in user
        gets.
      </p>`
    : ''
  return panel(
    'Who can access it',
    html`${table({
      caption: `Who can access experiment ${a.experiment.name}`,
      hideCaption: true,
      head: ['Who', 'Permission', 'Where it comes from'],
      rows,
      empty: 'Nobody.',
    })}
    ${others}`,
    {
      id: 'who',
      lead: 'Each permission is what the gateway decides for that principal now; the list beside it says why.',
    },
  )
}

function grantsTable(a: ExperimentAccess): Html {
  const rows = a.covering.map(
    (s) =>
      html`<tr class="${s.grant.deny ? 'deny' : ''}">
        <th scope="row">${s.grant.origin}</th>
        <td>${principalLink(s.grant.to)}</td>
        <td>${how(s)}</td>
        <td>${s.grant.permission}</td>
        <td>${s.grant.deny ? badge('DENY', 'bad') : badge('allow', 'ok')}</td>
      </tr>`,
  )
  return panel(
    'Grants that name this experiment',
    table({
      caption: 'Grants that name this experiment',
      hideCaption: true,
      head: ['Grant', 'To', 'How', 'Permission', 'Effect'],
      rows,
      empty: 'No grant names this experiment: only admins, its creator and create rights reach it.',
    }),
    { id: 'covering' },
  )
}

async function accessPage(ctx: PageContext) {
  const text = (ctx.query.experiment ?? '').trim()
  let body: Html = html``
  let problem: string | undefined
  if (text) {
    try {
      const e = await findExperiment(ctx, text)
      if (!e) problem = `MLflow has no experiment with the id or name '${text}'.`
      else {
        const a = whoCanAccess(e, ctx.deps.policy.current, ctx.deps.explain.owners)
        body = html`${panel(
          `Experiment ${e.name}`,
          html`<dl class="facts">
            <dt>Id</dt>
            <dd><code>${e.id}</code></dd>
            <dt>Name</dt>
            <dd>${e.name}</dd>
            <dt>In MLflow</dt>
            <dd><a href="/#/experiments/${seg(e.id)}">open the experiment</a></dd>
          </dl>`,
          { id: 'experiment' },
        )}
        ${accessTables(a)} ${grantsTable(a)}`
      }
    } catch (err) {
      if (!(err instanceof GatewayError)) throw err
      problem = err.message
    }
  }
  const ask = form(
    `${ADMIN_PREFIX}/access`,
    html`${input({ name: 'experiment', label: 'Experiment id or name', required: true, value: text, placeholder: 'e.g. 3 or churn-model' })}
    ${submit('Show who can access it')}`,
    'get',
  )
  return frame(
    { ...ctx, flash: problem ? { kind: 'error', text: problem } : ctx.flash },
    {
      title: 'Who can access this experiment?',
      section: '/access',
      lead: 'Every principal with access to one experiment, and where each access comes from: a direct grant, a group, a pattern, every signed-in user, anonymous, its creator, or being an admin. Deny grants are marked.',
      body: html`${panel('Experiment', ask, { id: 'ask' })} ${body}`,
    },
  )
}

export const accessPages: PageRoute[] = [
  {
    method: 'GET',
    path: '/access',
    access: 'admin',
    handler: async (ctx) => pageResult(await accessPage(ctx)),
  },
]
