/** Catalogue rows for webhooks (WebhookService): server-wide configuration, for admins only. */
import type { Row } from '../row.js'
import { both } from './build.js'

// A webhook sends registry events to any URL with a secret chosen by its creator, and `test`
// makes the server call that URL now; nothing about them is scoped to one resource.
export const ROWS: readonly Row[] = [
  ...both(2, 'POST', '/mlflow/webhooks', {
    action: 'admin',
    body: 'json',
    source: 'handlers.py _create_webhook',
  }),
  ...both(2, 'GET', '/mlflow/webhooks', {
    action: 'admin',
    body: 'json',
    filter: 'webhooks',
    source: 'handlers.py _list_webhooks',
  }),
  ...both(2, 'GET', '/mlflow/webhooks/{webhook_id}', {
    action: 'admin',
    body: 'none',
    source: 'handlers.py _get_webhook',
  }),
  ...both(2, 'PATCH', '/mlflow/webhooks/{webhook_id}', {
    action: 'admin',
    body: 'json',
    source: 'handlers.py _update_webhook',
  }),
  ...both(2, 'DELETE', '/mlflow/webhooks/{webhook_id}', {
    action: 'admin',
    body: 'none',
    source: 'handlers.py _delete_webhook',
  }),
  ...both(2, 'POST', '/mlflow/webhooks/{webhook_id}/test', {
    action: 'admin',
    body: 'json',
    source: 'handlers.py _test_webhook',
  }),
]
