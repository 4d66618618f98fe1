/** Watches a page's console, failed requests and error answers, and sorts them into MLflow's own and the gateway's. */
import type { Page, Response } from 'playwright-core'

/** An error answer that is expected on pages that work, and why. */
type Expected = {
  readonly path: RegExp
  readonly query?: RegExp
  readonly status: number
  readonly why: string
}

/**
 * Errors MLflow itself answers on working pages (no `gateway_code`: forwarded unchanged), which
 * the UI handles. Anything else from MLflow is reported, since it may come from a gateway change
 * to the request.
 */
export const MLFLOW_OWN: readonly Expected[] = [
  {
    path: /^\/model-versions\/get-artifact$/,
    query: /(^|&)presigned=true(&|$)/,
    status: 501,
    why:
      'the model-version page first asks for a presigned URL; MLflow answers NOT_IMPLEMENTED for ' +
      'its own artifact proxy (handlers.py get_model_version_artifact_handler) and the UI then ' +
      'downloads MLmodel directly',
  },
]

/** Answers the gateway gives on purpose on every page, which the UI copes with. */
export const GATEWAY_ON_PURPOSE: readonly Expected[] = [
  {
    path: /^\/ajax-api\/3\.0\/mlflow\/assistant\/(config|providers)$/,
    status: 403,
    why:
      'the MLflow Assistant trusts loopback callers (assistant/api.py _require_localhost) and every ' +
      'caller is loopback behind the gateway, so its routes are never forwarded; the UI then shows ' +
      'the Assistant as not set up',
  },
  {
    path: /^\/ajax-api\/2\.0\/mlflow\/users\/current$/,
    status: 404,
    why:
      'MLflow without its basic-auth app has no such route and answers 404 itself; the UI asks ' +
      'for it to show who is signed in and takes 404 as "nobody"',
  },
]

export type Seen = {
  readonly status: number
  readonly method: string
  readonly path: string
  readonly query: string
  /** The gateway's `gateway_code` when the gateway answered itself, else undefined (MLflow's). */
  readonly gatewayCode?: string
  readonly message: string
}

/** Every error answer, console error and broken request of one page, since the last reset(). */
export class PageWatch {
  readonly answers: Seen[] = []
  readonly consoleErrors: string[] = []
  readonly broken: string[] = []
  private pending: Promise<void>[] = []

  constructor(page: Page) {
    page.on('response', (res) => {
      if (res.status() >= 400) this.pending.push(this.record(res))
    })
    // "Failed to load resource" lines repeat an error answer already recorded above.
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) {
        this.consoleErrors.push(`${msg.text()} (${msg.location().url})`)
      }
    })
    page.on('pageerror', (err) => this.consoleErrors.push(`uncaught: ${err.message}`))
    // ERR_ABORTED is the browser cancelling a request itself (a navigation stops the UI's polls).
    page.on('requestfailed', (req) => {
      const failure = req.failure()?.errorText ?? 'failed'
      if (failure !== 'net::ERR_ABORTED')
        this.broken.push(`${req.method()} ${req.url()}: ${failure}`)
    })
  }

  private async record(res: Response): Promise<void> {
    const url = new URL(res.url())
    let body: { gateway_code?: string; error_code?: string; message?: string } = {}
    try {
      body = JSON.parse(await res.text()) as typeof body
    } catch {
      // Not JSON (an HTML 404 from MLflow, or a body the page no longer holds).
    }
    this.answers.push({
      status: res.status(),
      method: res.request().method(),
      path: url.pathname,
      query: url.search.slice(1),
      gatewayCode: body.gateway_code,
      message: `${body.error_code ?? ''} ${body.message ?? ''}`.trim(),
    })
  }

  /** Waits until every recorded answer's body has been read. */
  async settle(): Promise<void> {
    await Promise.all(this.pending)
  }

  reset(): void {
    this.answers.length = 0
    this.consoleErrors.length = 0
    this.broken.length = 0
    this.pending = []
  }

  /**
   * Everything not explained by the two lists above, one line each: the gateway's refusals and
   * errors, MLflow errors not known to be MLflow's own, console errors and broken requests.
   */
  async unexplained(): Promise<string[]> {
    await this.settle()
    const matches = (list: readonly Expected[], a: Seen) =>
      list.some(
        (e) => e.status === a.status && e.path.test(a.path) && (e.query?.test(a.query) ?? true),
      )
    const answers = this.answers
      .filter((a) => !matches(a.gatewayCode ? GATEWAY_ON_PURPOSE : MLFLOW_OWN, a))
      .map(
        (a) =>
          `${a.status} ${a.method} ${a.path}${a.query ? `?${a.query}` : ''}` +
          ` [${a.gatewayCode ? `gateway ${a.gatewayCode}` : 'MLflow'}] ${a.message}`,
      )
    return [
      ...new Set([...answers, ...this.consoleErrors.map((c) => `console: ${c}`), ...this.broken]),
    ]
  }
}
