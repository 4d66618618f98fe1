/** The rule for passwords people choose (API, CLI, MLflow-compatible routes) and hashing one that passes. */
import { GatewayError } from '../server/errors.js'
import { hashPassword } from './password.js'

/**
 * MLflow 3.18.0 refuses passwords under 12 characters (mlflow/utils/validation.py
 * `_validate_password`); the gateway uses the same floor so the two never disagree. The ceiling
 * keeps one scrypt run bounded.
 */
export const PASSWORD_MIN_LENGTH = 12
export const PASSWORD_MAX_LENGTH = 1024

/** Why a new password is refused, or undefined when it is acceptable. */
export function newPasswordProblem(password: string): string | undefined {
  if (password.length < PASSWORD_MIN_LENGTH)
    return `a password must be at least ${PASSWORD_MIN_LENGTH} characters`
  if (password.length > PASSWORD_MAX_LENGTH)
    return `a password must be at most ${PASSWORD_MAX_LENGTH} characters`
  if (password.trim() === '') return 'a password must not be only spaces'
  return undefined
}

/** Checks a new password and returns its Werkzeug scrypt hash, or throws GW_INVALID_PARAMETER. */
export async function hashNewPassword(password: string): Promise<string> {
  const problem = newPasswordProblem(password)
  if (problem) throw new GatewayError('GW_INVALID_PARAMETER', problem)
  return hashPassword(password)
}
