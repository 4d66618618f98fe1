/** Watches a page's console, failed requests and error answers, and sorts them into MLflow's own and the gateway's. */
import type { Page, Response } from 'playwright-core'
import type { AuditEvent } from '../../src/audit/event.js'

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
    status: 401,
    why:
      "the gateway answers MLflow's auth API itself (src/mlflow-auth-api/): a visitor asking who " +
      "is signed in gets 401 without a Basic challenge, as from MLflow's basic-auth app, and the " +
      'UI takes it as "nobody"; signed-in callers get 200',
  },
]

/** Console errors the MLflow UI logs itself on working pages, and why they are harmless. */
export const MLFLOW_OWN_CONSOLE: readonly { readonly text: RegExp; readonly why: string }[] = [
  {
    text: /ResizeObserver loop completed with undelivered notifications/,
    why:
      "the browser's notice that the UI's chart grid resized itself within one frame (the charts " +
      'are laid out again on the next); no request is involved',
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

/** The gateway's audit lines and whose requests to read there (the page's role). */
export type AuditSource = { readonly events: readonly AuditEvent[]; readonly principal: string }

/**
 * Every error answer, console error and broken request of one page, since the last reset(). With
 * the gateway's audit lines it also sees what the UI's shared workers asked (its telemetry
 * worker), which no page or context event reports.
 */
export class PageWatch {
  readonly answers: Seen[] = []
  readonly consoleErrors: string[] = []
  readonly broken: string[] = []
  private pending: Promise<void>[] = []
  private auditFrom = 0

  private readonly audit?: AuditSource

  constructor(page: Page, audit?: AuditSource) {
    this.audit = audit
    this.auditFrom = audit?.events.length ?? 0
    page.on('response', (res) => {
      if (res.status() >= 400) this.pending.push(this.record(res))
    })
    // "Failed to load resource" lines repeat an error answer already recorded above.
    page.on('console', (msg) => {
      const text = msg.text()
      if (msg.type() !== 'error' || text.startsWith('Failed to load resource')) return
      if (MLFLOW_OWN_CONSOLE.some((c) => c.text.test(text))) return
      this.consoleErrors.push(`${text} (${msg.location().url})`)
    })
    page.on('pageerror', (err) => {
      if (!MLFLOW_OWN_CONSOLE.some((c) => c.text.test(err.message))) {
        this.consoleErrors.push(`uncaught: ${err.message}`)
      }
    })
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
    this.auditFrom = this.audit?.events.length ?? 0
  }

  /** Refusals and errors the gateway answered itself to this role that the page did not see. */
  private unseenGatewayAnswers(): Seen[] {
    if (!this.audit) return []
    const { events, principal } = this.audit
    return events
      .slice(this.auditFrom)
      .filter((e) => e.principal === principal && e.status >= 400 && e.upstream_status === null)
      .filter(
        (e) =>
          !this.answers.some(
            (a) => a.method === e.method && a.path === e.path && a.status === e.status,
          ),
      )
      .map((e) => ({
        status: e.status,
        method: e.method,
        path: e.path,
        query: '',
        gatewayCode: 'unseen by the page, from the audit log',
        message: e.reasons.map((r) => r.message).join('; '),
      }))
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
    const answers = [...this.answers, ...this.unseenGatewayAnswers()]
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
