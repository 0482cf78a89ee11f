/**
 * The named errors of the application. Services, the domain's callers and the HTTP helpers
 * throw an `AppError` with a code from a closed list; only the HTTP layer
 * (`server/http/problem.ts`) knows which status and title each code gets.
 */

/** The closed list of machine words a client can rely on (API.md, "Errors"). */
export const ERROR_CODES = [
  'validation_failed',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'already_member',
  'insufficient_balance',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'internal_error',
  'unavailable',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldError {
  path: string;
  message: string;
}

/**
 * A failure a caller should see: a stable `code`, a human `detail`, for validation the failing
 * fields, and for a rate limit the seconds to wait.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly detail: string;
  readonly errors: FieldError[] | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, detail: string, extra: { errors?: FieldError[]; retryAfterSeconds?: number } = {}) {
    super(detail);
    this.name = 'AppError';
    this.code = code;
    this.detail = detail;
    this.errors = extra.errors;
    this.retryAfterSeconds = extra.retryAfterSeconds;
  }
}

export const notFound = (what = 'Not found.') => new AppError('not_found', what);

/** A refusal of one field: `validation_failed` naming it. */
export const invalidField = (path: string, message: string, detail = message) =>
  new AppError('validation_failed', detail, { errors: [{ path, message }] });
