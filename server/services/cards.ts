import QRCode from 'qrcode';
import type { Config } from '../config.ts';
import { type Db, type Queryable, UNIQUE_VIOLATION, sqlState } from '../db/index.ts';
import {
  balancesOf,
  type CardRow,
  type CardWithProgram,
  type CardChange,
  getCardBySerial,
  insertCard,
  lockCardById,
  lockMerchantCard,
  nextUpdatedAt,
  spendSince,
  writeCardChange,
} from '../db/queries/cards.ts';
import { insertCustomer, type NewCustomer } from '../db/queries/customers.ts';
import type { ProgramRow } from '../db/queries/programs.ts';
import { claimPendingReferral, getReferrerByCode, insertReferral } from '../db/queries/referrals.ts';
import type { Program } from '../domain/program.ts';
import {
  addStamps,
  adjust,
  type Balances,
  creditBonus,
  EMPTY_BALANCES,
  type Entry,
  recordPurchase,
  redeem,
  type RuleError,
  tierFor,
} from '../domain/rules.ts';
import { ApiError, notFound } from '../errors.ts';
import { claim, replay } from './idempotency.ts';
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
    // A member without purchases yet holds the tier that starts at 0, if there is one.
    tier: t === 'tiers' ? (b.tier ?? tierFor(program.tiers, 0)?.name ?? null) : null,
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
    case 'out_of_range':
      return new ApiError('validation_failed', e.detail, { errors: [{ path: 'delta', message: e.detail }] });
  }
}

/**
 * On a card's first stamp or purchase, pays a pending referral: both the referee (this card)
 * and the referrer get the program's referral rewards. Returns the referee's entries.
 */
async function payReferralIfDue(tx: Queryable, card: CardWithProgram, b: Balances, actor: string) {
  if (card.activated_at) return { balances: b, entries: [] as Entry[] };
  const referral = await claimPendingReferral(tx, card.id);
  if (!referral) return { balances: b, entries: [] as Entry[] };
  const { program } = card;
  const referrer = await lockCardById(tx, referral.referrer_card_id);
  if (referrer) {
    const paid = creditBonus(program, balancesOf(referrer), 'referral_bonus', program.referral.referrerReward);
    if (paid.entries.length) {
      await writeCardChange(tx, {
        card: referrer,
        currency: program.currency,
        actor,
        entries: paid.entries,
        balances: paid.balances,
        updatedAt: nextUpdatedAt(referrer.updated_at),
      });
    }
  }
  return creditBonus(program, b, 'referral_bonus', program.referral.refereeReward);
}

/** Who writes to which card, and under which Idempotency-Key (with its request fingerprint). */
export interface CardWrite {
  merchantId: string;
  serial: string;
  actor: string;
  idempotency?: { key: string; hash: string };
}

type Change<T> = Omit<CardChange, 'card' | 'currency' | 'actor' | 'updatedAt' | 'answer'> & {
  /** The answer to the client, from the card as it will be. */
  answer: (card: CardView) => T;
};

/**
 * The write path for a card, inside the caller's transaction: claim the Idempotency-Key (a
 * repeat gets the stored answer), lock the card (another merchant's serial is not found),
 * apply the rules, then one statement writes ledger, cache and answer.
 */
async function writeCard<T>(tx: Queryable, w: CardWrite, change: (card: CardWithProgram) => Promise<Change<T>>): Promise<T> {
  if (w.idempotency && !(await claim(tx, w.merchantId, w.idempotency))) {
    return replay<T>(tx, w.merchantId, w.idempotency);
  }
  const card = SERIAL_PATTERN.test(w.serial) ? await lockMerchantCard(tx, w.merchantId, w.serial) : undefined;
  if (!card) throw notFound('No card with this serial.');
  const { answer, ...c } = await change(card);
  const updatedAt = nextUpdatedAt(card.updated_at);
  const body = answer(cardView({ ...card, updated_at: updatedAt }, c.balances, card.program));
  await writeCardChange(tx, {
    ...c,
    card,
    currency: card.program.currency,
    actor: w.actor,
    updatedAt,
    answer: w.idempotency && { key: w.idempotency.key, status: 200, body },
  });
  return body;
}

