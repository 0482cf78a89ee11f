// The write path of a card: stamps, purchases, redemptions and their undo, the owner's corrections.
// Each is one transaction: claim the Idempotency-Key (a repeat gets the stored answer), lock the
// card, apply the pure rules (domain/rules.ts), write the ledger, the card's cache and the answer,
// and queue the passes' updates; after the commit, ring the outbox workers' bell.
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/index.ts';
import {
  balancesOf,
  type CardWithProgram,
  lockCardById,
  lockMerchantCard,
  lockRedemption,
  nextUpdatedAt,
  spendSince,
  writeCardChange,
} from '../db/queries/cards.ts';
import type { CardChange } from '../db/queries/cards.ts';
import { queueCardUpdates } from '../db/queries/outbox.ts';
import { askState, insertAsk } from '../db/queries/asks.ts';
import { queueCampaignMails } from '../db/queries/campaigns.ts';
import { countRewardedReferrals, lockPendingReferral, settleReferral } from '../db/queries/referrals.ts';
import { askMail } from '../../common/campaign-text.ts';
import { memberLanguage } from '../../common/localize.ts';
import { askDue } from '../domain/asks.ts';
import { localDate } from '../domain/campaigns.ts';
import { cardPageUrl } from '../domain/links.ts';
import { overReferralCap, REFERRAL_ACTOR, REFERRAL_CAP_WINDOW_MS } from '../domain/referrals.ts';
import {
  addStamps,
  adjust,
  type Balances,
  creditBonus,
  type Entry,
  recordPurchase,
  redeem,
  type RuleError,
  TIER_WINDOW_MS,
  undoRedemption,
} from '../domain/rules.ts';
import { REFERRAL_MONTHLY_CAP } from '../domain/program.ts';
import { AppError, invalidField, notFound } from '../errors.ts';
import { type CardView, cardView } from './cards.ts';
import { type Deps, nowOf } from './deps.ts';
import { claim, replay } from './idempotency.ts';
import { webhookEvent } from './webhooks.ts';
import { queueWebhookEvents } from '../db/queries/webhooks.ts';
import type { WebhookEvent } from '../contract/control.ts';
import { SERIAL_PATTERN } from './tokens.ts';

/** Who writes to which card, and under which Idempotency-Key (with its request fingerprint). */
export interface CardWrite {
  merchantId: string;
  serial: string;
  actor: string;
  /** The shop where it happens (`program.locations[].id`); null: not said (a program with one shop uses it). */
  locationId?: string | null;
  idempotency?: { key: string; hash: string };
}

/** The shop a write records: the one named (it must be the program's), else the only one, else none. */
function shopOf(program: CardWithProgram['program'], named: string | null | undefined): string | null {
  if (named !== null && named !== undefined) {
    if (!program.locations.some((l) => l.id === named)) throw invalidField('locationId', 'no shop of the program has this id');
    return named;
  }
  return program.locations.length === 1 ? (program.locations[0]!.id ?? null) : null;
}

function ruleError(e: RuleError): AppError {
  switch (e.error) {
    case 'insufficient_balance':
      return new AppError('insufficient_balance', e.detail);
    case 'wrong_program_type':
      return new AppError('conflict', e.detail);
    case 'unknown_reward':
      return invalidField('rewardId', e.detail);
    case 'out_of_range':
      return invalidField('delta', e.detail);
    case 'too_late':
      return new AppError('conflict', e.detail);
  }
}

type Change<T> = Omit<CardChange, 'card' | 'currency' | 'actor' | 'updatedAt' | 'answer' | 'locationId'> & {
  /** The answer to the client, from the card as it will be. */
  answer: (card: CardView) => T;
  /** Other cards the change wrote to (a referrer paid on this card's first visit). */
  alsoChanged?: string[];
  /** What the webhooks hear of it: each event's type and what it adds to `{ customerId, serial, locationId, card }`. */
  events?: { type: WebhookEvent; data?: Record<string, unknown> }[];
};

