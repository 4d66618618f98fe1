/** API tokens: `Authorization: Bearer <token>` (MLFLOW_TRACKING_TOKEN), and the check Basic uses when the password is a token. */
import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { Policy } from '../authorize/policy.js'
import { GatewayError } from '../server/errors.js'
import { hashSecret, parseToken } from '../storage/access/tokens.js'
import type { Identifier } from './index.js'
import type { Principal } from './principal.js'

const refused = (why: string) =>
  new GatewayError('GW_UNAUTHENTICATED', `${why}; check MLFLOW_TRACKING_TOKEN`)

/** Told each time a token is used; the store records it in batches. */
export type TokenUse = (tokenId: string) => void

/**
 * The principal a token stands for, or a GatewayError. `user`, when given (Basic), must name the
 * token's owner. Every failure reads the same so a caller learns nothing about which part was wrong.
 */
export function principalForToken(
  policy: Policy,
  text: string,
  now: number,
  user?: string,
): Principal {
  const parsed = parseToken(text)
  const record = parsed && policy.tokens.get(parsed.id)
  const owner = record && policy.users.get(record.user)
  const presented = Buffer.from(hashSecret(parsed?.secret ?? ''), 'hex')
  const stored = Buffer.from(record?.secretHash ?? '0'.repeat(64), 'hex')
  const secretOk = presented.length === stored.length && timingSafeEqual(presented, stored)
  if (
    !record ||
    !owner ||
    !secretOk ||
    owner.disabled ||
    (user !== undefined && user.toLowerCase() !== record.user) ||
    (record.expiresAt !== undefined && record.expiresAt <= now)
  ) {
    throw refused('invalid, expired or revoked token')
  }
  return {
    kind: 'user',
    name: owner.name,
    groups: owner.groups,
    admin: owner.admin,
    via: 'token',
    tokenId: record.id,
    ...(record.readOnly && { readOnly: true as const }),
  }
}

export function bearerIdentifier(
  policy: () => Policy,
  used: TokenUse,
  now: () => number = Date.now,
): Identifier {
  return async function bearer(req: IncomingMessage): Promise<Principal | undefined> {
    const header = req.headers.authorization
    if (header === undefined) return undefined
    const space = header.indexOf(' ')
    if (space === -1 || header.slice(0, space).toLowerCase() !== 'bearer') return undefined
    const principal = principalForToken(policy(), header.slice(space + 1).trim(), now())
    used(principal.kind === 'user' ? principal.tokenId! : '')
    return principal
  }
}