/** Adds stamps to a merchant's card (stamps programs), paying a due referral. */
export function stampCard(tx: Queryable, w: CardWrite, input: { count: number; purchaseAmountMinor?: number }) {
  return writeCard(tx, w, async (card) => {
    const r = addStamps(card.program, balancesOf(card), input);
    if (!r.ok) throw ruleError(r);
    const referral = await payReferralIfDue(tx, card, r.balances, w.actor);
    const entries = [...r.entries, ...referral.entries];
    const rewardsEarned = entries.reduce((n, e) => n + (e.kind === 'reward_earned' ? e.rewards : 0), 0);
    return {
      entries,
      balances: referral.balances,
      activate: true,
      answer: (view) => ({ card: view, rewardEarned: rewardsEarned > 0, rewardsEarned }),
    };
  });
}

const YEAR_MS = 365 * 86_400_000;

/** Records a purchase (points, tiers, cashback programs), paying a due referral. */
export function purchase(tx: Queryable, w: CardWrite, input: { amountMinor: number; now?: Date }) {
  return writeCard(tx, w, async (card) => {
    const { program } = card;
    const now = input.now ?? new Date();
    const spend12 = program.type === 'tiers' ? await spendSince(tx, card.id, new Date(now.getTime() - YEAR_MS)) : 0;
    const r = recordPurchase(program, balancesOf(card), { amountMinor: input.amountMinor, spendLast12MonthsMinor: spend12 });
    if (!r.ok) throw ruleError(r);
    const referral = await payReferralIfDue(tx, card, r.balances, w.actor);
    return {
      entries: [...r.entries, ...referral.entries],
      balances: referral.balances,
      activate: true,
      answer: (view) => ({ card: view, tierChanged: r.tierChanged }),
    };
  });
}

/** Redeems a reward, or spends cashback; 409 insufficient_balance writes nothing. */
export function redeemReward(tx: Queryable, w: CardWrite, input: { rewardId?: string; amountMinor?: number }) {
  return writeCard(tx, w, async (card) => {
    const r = redeem(card.program, balancesOf(card), input);
    if (!r.ok) throw ruleError(r);
    return {
      entries: r.entries,
      balances: r.balances,
      redemption: r.redeemed,
      answer: (view) => ({ card: view, redeemed: { rewardId: r.redeemed.rewardId, name: r.redeemed.rewardName } }),
    };
  });
}

/**
 * The owner's manual adjustment of a card, `delta` in the program's unit, with a reason kept on
 * the ledger row (see `adjust` for what each program type does). Not a visit: no referral is
 * paid and the card is not activated by it. 409 insufficient_balance writes nothing.
 */
export function adjustCard(tx: Queryable, w: CardWrite, input: { delta: number; reason: string }) {
  return writeCard(tx, w, async (card) => {
    const r = adjust(card.program, balancesOf(card), input);
    if (!r.ok) throw ruleError(r);
    return {
      entries: r.entries,
      balances: r.balances,
      answer: (view) => ({ card: view, rewardsEarned: r.rewardEarned }),
    };
  });
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
export async function joinProgram(
  db: Db,
  program: Pick<ProgramRow, 'id' | 'merchant_id' | 'program'>,
  input: SignupInput,
): Promise<{ serial: string; card: CardView }> {
  return db.transaction(async (tx) => {
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
      updatedAt = nextUpdatedAt(card.updated_at);
      await writeCardChange(tx, {
        card,
        currency: program.program.currency,
        actor: null,
        entries: bonus.entries,
        balances: bonus.balances,
        updatedAt,
      });
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

/** The QR code of a card's serial, as SVG: what a till scans to find the card. */
export async function getCardQrSvg(db: Db, serial: string): Promise<{ svg: string; program: Program }> {
  const { program } = await getPublicCard(db, serial);
  const svg = await QRCode.toString(serial, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
  return { svg, program };
}

/** A merchant's own card by serial (the counter's lookup); another merchant's serial is not found, like an unknown one. */
export async function getMerchantCard(db: Db, merchantId: string, serial: string): Promise<{ card: CardView }> {
  const card = SERIAL_PATTERN.test(serial) ? await getCardBySerial(db, serial) : undefined;
  if (!card || card.merchant_id !== merchantId) throw notFound('No card with this serial.');
  return { card: cardView(card, balancesOf(card), card.program) };
}