/**
 * The write path for a card, in its own transaction: claim the Idempotency-Key (a repeat gets
 * the stored answer), lock the card (another merchant's serial is not found), apply the rules,
 * write ledger, cache and answer in one statement, and queue the updates of the passes of every
 * card it changed. The outbox workers are woken once it has committed.
 */
async function writeCard<T>(deps: Deps, w: CardWrite, change: (tx: Queryable, card: CardWithProgram) => Promise<Change<T>>): Promise<T> {
  const { body, fresh } = await deps.db.transaction(async (tx) => {
    if (w.idempotency && !(await claim(tx, w.merchantId, w.idempotency))) {
      return { body: await replay<T>(tx, w.merchantId, w.idempotency), fresh: false };
    }
    const card = SERIAL_PATTERN.test(w.serial) ? await lockMerchantCard(tx, w.merchantId, w.serial) : undefined;
    if (!card) throw notFound('No card with this serial.');
    const locationId = shopOf(card.program, w.locationId);
    const { answer, alsoChanged = [], events = [], ...c } = await change(tx, card);
    // Nothing written (a second undo): the card as it is, its passes and the webhooks left alone.
    const updatedAt = c.unchanged ? card.updated_at : nextUpdatedAt(card.updated_at);
    const view = cardView({ ...card, updated_at: updatedAt }, c.balances, card.program);
    const body = answer(view);
    await writeCardChange(tx, {
      ...c,
      card,
      currency: card.program.currency,
      actor: w.actor,
      locationId,
      updatedAt,
      answer: w.idempotency && { key: w.idempotency.key, status: 200, body },
    });
    if (c.unchanged) return { body, fresh: false };
    await queueCardUpdates(tx, [card.id, ...alsoChanged]);
    // Webhooks only cost a statement to the merchants who have some.
    if (card.has_webhooks && events.length) {
      const about = { customerId: card.customer_id, serial: card.serial, locationId, card: view };
      await queueWebhookEvents(
        tx,
        w.merchantId,
        events.map((e) => webhookEvent(e.type, { ...about, ...e.data }, card.customer_id)),
      );
    }
    return { body, fresh: true };
  });
  if (fresh) deps.outbox.wake();
  return body;
}

/**
 * On a card's first stamp or purchase, pays a pending referral: both the referee (this card)
 * and the referrer get the program's referral rewards — unless the referrer has already had
 * `referral.monthlyCap` referrals rewarded in the last 30 days (by the services' clock): then the
 * referral is refused and neither is paid. The referrer's entries name the referral as their
 * actor (not the till that stamped the friend). Returns the referee's entries, and the
 * referrer's card when it was written.
 */
async function payReferralIfDue(deps: Deps, tx: Queryable, card: CardWithProgram, b: Balances) {
  const none = { balances: b, entries: [] as Entry[], alsoChanged: [] as string[] };
  if (card.activated_at) return none;
  const referral = await lockPendingReferral(tx, card.id);
  if (!referral) return none;
  const { program } = card;
  const alsoChanged: string[] = [];
  // Locked before counting: two friends' first visits at once queue here, and the second counts the first.
  const referrer = await lockCardById(tx, referral.referrer_card_id);
  if (referrer) {
    const since = new Date(nowOf(deps).getTime() - REFERRAL_CAP_WINDOW_MS);
    const rewarded = await countRewardedReferrals(tx, referrer.id, since);
    if (overReferralCap(rewarded, program.referral.monthlyCap ?? REFERRAL_MONTHLY_CAP)) {
      await settleReferral(tx, referral.id, 'refused');
      return none;
    }
  }
  await settleReferral(tx, referral.id, 'rewarded');
  if (referrer) {
    const paid = creditBonus(program, balancesOf(referrer), 'referral_bonus', program.referral.referrerReward);
    if (paid.entries.length) {
      await writeCardChange(tx, {
        card: referrer,
        currency: program.currency,
        actor: REFERRAL_ACTOR,
        entries: paid.entries,
        balances: paid.balances,
        updatedAt: nextUpdatedAt(referrer.updated_at),
      });
      alsoChanged.push(referrer.id);
    }
  }
  return { ...creditBonus(program, b, 'referral_bonus', program.referral.refereeReward), alsoChanged };
}

