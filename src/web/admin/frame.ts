/** The frame of every admin and account page: top bar with who is signed in, the section navigation, the flash message. */
import { html, page, type Html } from '../html.js'
import { topBar } from '../reply.js'
import { ACCOUNT_PREFIX, ADMIN_PREFIX, type PageContext } from './page-route.js'
import { badge } from './ui.js'

/** The admin pages in navigation order: path below /_gate/admin, label. */
const ADMIN_NAV: readonly (readonly [string, string])[] = [
  ['/', 'Overview'],
  ['/users', 'Users'],
  ['/groups', 'Groups'],
  ['/grants', 'Grants'],
  ['/create-rights', 'Create rights'],
  ['/tokens', 'API tokens'],
  ['/access', 'Who can access'],
  ['/explain', 'Explain a request'],
  ['/audit', 'Audit log'],
]

export type Section = (typeof ADMIN_NAV)[number][0] | 'account'

export function frame(
  ctx: Pick<PageContext, 'caller' | 'flash'>,
  o: { title: string; section: Section; lead?: Html | string; body: Html },
): string {
  const { caller } = ctx
  const signOut =
    caller.via === 'session'
      ? html`<form method="post" action="/_gate/logout" class="inline">
          <button type="submit" class="btn link">Sign out</button>
        </form>`
      : ''
  const right = html`<div class="gate-user">
      <span
        >Signed in as
        <strong>${caller.name}</strong
        >${caller.admin ? html` ${badge('admin', 'admin')}` : ''}</span
      >
    </div>
    <nav class="gate-links" aria-label="Account"><a href="/">Back to MLflow</a>${signOut}</nav>`
  return page(
    o.title,
    html`<a class="skip" href="#main">Skip to content</a>
      ${topBar(right)}
      <div class="shell ${caller.admin ? '' : 'single'}">
        ${sideNav(ctx, o.section)}
        <main id="main" class="content" tabindex="-1">
          <h1>${o.title}</h1>
          ${o.lead ? html`<p class="lead">${o.lead}</p>` : ''} ${flashHtml(ctx)} ${o.body}
        </main>
      </div>`,
    'gate admin',
  )
}

function sideNav(ctx: Pick<PageContext, 'caller'>, section: Section): Html {
  const item = (href: string, label: string, current: boolean) =>
    html`<li><a href="${href}" ${current ? html`aria-current="page"` : ''}>${label}</a></li>`
  const account = item(`${ACCOUNT_PREFIX}/`, 'My account', section === 'account')
  if (!ctx.caller.admin)
    return html`<nav class="side" aria-label="Pages">
      <ul>
        ${account}
      </ul>
    </nav>`
  return html`<nav class="side" aria-label="Admin pages">
    <p class="nav-group" aria-hidden="true">Admin</p>
    <ul>
      ${ADMIN_NAV.map(([path, label]) =>
        item(`${ADMIN_PREFIX}${path === '/' ? '/' : path}`, label, section === path),
      )}
    </ul>
    <p class="nav-group" aria-hidden="true">You</p>
    <ul>
      ${account}
    </ul>
  </nav>`
}

function flashHtml(ctx: Pick<PageContext, 'flash'>): Html {
  const f = ctx.flash
  if (!f) return html``
  return f.kind === 'ok'
    ? html`<div class="flash ok" role="status">${f.text}</div>`
    : html`<div class="flash error" role="alert">${f.text}</div>`
}
