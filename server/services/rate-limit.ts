import { type Deps, nowOf } from './deps.ts';
import { deleteOldRateLimits, hitRateLimit } from '../db/queries/rate-limits.ts';
import { AppError } from '../errors.ts';

export interface Limit {
  /** What is limited, e.g. `login:ip`. */
  name: string;
  max: number;
  windowSeconds: number;
}

export const LIMITS = {
  signupPerIp: { name: 'signup:ip', max: 20, windowSeconds: 60 },
  signupPerProgram: { name: 'signup:program', max: 600, windowSeconds: 60 },
  reviewPerIp: { name: 'review:ip', max: 10, windowSeconds: 60 },
  reviewPerProgram: { name: 'review:program', max: 300, windowSeconds: 60 },
  surveyPerIp: { name: 'survey:ip', max: 60, windowSeconds: 60 },
  surveyPerProgram: { name: 'survey:program', max: 600, windowSeconds: 60 },
  merchantSignupPerIp: { name: 'merchant-signup:ip', max: 10, windowSeconds: 600 },
  // Login: guesses at one account from one place stop at 10; an IP trying many accounts at 50.
  // Per account alone, anyone could lock its owner out with 10 wrong passwords: only a slow
  // brake counts per account whatever the IP (against guessing from many addresses).
  loginPerEmailAndIp: { name: 'login:email-ip', max: 10, windowSeconds: 900 },
  loginPerIp: { name: 'login:ip', max: 50, windowSeconds: 900 },
  loginPerEmail: { name: 'login:email', max: 100, windowSeconds: 3600 },
  appleLogPerIp: { name: 'apple-log:ip', max: 60, windowSeconds: 60 },
  // Card recovery sends a mail: a few an hour per address (whether it is a member's or not), and
  // per IP enough for a shop's wifi.
  recoverPerEmail: { name: 'recover:email', max: 3, windowSeconds: 3600 },
  recoverPerIp: { name: 'recover:ip', max: 20, windowSeconds: 3600 },
} as const satisfies Record<string, Limit>;

/**
 * Counts a hit against `limit` for `subject` (an IP, an email…) and throws `rate_limited` with
 * the seconds to wait when the window is full. Counters live in the database, so every server
 * process shares them. The window is the one the services' clock is in.
 */
export async function enforceRateLimit(deps: Pick<Deps, 'db' | 'clock'>, limit: Limit, subject: string): Promise<void> {
  const { db } = deps;
  const now = nowOf(deps).getTime();
  const windowMs = limit.windowSeconds * 1000;
  const start = Math.floor(now / windowMs) * windowMs;
  const hits = await hitRateLimit(db, `${limit.name}:${subject.toLowerCase()}`, new Date(start));
  // Now and then, forget windows that ended long ago.
  if (Math.random() < 0.01) await deleteOldRateLimits(db, new Date(now - 86_400_000));
  if (hits > limit.max) {
    const retryAfter = Math.max(1, Math.ceil((start + windowMs - now) / 1000));
    throw new AppError('rate_limited', `Too many attempts. Try again in ${retryAfter} seconds.`, { retryAfterSeconds: retryAfter });
  }
}
