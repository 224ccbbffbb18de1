/**
 * Every error Vigil raises on purpose carries a stable code from this closed list, whether a retry
 * can help, and the cause. Codes are mapped to HTTP statuses and exit codes only at the edges
 * (api, cli), and used as metric labels, so they must never be built from free text.
 */
export const ERROR_CODES = [
  'VIGIL_CONFIG_INVALID',
  'VIGIL_TEMPLATE_NOT_FOUND',
  'VIGIL_TEMPLATE_INVALID',
  'VIGIL_DETECTOR_UNKNOWN',
  'VIGIL_DETECTOR_LOAD',
  'VIGIL_DETECTOR_FAILED',
  'VIGIL_EVENT_DECODE',
  'VIGIL_EVENT_SCHEMA',
  'VIGIL_KAFKA',
  'VIGIL_BROKER_START',
  'VIGIL_SINK_WRITE',
  'VIGIL_SINK_MIGRATION',
  'VIGIL_QUERY',
  'VIGIL_QUERY_LIMIT',
  'VIGIL_WEBHOOK_DELIVERY',
  'VIGIL_RULE_INVALID',
  'VIGIL_RULE_NOT_FOUND',
  'VIGIL_ACK_INVALID',
  'VIGIL_API_UNREACHABLE',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class VigilError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'VigilError';
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}

export function isVigilError(error: unknown, code?: ErrorCode): error is VigilError {
  return error instanceof VigilError && (code === undefined || error.code === code);
}

/** A readable one-line reason for logs, DLQ headers and webhooks' error fields. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
