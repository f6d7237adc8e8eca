// One catalogue of error codes: SCREAMING_SNAKE_CASE with a capability prefix, each with its HTTP status.
// Domain code throws PosopsError; one handler in the server maps it to {"error":{"code","message"}}.

export const ERROR_CODES = {
  CONFIG_INVALID: 500,
  INGEST_EVENT_INVALID: 400,
  INGEST_BODY_UNREADABLE: 400,
  INGEST_BODY_TOO_LARGE: 413,
  INGEST_OVERLOADED: 503,
  INGEST_FORBIDDEN_TERMINAL: 403,
  LOG_CORRUPT: 500,
  LOG_CLOSED: 503,
  LOG_LOCKED: 500,
  LOG_UNAVAILABLE: 503,
  STORE_LOCKED: 500,
  STORE_UNAVAILABLE: 503,
  REGISTRY_INVALID: 400,
  FLEET_TERMINAL_NOT_FOUND: 404,
  FLEET_MERCHANT_NOT_FOUND: 404,
  INCIDENT_NOT_FOUND: 404,
  AUTH_REQUIRED: 401,
  AUTH_INVALID_CREDENTIALS: 401,
  AUTH_ACCOUNT_LOCKED: 429,
  AUTH_FORBIDDEN: 403,
  AUTH_PASSWORD_CHANGE_REQUIRED: 403,
  AUTH_USER_EXISTS: 409,
  AUTH_USER_NOT_FOUND: 404,
  REQUEST_INVALID: 400,
  REQUEST_NOT_FOUND: 404,
  SERVER_INTERNAL: 500,
  MQTT_UNAVAILABLE: 503,
  RATE_LIMITED: 429,
  SIM_SCENARIO_INVALID: 400,
  SIM_OPTIONS_INVALID: 400,
  ACTION_INVALID: 400,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class PosopsError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'PosopsError';
    this.code = code;
    this.statusCode = ERROR_CODES[code];
    this.details = details;
  }
}

export function isPosopsError(err: unknown, code?: ErrorCode): err is PosopsError {
  return err instanceof PosopsError && (code === undefined || err.code === code);
}
