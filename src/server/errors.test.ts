import { describe, expect, it } from 'vitest'
import { ERRORS, GatewayError, toErrorBody } from './errors.js'

describe('error catalogue', () => {
  it('names every code GW_SCREAMING_SNAKE and gives it an error status', () => {
    for (const [code, entry] of Object.entries(ERRORS)) {
      expect(code).toMatch(/^GW_[A-Z]+(_[A-Z]+)*$/)
      expect(entry.status).toBeGreaterThanOrEqual(400)
      expect(entry.mlflowCode).toMatch(/^[A-Z_]+$/)
    }
  })

  it('renders MLflow error shape with the stable code beside it', () => {
    const err = new GatewayError('GW_UPSTREAM_TIMEOUT', 'MLflow did not answer in 30000 ms')
    expect(err.status).toBe(504)
    expect(toErrorBody(err)).toEqual({
      error_code: 'DEADLINE_EXCEEDED',
      message: 'mlflow-gate: MLflow did not answer in 30000 ms',
      gateway_code: 'GW_UPSTREAM_TIMEOUT',
    })
  })
})
