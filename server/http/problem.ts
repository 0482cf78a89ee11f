import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Locale } from '../../common/localize.ts';
import { AppError, type ErrorCode, type FieldError } from '../errors.ts';
import { requestLanguage } from './language.ts';
import { localizeMessage, message } from './messages.ts';

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

/** Each code's title, in English and French. */
const TITLES: Record<ErrorCode, readonly [string, string]> = {
  validation_failed: ['Invalid request', 'Requête invalide'],
  unauthorized: ['Not signed in', 'Non connecté'],
  forbidden: ['Not allowed', 'Non autorisé'],
  not_found: ['Not found', 'Introuvable'],
  conflict: ['Conflict', 'Conflit'],
  already_member: ['Already a member', 'Déjà membre'],
  insufficient_balance: ['Insufficient balance', 'Solde insuffisant'],
  payload_too_large: ['Request too large', 'Requête trop volumineuse'],
  unsupported_media_type: ['Unsupported media type', 'Type de contenu non pris en charge'],
  rate_limited: ['Too many requests', 'Trop de requêtes'],
  internal_error: ['Internal error', 'Erreur interne'],
  unavailable: ['Service unavailable', 'Service indisponible'],
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
    title: TITLES[code][0],
    status: ERROR_STATUS[code],
    detail,
    code,
    ...(errors ? { errors } : {}),
  };
}

const PROBLEM_JSON = { 'Content-Type': 'application/problem+json' };

/** `body` in `language`: its title, its detail and its field messages (the code, type and paths never change). */
export function localizeProblem(body: Problem, language: Locale): Problem {
  if (language === 'en') return body;
  return {
    ...body,
    title: TITLES[body.code][language === 'fr' ? 1 : 0],
    detail: localizeMessage(body.detail, language),
    ...(body.errors && { errors: body.errors.map((e) => ({ path: e.path, message: localizeMessage(e.message, language) })) }),
  };
}

/**
 * Writes `body` as problem+json, in the request's language (`Accept-Language`): every error
 * answer goes through here, whoever threw it.
 */
export function sendProblem(c: Context, body: Problem) {
  c.header('Vary', 'Accept-Language', { append: true });
  return c.json(localizeProblem(body, requestLanguage(c)), body.status as ContentfulStatusCode, PROBLEM_JSON);
}

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
    const detail = err.message || message('invalid_request', 'en');
    // A validation answer always lists what failed; for a body that is not JSON, the body.
    return sendProblem(c, problem(code, detail, code === 'validation_failed' ? [{ path: '(body)', message: detail }] : undefined));
  }
  if (clientClosed(err, c)) {
    // Nobody reads this answer, and nothing failed here: one quiet line, no stack.
    console.info(`[fidelio] ${c.req.method} ${c.req.path}: the client closed the connection before its request was read`);
    const detail = message('body_cut_off', 'en');
    return sendProblem(c, problem('validation_failed', detail, [{ path: '(body)', message: detail }]));
  }
  console.error(`[fidelio] ${c.req.method} ${c.req.path} failed:`, err);
  return sendProblem(c, problem('internal_error', message('server_failed', 'en')));
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
