/** Sending the gateway's own HTML pages: the security headers every page carries, the top bar, and a one-message page. */
import type { FastifyReply } from 'fastify'
import { html, page, type Html } from './html.js'

export const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  // The pages load nothing but their own stylesheet and cannot be framed (clickjacking).
  'content-security-policy':
    "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
}

export function sendPage(reply: FastifyReply, status: number, body: string) {
  return reply.code(status).headers(PAGE_HEADERS).send(body)
}

export function topBar(right: Html | string = ''): Html {
  return html`<header class="gate-top">
    <a class="gate-brand" href="/"
      ><span class="mark" aria-hidden="true">M</span>MLflow <span class="by">· mlflow-gate</span></a
    >${right}
  </header>`
}

/** A centred card with a title, one sentence and a way on. */
export function messagePage(
  title: string,
  message: string,
  link: { href: string; text: string } = { href: '/', text: 'Back to MLflow' },
): string {
  return page(
    title,
    html`<div class="gate">${topBar()}</div>
      <main class="gate-center">
        <div class="card">
          <h1>${title}</h1>
          <p class="sub">${message}</p>
          <a class="button" href="${link.href}">${link.text}</a>
        </div>
      </main>`,
    'gate',
  )
}
