// After-visit asks, as pure rules: after a visit, ask for a review or one survey question — at
// most once per member every 90 days, and not on the first visit when the owner says so.
import type { Campaigns } from './program.ts';

/** A member is asked at most once in this many days. */
export const ASK_EVERY_DAYS = 90;
const DAY_MS = 86_400_000;

/**
 * Whether this visit brings an ask: the play is on, it is not the member's first visit (when the
 * owner skips it), and the member's last ask is 90 days old or more (or there was none).
 */
export function askDue(asks: Campaigns['asks'], visit: { first: boolean; lastAskAt: Date | null; now: Date }): boolean {
  if (!asks.enabled) return false;
  if (visit.first && asks.skipFirstVisit) return false;
  return visit.lastAskAt === null || visit.now.getTime() - visit.lastAskAt.getTime() >= ASK_EVERY_DAYS * DAY_MS;
}

/** The oldest an ask may be and still be open (unanswered asks close after 90 days). */
export const askOpenSince = (now: Date) => new Date(now.getTime() - ASK_EVERY_DAYS * DAY_MS);
