import type { Config } from '../config.ts';
import { type Db, type Queryable, UNIQUE_VIOLATION, sqlState } from '../db/index.ts';
import {
  balancesOf,
  type CardRow,
  type CardWithProgram,
  getCardBySerial,
  insertCard,
  insertLedgerEntries,
  insertRedemption,
  lockCardById,
  lockMerchantCard,
  spendSince,
  updateCardBalances,
} from '../db/queries/cards.ts';
import { insertCustomer, type NewCustomer } from '../db/queries/customers.ts';
import { getProgramBySlug } from '../db/queries/programs.ts';
import { claimPendingReferral, getReferrerByCode, insertReferral } from '../db/queries/referrals.ts';
import type { Program } from '../domain/program.ts';
import {
  addStamps,
  type Balances,
  creditBonus,
  EMPTY_BALANCES,
  type Entry,
  recordPurchase,
  redeem,
  type RuleError,
} from '../domain/rules.ts';
import { ApiError, notFound } from '../errors.ts';
import { newAuthToken, newReferralCode, newSerial, SERIAL_PATTERN } from './tokens.ts';

/** The `card` object of the API. Fields that do not apply to the program type are null. */
export interface CardView {
  serial: string;
  programType: Program['type'];
  stamps: number | null;
  stampsRequired: number | null;
  rewardsAvailable: number | null;
  points: number | null;
  tier: string | null;
  cashbackBalance: number | null;
  customerName: string;
  updatedAt: string;
}

export interface CardLinks {
  card: string;
  applePass: string;
  googleSave: string;
  qr: string;
}

export function cardView(card: Pick<CardRow, 'serial' | 'customer_name' | 'updated_at'>, b: Balances, program: Program): CardView {
  const t = program.type;
  return {
    serial: card.serial,
    programType: t,
    stamps: t === 'stamps' ? b.stamps : null,
    stampsRequired: t === 'stamps' ? program.stampsRequired : null,
    rewardsAvailable: t === 'stamps' ? b.rewardsAvailable : null,
    points: t === 'points' || t === 'tiers' ? b.points : null,
    tier: t === 'tiers' ? b.tier : null,
    cashbackBalance: t === 'cashback' ? b.cashbackMinor : null,
    customerName: card.customer_name,
    updatedAt: new Date(card.updated_at).toISOString(),
  };
}

export function cardLinks(config: Config, serial: string): CardLinks {
  const base = config.publicUrl;
  return {
    card: `${base}/api/public/cards/${serial}`,
    applePass: `${base}/passes/apple/${serial}.pkpass`,
    googleSave: `${base}/passes/google/${serial}`,
    qr: `${base}/api/public/cards/${serial}/qr.svg`,
  };
}

function ruleError(e: RuleError): ApiError {
  switch (e.error) {
    case 'insufficient_balance':
      return new ApiError('insufficient_balance', e.detail);
    case 'wrong_program_type':
      return new ApiError('conflict', e.detail);
    case 'unknown_reward':
      return new ApiError('validation_failed', e.detail, { errors: [{ path: 'rewardId', message: e.detail }] });
  }
}

/** Appends entries and writes the new balances of one card. */
async function persist(
  tx: Queryable,
  card: CardRow,
  currency: string,
  actor: string | null,
  entries: Entry[],
  balances: Balances,
  activate = false,
) {
  const ids = await insertLedgerEntries(tx, card, currency, actor, entries);
  const { updated_at } = await updateCardBalances(tx, card.id, balances, { activate });
  return { ids, updatedAt: updated_at };
}

/**
 * On a card's first stamp or purchase, pays a pending referral: both the referee (this card)
 * and the referrer get the program's referral rewards. Returns the referee's new balances.
 */
async function payReferralIfDue(tx: Queryable, card: CardWithProgram, b: Balances, actor: string | null) {
  if (card.activated_at) return { balances: b, entries: [] as Entry[] };
  const referral = await claimPendingReferral(tx, card.id);
  if (!referral) return { balances: b, entries: [] as Entry[] };
  const { program } = card;
  const referrer = await lockCardById(tx, referral.referrer_card_id);
  if (referrer) {
    const paid = creditBonus(program, balancesOf(referrer), 'referral_bonus', program.referral.referrerReward);
    if (paid.entries.length) await persist(tx, referrer, program.currency, actor, paid.entries, paid.balances);
  }
  return creditBonus(program, b, 'referral_bonus', program.referral.refereeReward);
}

async function lockOrNotFound(tx: Queryable, merchantId: string, serial: string): Promise<CardWithProgram> {
  const card = SERIAL_PATTERN.test(serial) ? await lockMerchantCard(tx, merchantId, serial) : undefined;
  if (!card) throw notFound('No card with this serial.');
  return card;
}

export interface StampResult {
  card: CardView;
  rewardEarned: boolean;
  rewardsEarned: number;
}

/** Adds stamps to a merchant's card (stamps programs), paying a due referral. */
export async function stampCard(
  tx: Queryable,
  p: { merchantId: string; serial: string; actor: string; count: number; purchaseAmountMinor?: number },
): Promise<StampResult> {
  const card = await lockOrNotFound(tx, p.merchantId, p.serial);
  const { program } = card;
  const r = addStamps(program, balancesOf(card), { count: p.count, purchaseAmountMinor: p.purchaseAmountMinor });
  if (!r.ok) throw ruleError(r);
  const referral = await payReferralIfDue(tx, card, r.balances, p.actor);
  const entries = [...r.entries, ...referral.entries];
  const { updatedAt } = await persist(tx, card, program.currency, p.actor, entries, referral.balances, true);
  const rewardsEarned = entries.reduce((n, e) => n + (e.kind === 'reward_earned' ? e.rewards : 0), 0);
  return {
    card: cardView({ ...card, updated_at: updatedAt }, referral.balances, program),
    rewardEarned: rewardsEarned > 0,
    rewardsEarned,
  };
}

