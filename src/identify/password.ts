/** Password hashes in Werkzeug's formats (what MLflow's own auth stores), so imported users keep their passwords. */
import { createHash, pbkdf2, randomBytes, scrypt, timingSafeEqual } from 'node:crypto'
import { promisify } from 'node:util'

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: string,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>
const pbkdf2Async = promisify(pbkdf2)

/** Werkzeug's current default (werkzeug/security.py generate_password_hash): scrypt N=2^15, r=8, p=1. */
const DEFAULT = { N: 32768, r: 8, p: 1 }
const SALT_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** A 16-character salt from Werkzeug's alphabet (gen_salt). */
function genSalt(length = 16): string {
  const bytes = randomBytes(length)
  return Array.from(bytes, (b) => SALT_CHARS[b % SALT_CHARS.length]).join('')
}

/** `scrypt:32768:8:1$<salt>$<hex>`: the format Werkzeug writes and MLflow's basic_auth.db holds. */
export async function hashPassword(password: string): Promise<string> {
  const salt = genSalt()
  const key = await scryptAsync(password, salt, 64, {
    ...DEFAULT,
    maxmem: 128 * DEFAULT.N * DEFAULT.r * 2,
  })
  return `scrypt:${DEFAULT.N}:${DEFAULT.r}:${DEFAULT.p}$${salt}$${key.toString('hex')}`
}

/**
 * Whether a stored hash is in an older or weaker format than the one hashPassword writes today
 * (pbkdf2 from Werkzeug 2.x, or scrypt with other parameters), so it is worth replacing after a
 * successful sign-in, when the password is at hand.
 */
export function needsRehash(stored: string): boolean {
  return !stored.startsWith(`scrypt:${DEFAULT.N}:${DEFAULT.r}:${DEFAULT.p}$`)
}

/** Why a stored hash cannot be used, or undefined when its format is supported. */
export function hashFormatProblem(stored: string): string | undefined {
  return parseHash(stored)
    ? undefined
    : 'must be a scrypt:N:r:p$salt$hex or pbkdf2:sha256:iterations$salt$hex hash'
}

type Parsed =
  | { kind: 'scrypt'; N: number; r: number; p: number; salt: string; hex: string }
  | { kind: 'pbkdf2'; digest: string; iterations: number; salt: string; hex: string }

function parseHash(stored: string): Parsed | undefined {
  const [method, salt, hex] = stored.split('$')
  if (!method || !salt || !hex || !/^[0-9a-f]+$/.test(hex)) return undefined
  const parts = method.split(':')
  if (parts[0] === 'scrypt' && parts.length === 4) {
    const [N, r, p] = parts.slice(1).map(Number) as [number, number, number]
    if ([N, r, p].every((n) => Number.isInteger(n) && n > 0))
      return { kind: 'scrypt', N, r, p, salt, hex }
  }
  if (parts[0] === 'pbkdf2' && parts.length === 3 && ['sha256', 'sha512'].includes(parts[1]!)) {
    const iterations = Number(parts[2])
    if (Number.isInteger(iterations) && iterations > 0) {
      return { kind: 'pbkdf2', digest: parts[1]!, iterations, salt, hex }
    }
  }
  return undefined
}

/** Checks a password against a stored hash in constant time; false for unusable hashes. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored)
  if (!parsed) return false
  const expected = Buffer.from(parsed.hex, 'hex')
  const actual =
    parsed.kind === 'scrypt'
      ? await scryptAsync(password, parsed.salt, expected.length, {
          N: parsed.N,
          r: parsed.r,
          p: parsed.p,
          maxmem: 128 * parsed.N * parsed.r * 2,
        })
      : await pbkdf2Async(password, parsed.salt, parsed.iterations, expected.length, parsed.digest)
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}

/** A fixed-length digest for comparing secrets without leaking their length through timing. */
export function digest(secret: string): Buffer {
  return createHash('sha256').update(secret).digest()
}
