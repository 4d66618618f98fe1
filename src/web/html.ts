/** HTML for the gateway's own pages: escaping and the shared page frame. */

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Escapes text for HTML element content and quoted attribute values. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!)
}

/** A tagged template whose interpolations are escaped unless wrapped with `raw()`. */
export type Html = { readonly __html: string }
export const raw = (html: string): Html => ({ __html: html })
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!
  values.forEach((v, i) => {
    const text = Array.isArray(v)
      ? v.map((x) => (isHtml(x) ? x.__html : esc(String(x)))).join('')
      : isHtml(v)
        ? v.__html
        : v === undefined || v === null || v === false
          ? ''
          : esc(String(v))
    out += text + strings[i + 1]!
  })
  return raw(out)
}
const isHtml = (v: unknown): v is Html => typeof v === 'object' && v !== null && '__html' in v

/** A complete page with the gateway's look; no scripts, so it works with JavaScript off. */
export function page(title: string, body: Html, bodyClass?: string): string {
  return `<!doctype html>${
    html`<html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>${title} · mlflow-gate</title>
        <link rel="stylesheet" href="/_gate/static/gate.css" />
      </head>
      <body${bodyClass ? raw(` class="${esc(bodyClass)}"`) : ''}>
        ${body}
      </body>
    </html> `.__html
  }`
}
