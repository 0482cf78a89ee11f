import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError, type ErrorCode, type FieldError } from '../errors.ts';

/** Each error code's HTTP status. */
export const ERROR_STATUS = {
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  already_member: 409,
  insufficient_balance: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  unavailable: 503,
} as const satisfies Record<ErrorCode, ContentfulStatusCode>;

const TITLES: Record<ErrorCode, string> = {
  validation_failed: 'Invalid request',
  unauthorized: 'Not signed in',
  forbidden: 'Not allowed',
  not_found: 'Not found',
  conflict: 'Conflict',
  already_member: 'Already a member',
  insufficient_balance: 'Insufficient balance',
  payload_too_large: 'Request too large',
  unsupported_media_type: 'Unsupported media type',
  rate_limited: 'Too many requests',
  internal_error: 'Internal error',
  unavailable: 'Service unavailable',
};

/** Hono's own exceptions (the validator's "Malformed JSON in request body", …) by status. */
const CODE_OF_STATUS: Partial<Record<number, ErrorCode>> = {
  400: 'validation_failed',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'unavailable',
};

/** An error answer (RFC 9457 `application/problem+json`) with our stable `code`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  errors?: FieldError[];
}

export function problem(code: ErrorCode, detail: string, errors?: FieldError[]): Problem {
  return {
    type: `urn:fidelio:problem:${code}`,
    title: TITLES[code],
    status: ERROR_STATUS[code],
    detail,
    code,
    ...(errors ? { errors } : {}),
  };
}

const PROBLEM_JSON = { 'Content-Type': 'application/problem+json' };

/** Writes `body` as problem+json. */
export const sendProblem = (c: Context, body: Problem) => c.json(body, body.status as ContentfulStatusCode, PROBLEM_JSON);

/**
 * The one place an error becomes an answer: a named `AppError` with its status (and
 * `Retry-After` for a rate limit), one of Hono's own exceptions with its code, a request whose
 * client hung up as one quiet line in the log, anything else a logged 500 with no stack in the
 * answer.
 */
export function errorAnswer(err: Error, c: Context): Response {
  if (err instanceof AppError) {
    if (err.retryAfterSeconds !== undefined) c.header('Retry-After', String(err.retryAfterSeconds));
    return sendProblem(c, problem(err.code, err.detail, err.errors));
  }
  const code = err instanceof HTTPException ? CODE_OF_STATUS[err.status] : undefined;
  if (code) {
    const detail = err.message || 'Invalid request.';
    // A validation answer always lists what failed; for a body that is not JSON, the body.
    return sendProblem(c, problem(code, detail, code === 'validation_failed' ? [{ path: '(body)', message: detail }] : undefined));
  }
  if (clientClosed(err, c)) {
    // Nobody reads this answer, and nothing failed here: one quiet line, no stack.
    console.info(`[fidelio] ${c.req.method} ${c.req.path}: the client closed the connection before its request was read`);
    const detail = 'The request was cut off before its body arrived.';
    return sendProblem(c, problem('validation_failed', detail, [{ path: '(body)', message: detail }]));
  }
  console.error(`[fidelio] ${c.req.method} ${c.req.path} failed:`, err);
  return sendProblem(c, problem('internal_error', 'Something went wrong on our side. Please try again.'));
}

/** How Node and streams say a connection went away (`aborted` of the request body is ECONNRESET). */
const CLOSED = new Set(['ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE', 'ABORT_ERR']);

/**
 * The client hung up while its request was coming in (a closed tab, a phone that lost the
 * network). Both must hold: the request's own signal is aborted (@hono/node-server aborts it
 * when the connection closes before the answer), and the error is a closed connection, so a
 * reset of one of our own connections (Postgres, SMTP, Google) is still a failure.
 */
function clientClosed(err: Error, c: Context): boolean {
  const code = (err as { code?: unknown }).code;
  return c.req.raw.signal.aborted && ((typeof code === 'string' && CLOSED.has(code)) || err.name === 'AbortError');
}
