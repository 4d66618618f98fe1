/** Starts the real gateway in-process on a free port for a test, capturing its audit lines. */
import { pino } from 'pino'
import { stringify } from 'yaml'
import type { AuditEvent } from '../../src/audit/event.js'
import { parseConfig } from '../../src/config/load.js'
import { startGateway, type Gateway } from '../../src/server/app.js'
import { ADMIN_ONLY } from './users.js'

export type TestGateway = Gateway & { readonly audit: AuditEvent[] }

type Settings = Record<string, Record<string, unknown>>

/** `settings` are merged per section over a test default (port 0, in-memory SQLite, one admin user). */
export async function startTestGateway(
  upstreamUrl: string,
  settings: Settings = {},
): Promise<TestGateway> {
  const defaults: Settings = {
    listen: { port: 0 },
    upstream: { url: upstreamUrl },
    storage: { url: 'sqlite::memory:' },
    access: ADMIN_ONLY,
  }
  const merged: Settings = { ...defaults }
  for (const [section, values] of Object.entries(settings)) {
    merged[section] = { ...defaults[section], ...values }
  }
  // Through the real parser, so tests run on a config exactly as a user's file would give it.
  const config = parseConfig(stringify(merged), { source: 'test', baseDir: process.cwd(), env: {} })
  const audit: AuditEvent[] = []
  const gateway = await startGateway(config, {
    log: pino({ level: process.env.GATE_TEST_LOG ?? 'silent' }),
    audit: { emit: (e) => audit.push(e) },
    drainMs: 1_000,
  })
  return Object.assign(gateway, { audit })
}
