// E-mail as the application sees it: a member who lost their card asks for it again; a member
// leaves the marketing list through the link of a marketing mail; a merchant's campaign goes to
// the members who consented. Every mail is queued in the outbox, in the transaction that causes
// it, and sent by the mail worker (server/mail/): nothing here waits on an SMTP server.
import { randomUUID } from 'node:crypto';
import { memberLanguage, type Locale } from '../../common/localize.ts';
import {
  type ConsentRow,
  getConsent,
  type MarketingContent,
  queueMarketingMail,
  queueRecoveryMail,
  withdrawMarketingConsent,
} from '../db/queries/mail.ts';
import type { ProgramRow } from '../db/queries/programs.ts';
import { customerOfUnsubscribeToken } from '../domain/unsubscribe.ts';
import { AppError, notFound } from '../errors.ts';
import type { Deps } from './deps.ts';
import { enforceRateLimit, LIMITS } from './rate-limit.ts';

function mailOn(deps: Pick<Deps, 'config'>): void {
  if (!deps.config.mail) throw new AppError('unavailable', 'This server does not send e-mail.');
}

/**
 * A card-recovery mail to the program's member with this address, if there is one. The caller
 * learns nothing either way: a member and a stranger take the same path (the same rate limits —
 * per client IP, then per address, members or not —, the same one-row write, one commit, one
 * bell) and get the same answer; the mail worker looks the member up, and drops a stranger's
 * request without sending anything.
 */
export async function requestCardRecovery(
  deps: Deps,
  program: Pick<ProgramRow, 'merchant_id'>,
  email: string,
  client: { ip: string },
): Promise<void> {
  mailOn(deps);
  await enforceRateLimit(deps, LIMITS.recoverPerIp, client.ip);
  await enforceRateLimit(deps, LIMITS.recoverPerEmail, email);
  await deps.db.transaction((tx) => queueRecoveryMail(tx, program.merchant_id, email));
  deps.outbox.wake();
}

/** What the unsubscribe page says about a member. */
export interface MarketingConsentView {
  merchantName: string;
  language: Locale;
  /** Whether marketing mail may be sent now. */
  subscribed: boolean;
  /** When consent was given and when it was withdrawn (null: never). */
  consentedAt: string | null;
  withdrawnAt: string | null;
}

const viewOf = (r: ConsentRow): MarketingConsentView => ({
  merchantName: r.merchant_name,
  language: memberLanguage(r.customer_locale, r.program.locale),
  subscribed: r.marketing_consent,
  consentedAt: r.marketing_consent_at?.toISOString() ?? null,
  withdrawnAt: r.marketing_withdrawn_at?.toISOString() ?? null,
});

/** The member an unsubscribe token names; not found for a token that is not ours, or a member erased since. */
function tokenCustomer(deps: Pick<Deps, 'config'>, token: string): string {
  const id = customerOfUnsubscribeToken(deps.config.sessionSecret, token);
  if (!id) throw notFound('This unsubscribe link is not valid.');
  return id;
}

/** Where a member stands (the unsubscribe page, before the button): reads only, changes nothing. */
export async function marketingConsent(deps: Pick<Deps, 'config' | 'db'>, token: string): Promise<MarketingConsentView> {
  const row = await getConsent(deps.db, tokenCustomer(deps, token));
  if (!row) throw notFound('This unsubscribe link is not valid.');
  return viewOf(row);
}

/**
 * The member withdraws marketing consent (the one-click POST, RFC 8058): recorded with its time,
 * the marketing mail still queued for them dropped. Again is harmless: the first time stays.
 */
export async function unsubscribe(deps: Pick<Deps, 'config' | 'db'>, token: string): Promise<MarketingConsentView> {
  const customerId = tokenCustomer(deps, token);
  const row = await deps.db.transaction((tx) => withdrawMarketingConsent(tx, customerId));
  if (!row) throw notFound('This unsubscribe link is not valid.');
  return viewOf(row);
}

/**
 * A marketing mail (a campaign) to every member of the merchant who consents to marketing mail;
 * each carries the one-click way out, and a member who withdraws before theirs goes out does not
 * get it. Returns the campaign's id and how many mails were queued.
 */
export async function sendCampaign(
  deps: Deps,
  merchantId: string,
  content: MarketingContent,
): Promise<{ campaign: string; queued: number }> {
  mailOn(deps);
  const campaign = randomUUID();
  const queued = await deps.db.transaction((tx) => queueMarketingMail(tx, merchantId, campaign, content));
  if (queued > 0) deps.outbox.wake();
  return { campaign, queued };
}