/** What the referee's entries of a referral credited, in the program's unit (stamps, points, cashback minor units); 0: none. */
function referralBonusOf(entries: readonly Entry[]): number {
  return entries.filter((e) => e.kind === 'referral_bonus').reduce((n, e) => n + e.stamps + e.points + e.cashbackMinor, 0);
}

/**
 * After a visit, the ask (a review or a survey question) when it is due — at most once in 90
 * days, not on the first visit if the owner says so — recorded in the visit's transaction, with
 * its mail to a member who takes marketing mail (the card page and the pass show it otherwise).
 */
async function askAfterVisit(deps: Deps, tx: Queryable, card: CardWithProgram): Promise<void> {
  const { asks } = card.program.campaigns;
  if (!asks.enabled) return;
  const now = nowOf(deps);
  const state = await askState(tx, card.id);
  if (!state || !askDue(asks, { first: card.activated_at === null, lastAskAt: state.last_ask_at, now })) return;
  const key = localDate(now, card.program.timezone);
  if (!(await insertAsk(tx, { cardId: card.id, merchantId: card.merchant_id, key }))) return;
  if (!state.marketing_consent || !deps.config.mail) return;
  const language = memberLanguage(card.customer_locale, card.program.locale);
  const mail = askMail(language, { name: card.customer_name, shop: state.merchant_name, kind: asks.kind });
  const link = `${cardPageUrl(deps.config, card.serial)}#ask`;
  await queueCampaignMails(tx, card.merchant_id, [
    { cardId: card.id, customerId: card.customer_id, campaign: `ask-${key}`, subject: mail.subject, text: `${mail.text}\n${link}` },
  ]);
}

/**
 * Adds stamps to a merchant's card (stamps programs), paying a due referral: the answer says how
 * many of the card's new stamps are its referral bonus (`referralBonus`, 0 when none).
 */
export function stampCard(deps: Deps, w: CardWrite, input: { count: number; purchaseAmountMinor?: number }) {
  return writeCard(deps, w, async (tx, card) => {
    const r = addStamps(card.program, balancesOf(card), input);
    if (!r.ok) throw ruleError(r);
    await askAfterVisit(deps, tx, card);
    const referral = await payReferralIfDue(deps, tx, card, r.balances);
    const entries = [...r.entries, ...referral.entries];
    const rewardsEarned = entries.reduce((n, e) => n + (e.kind === 'reward_earned' ? e.rewards : 0), 0);
    return {
      entries,
      balances: referral.balances,
      activate: true,
      alsoChanged: referral.alsoChanged,
      answer: (view) => ({ card: view, rewardEarned: rewardsEarned > 0, rewardsEarned, referralBonus: referralBonusOf(referral.entries) }),
      events: [
        { type: 'card.stamped', data: { stamps: input.count, purchaseAmount: input.purchaseAmountMinor ?? null } },
        ...(rewardsEarned > 0 ? [{ type: 'reward.earned' as const, data: { rewards: rewardsEarned } }] : []),
      ],
    };
  });
}

