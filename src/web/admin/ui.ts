/** Small HTML building blocks the admin pages share: panels, tables, badges, form fields, buttons that post. */
import { html, type Html } from '../html.js'

export type Tone = 'neutral' | 'admin' | 'ok' | 'bad' | 'warn' | 'muted'

export const badge = (text: string, tone: Tone = 'neutral', title?: string): Html =>
  html`<span class="badge ${tone}" ${title ? html`title="${title}"` : ''}>${text}</span>`

/** Where a row came from; config rows are changed in the config file, which the badge says. */
export function originBadge(origin: string): Html {
  if (origin === 'config') return badge('config file', 'muted', 'Managed by the config file')
  return badge(origin === 'import' ? 'imported' : 'admin', 'muted', `Made by ${origin}`)
}

/** An ISO time as `2026-05-01 12:00 UTC`, machine-readable in `datetime`. */
export function when(iso: string | null | undefined, empty = '—'): Html {
  if (!iso) return html`<span class="muted">${empty}</span>`
  const text = iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC')
  return html`<time datetime="${iso}">${text}</time>`
}

export function panel(title: string, body: Html, o: { id?: string; lead?: Html | string } = {}) {
  const id = o.id ?? `p-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`
  return html`<section class="panel" aria-labelledby="${id}">
    <h2 id="${id}">${title}</h2>
    ${o.lead ? html`<p class="hint lead-in">${o.lead}</p>` : ''} ${body}
  </section>`
}

/**
 * A data table with a caption and column headers (`scope="col"`); each row's first cell should be
 * a `<th scope="row">`. With no rows it says `empty` instead.
 */
export function table(o: {
  caption: string
  head: readonly string[]
  rows: readonly Html[]
  empty: string
  /** The caption is still read out, but not shown (the panel's heading says it). */
  hideCaption?: boolean
}): Html {
  if (o.rows.length === 0) return html`<p class="empty">${o.empty}</p>`
  return html`<div class="table-wrap">
    <table class="data">
      <caption class="${o.hideCaption ? 'visually-hidden' : ''}">
        ${o.caption}
      </caption>
      <thead>
        <tr>
          ${o.head.map(
            (h) => html`<th scope="col" class="${h === 'Actions' ? 'actions' : ''}">${h}</th>`,
          )}
        </tr>
      </thead>
      <tbody>
        ${o.rows}
      </tbody>
    </table>
  </div>`
}

export type ButtonTone = 'primary' | 'secondary' | 'danger'

/** A one-button form that posts to `action`: every change is a POST, never a link. */
export function postButton(
  action: string,
  label: string,
  o: { tone?: ButtonTone; fields?: Record<string, string>; ariaLabel?: string } = {},
): Html {
  return html`<form method="post" action="${action}" class="inline">
    ${Object.entries(o.fields ?? {}).map(
      ([k, v]) => html`<input type="hidden" name="${k}" value="${v}" />`,
    )}<button
      type="submit"
      class="btn ${o.tone ?? 'secondary'}"
      ${o.ariaLabel ? html`aria-label="${o.ariaLabel}"` : ''}
    >
      ${label}
    </button>
  </form>`
}

export const linkButton = (href: string, label: string, tone: ButtonTone = 'secondary'): Html =>
  html`<a class="btn ${tone}" href="${href}">${label}</a>`

type FieldBase = {
  readonly name: string
  readonly label: string
  readonly id?: string
  readonly hint?: string
  readonly required?: boolean
  readonly narrow?: boolean
  /** Takes a whole row of the form. */
  readonly wide?: boolean
}

function wrap(f: FieldBase, id: string, control: Html): Html {
  const size = f.narrow ? 'narrow' : f.wide ? 'wide' : ''
  return html`<div class="field ${size}">
    <label for="${id}">${f.label}</label>${control}
    ${f.hint ? html`<p class="hint" id="${id}-hint">${f.hint}</p>` : ''}
  </div>`
}

const described = (f: FieldBase, id: string) => (f.hint ? html`aria-describedby="${id}-hint"` : '')

export function input(
  f: FieldBase & {
    type?: 'text' | 'password' | 'number' | 'date' | 'search'
    value?: string
    placeholder?: string
    autocomplete?: string
    min?: number
    max?: number
  },
): Html {
  const id = f.id ?? f.name
  return wrap(
    f,
    id,
    html`<input
      type="${f.type ?? 'text'}"
      id="${id}"
      name="${f.name}"
      value="${f.value ?? ''}"
      ${f.placeholder ? html`placeholder="${f.placeholder}"` : ''}
      autocomplete="${f.autocomplete ?? 'off'}"
      ${f.min !== undefined ? html`min="${f.min}"` : ''}
      ${f.max !== undefined ? html`max="${f.max}"` : ''}
      ${f.required ? html`required` : ''}
      ${described(f, id)}
    />`,
  )
}

export function select(
  f: FieldBase & { options: readonly (readonly [string, string])[]; value?: string },
): Html {
  const id = f.id ?? f.name
  return wrap(
    f,
    id,
    html`<select
      id="${id}"
      name="${f.name}"
      ${f.required ? html`required` : ''}
      ${described(f, id)}
    >
      ${f.options.map(
        ([value, label]) =>
          html`<option value="${value}" ${value === f.value ? html`selected` : ''}>
            ${label}
          </option>`,
      )}
    </select>`,
  )
}

export function textarea(f: FieldBase & { value?: string; rows?: number }): Html {
  const id = f.id ?? f.name
  return wrap(
    f,
    id,
    html`<textarea id="${id}" name="${f.name}" rows="${f.rows ?? 4}" ${described(f, id)}>
${f.value ?? ''}</textarea>`,
  )
}

export function checkbox(f: { name: string; label: string; id?: string; checked?: boolean }) {
  const id = f.id ?? f.name
  return html`<div class="field check-field">
    <label class="check" for="${id}"
      ><input type="checkbox" id="${id}" name="${f.name}" ${f.checked ? html`checked` : ''} />
      ${f.label}</label
    >
  </div>`
}

/** The form's button; `alone` when it starts a row of its own (no label beside it to line up with). */
export const submit = (label: string, tone: ButtonTone = 'primary', alone = false): Html =>
  html`<div class="field submit-field ${alone ? 'alone' : ''}">
    <button type="submit" class="btn ${tone}">${label}</button>
  </div>`

/** Ends a row of fields in a `form()`. */
export const rowBreak = html`<div class="break" aria-hidden="true"></div>`

/** A form whose fields sit side by side and wrap. */
export const form = (action: string, fields: Html, method: 'get' | 'post' = 'post'): Html =>
  html`<form method="${method}" action="${action}" class="fields">${fields}</form>`

/** `/path?a=1&b=2` without empty values. */
export function withQuery(path: string, query: Record<string, string | number | undefined>) {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q.set(k, String(v))
  const s = q.toString()
  return s ? `${path}?${s}` : path
}

/** A path segment, encoded (user names may hold characters that mean something in a URL). */
export const seg = (s: string) => encodeURIComponent(s)