const YEAR_MS = 365 * 86_400_000;

/** Records a purchase (points, tiers, cashback programs), paying a due referral. */
export async function purchase(
  tx: Queryable,
  p: { merchantId: string; serial: string; actor: string; amountMinor: number; now?: Date },
): Promise<{ card: CardView; tierChanged: boolean }> {
  const card = await lockOrNotFound(tx, p.merchantId, p.serial);
  const { program } = card;
  const now = p.now ?? new Date();
  const spend12 = program.type === 'tiers' ? await spendSince(tx, card.id, new Date(now.getTime() - YEAR_MS)) : 0;
  const r = recordPurchase(program, balancesOf(card), { amountMinor: p.amountMinor, spendLast12MonthsMinor: spend12 });
  if (!r.ok) throw ruleError(r);
  const referral = await payReferralIfDue(tx, card, r.balances, p.actor);
  const entries = [...r.entries, ...referral.entries];
  const { updatedAt } = await persist(tx, card, program.currency, p.actor, entries, referral.balances, true);
  return { card: cardView({ ...card, updated_at: updatedAt }, referral.balances, program), tierChanged: r.tierChanged };
}

/** Redeems a reward, or spends cashback; 409 insufficient_balance writes nothing. */
export async function redeemReward(
  tx: Queryable,
  p: { merchantId: string; serial: string; actor: string; rewardId?: string; amountMinor?: number },
): Promise<{ card: CardView; redeemed: { rewardId: string | null; name: string } }> {
  const card = await lockOrNotFound(tx, p.merchantId, p.serial);
  const { program } = card;
  const r = redeem(program, balancesOf(card), { rewardId: p.rewardId, amountMinor: p.amountMinor });
  if (!r.ok) throw ruleError(r);
  const { ids, updatedAt } = await persist(tx, card, program.currency, p.actor, r.entries, r.balances);
  await insertRedemption(tx, {
    merchantId: p.merchantId,
    cardId: card.id,
    ledgerId: ids[0]!,
    rewardId: r.redeemed.rewardId,
    rewardName: r.redeemed.rewardName,
    costMinor: r.redeemed.costMinor,
    currency: program.currency,
  });
  return {
    card: cardView({ ...card, updated_at: updatedAt }, r.balances, program),
    redeemed: { rewardId: r.redeemed.rewardId, name: r.redeemed.rewardName },
  };
}

export interface SignupInput {
  name: string;
  email: string;
  phone?: string;
  birthday?: string;
  locale?: string;
  marketingConsent: boolean;
  referralCode?: string;
}

/**
 * A customer joins a program: customer + card (CSPRNG serial and token), the signup bonus,
 * and a pending referral when the code is another member's (paid on the first stamp).
 * Same email twice → 409 already_member. Unknown or self referral codes are ignored.
 */
export async function joinProgram(db: Db, slug: string, input: SignupInput): Promise<{ serial: string; card: CardView }> {
  return db.transaction(async (tx) => {
    const program = await getProgramBySlug(tx, slug);
    if (!program) throw notFound('No program with this name.');
    const merchantId = program.merchant_id;
    const customer: NewCustomer = {
      merchantId,
      name: input.name,
      email: input.email,
      phone: input.phone ?? null,
      birthday: input.birthday ?? null,
      locale: input.locale ?? null,
      marketingConsent: input.marketingConsent,
    };
    const inserted = await insertCustomer(tx, customer);
    if (!inserted) throw new ApiError('already_member', 'This email is already a member. Your card is on its way back to you.');

    const referrer = input.referralCode ? await getReferrerByCode(tx, merchantId, input.referralCode) : undefined;
    const selfReferral = referrer && referrer.email.toLowerCase() === input.email.toLowerCase();

    const serial = await insertUniqueCard(tx, { merchantId, programId: program.id, customerId: inserted.id });
    const card = (await lockMerchantCard(tx, merchantId, serial))!;
    if (referrer && !selfReferral) {
      await insertReferral(tx, { merchantId, referrerCardId: referrer.card_id, refereeCardId: card.id });
    }
    const bonus = creditBonus(program.program, EMPTY_BALANCES, 'signup_bonus', program.program.signupBonus);
    let updatedAt = card.updated_at;
    if (bonus.entries.length) {
      ({ updatedAt } = await persist(tx, card, program.program.currency, null, bonus.entries, bonus.balances));
    }
    return { serial, card: cardView({ ...card, updated_at: updatedAt }, bonus.balances, program.program) };
  });
}

/** Inserts the card; a (vanishingly unlikely) serial or code collision just draws again. */
async function insertUniqueCard(tx: Queryable, c: { merchantId: string; programId: string; customerId: string }): Promise<string> {
  for (;;) {
    const serial = newSerial();
    try {
      await tx.query('SAVEPOINT new_card');
      await insertCard(tx, { ...c, serial, authToken: newAuthToken(), referralCode: newReferralCode() });
      await tx.query('RELEASE SAVEPOINT new_card');
      return serial;
    } catch (err) {
      if (sqlState(err) !== UNIQUE_VIOLATION) throw err;
      await tx.query('ROLLBACK TO SAVEPOINT new_card');
    }
  }
}

/** The public view of a card by serial. */
export async function getPublicCard(db: Db, serial: string): Promise<{ card: CardView; program: Program }> {
  const card = SERIAL_PATTERN.test(serial) ? await getCardBySerial(db, serial) : undefined;
  if (!card) throw notFound('No card with this serial.');
  return { card: cardView(card, balancesOf(card), card.program), program: card.program };
}