/** Records a purchase (points, tiers, cashback programs), paying a due referral (`referralBonus` in the answer, as for stamps). */
export function purchase(deps: Deps, w: CardWrite, input: { amountMinor: number }) {
  return writeCard(deps, w, async (tx, card) => {
    const { program } = card;
    // The tier's window ends now by the services' clock, as the daily job's recomputation does.
    const since = new Date(nowOf(deps).getTime() - TIER_WINDOW_MS);
    const spend12 = program.type === 'tiers' ? await spendSince(tx, card.id, since) : 0;
    const r = recordPurchase(program, balancesOf(card), { amountMinor: input.amountMinor, spendLast12MonthsMinor: spend12 });
    if (!r.ok) throw ruleError(r);
    await askAfterVisit(deps, tx, card);
    const referral = await payReferralIfDue(deps, tx, card, r.balances);
    return {
      entries: [...r.entries, ...referral.entries],
      balances: referral.balances,
      activate: true,
      alsoChanged: referral.alsoChanged,
      answer: (view) => ({ card: view, tierChanged: r.tierChanged, referralBonus: referralBonusOf(referral.entries) }),
      events: [{ type: 'card.purchased', data: { amount: input.amountMinor, tierChanged: r.tierChanged } }],
    };
  });
}

/**
 * Redeems a reward, or spends cashback; `insufficient_balance` writes nothing. The answer names
 * the redemption (`redeemed.id`): what `undoRedemptionOf` takes.
 */
export function redeemReward(deps: Deps, w: CardWrite, input: { rewardId?: string; amountMinor?: number }) {
  return writeCard(deps, w, async (_tx, card) => {
    const r = redeem(card.program, balancesOf(card), input);
    if (!r.ok) throw ruleError(r);
    const id = randomUUID();
    return {
      entries: r.entries,
      balances: r.balances,
      redemption: { id, ...r.redeemed },
      answer: (view) => ({ card: view, redeemed: { id, rewardId: r.redeemed.rewardId, name: r.redeemed.rewardName } }),
      events: [{ type: 'reward.redeemed', data: { redemption: { id }, reward: { id: r.redeemed.rewardId, name: r.redeemed.rewardName } } }],
    };
  });
}

/**
 * Undoes a redemption of the card (a mistaken tap at the counter) within
 * `REDEMPTION_UNDO_WINDOW_MS` of it, by the services' clock: a `redemption_undone` ledger entry
 * gives back exactly what it took, the redemption is marked undone, the passes are updated. An id
 * that is not a redemption of this card (another merchant's alike) is not found; later than the
 * window, `conflict`. Undone already (a second tap, a retry, two tills at once): nothing changes,
 * and the answer is the card as it is, with the same `undone`.
 */
export function undoRedemptionOf(deps: Deps, w: CardWrite, redemptionId: string) {
  return writeCard(deps, w, async (tx, card) => {
    const redemption = await lockRedemption(tx, card.id, redemptionId);
    if (!redemption) throw notFound('No redemption with this id on this card.');
    const { entry } = redemption;
    const answer = (view: CardView) => ({
      card: view,
      undone: { id: redemption.id, rewardId: entry.rewardId, name: redemption.reward_name },
    });
    const b = balancesOf(card);
    if (redemption.undone_at) return { entries: [], balances: b, unchanged: true, answer };
    const r = undoRedemption(b, { entry, at: new Date(redemption.created_at) }, nowOf(deps));
    if (!r.ok) throw ruleError(r);
    return {
      entries: r.entries,
      balances: r.balances,
      undoes: { redemptionId: redemption.id },
      answer,
      events: [
        {
          type: 'reward.redemption_undone',
          data: { redemption: { id: redemption.id }, reward: { id: entry.rewardId, name: redemption.reward_name } },
        },
      ],
    };
  });
}

/**
 * The owner's manual adjustment of a card, `delta` in the program's unit, with a reason kept on
 * the ledger row (see `adjust` for what each program type does). Not a visit: no referral is
 * paid and the card is not activated by it. `insufficient_balance` writes nothing.
 */
export function adjustCard(deps: Deps, w: CardWrite, input: { delta: number; reason: string }) {
  return writeCard(deps, w, async (_tx, card) => {
    const r = adjust(card.program, balancesOf(card), input);
    if (!r.ok) throw ruleError(r);
    return {
      entries: r.entries,
      balances: r.balances,
      answer: (view) => ({ card: view, rewardsEarned: r.rewardEarned }),
    };
  });
}
