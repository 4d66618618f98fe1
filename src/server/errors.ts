/** The gateway's one error catalogue: stable codes, their HTTP status and MLflow error code. */

/**
 * Each entry maps a stable gateway code to the HTTP status it is answered with and to the
 * `error_code` MLflow clients understand (mlflow/protos/databricks.proto, `ErrorCode`), so the
 * MLflow Python client raises a readable `MlflowException` instead of a parse error.
 */
export const ERRORS = {
  GW_BAD_REQUEST: { status: 400, mlflowCode: 'BAD_REQUEST' },
  GW_UNAUTHENTICATED: { status: 401, mlflowCode: 'UNAUTHENTICATED' },
  GW_PERMISSION_DENIED: { status: 403, mlflowCode: 'PERMISSION_DENIED' },
  GW_UNKNOWN_ROUTE: { status: 404, mlflowCode: 'ENDPOINT_NOT_FOUND' },
  GW_NOT_FOUND: { status: 404, mlflowCode: 'RESOURCE_DOES_NOT_EXIST' },
  GW_PAYLOAD_TOO_LARGE: { status: 413, mlflowCode: 'RESOURCE_EXHAUSTED' },
  GW_INTERNAL: { status: 500, mlflowCode: 'INTERNAL_ERROR' },
  GW_UPSTREAM_UNAVAILABLE: { status: 502, mlflowCode: 'TEMPORARILY_UNAVAILABLE' },
  GW_UPSTREAM_BAD_RESPONSE: { status: 502, mlflowCode: 'TEMPORARILY_UNAVAILABLE' },
  GW_CANNOT_DECIDE: { status: 503, mlflowCode: 'TEMPORARILY_UNAVAILABLE' },
  GW_UPSTREAM_TIMEOUT: { status: 504, mlflowCode: 'DEADLINE_EXCEEDED' },
} as const satisfies Record<string, { status: number; mlflowCode: string }>

export type ErrorCode = keyof typeof ERRORS

/** An error the gateway answers with a known status and an MLflow-shaped JSON body. */
export class GatewayError extends Error {
  readonly code: ErrorCode
  readonly status: number

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'GatewayError'
    this.code = code
    this.status = ERRORS[code].status
  }
}

/**
 * The JSON body MLflow's REST API uses for errors, plus our stable code for support. The message
 * names the gateway so nobody mistakes it for MLflow's own error.
 */
export function toErrorBody(err: GatewayError): {
  error_code: string
  message: string
  gateway_code: ErrorCode
} {
  return {
    error_code: ERRORS[err.code].mlflowCode,
    message: `mlflow-gate: ${err.message}`,
    gateway_code: err.code,
  }
}
