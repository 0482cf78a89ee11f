/**
 * The loyalty rules: pure functions from (program, balances, input) to ledger entries and
 * new balances. No I/O; the services persist what these return.
 */
import { minorDigits, type Program, type Tier } from './program.ts';

export type EntryKind =
  | 'stamp'
  | 'purchase'
  | 'reward_earned'
  | 'redemption'
  | 'signup_bonus'
  | 'referral_bonus'
  | 'adjustment'
  | 'birthday_bonus'
  | 'launch_bonus'
  | 'imported'
  | 'tier_change'
  | 'redemption_undone';

/** One ledger row as the rules see it: signed deltas, plus the tier a purchase set. */
export interface Entry {
  kind: EntryKind;
  stamps: number;
  rewards: number;
  points: number;
  cashbackMinor: number;
  /** Spend recorded by this entry, minor units. */
  amountMinor: number;
  /** Set by purchases (and the daily recomputation) on a tiers program: the tier after this entry. */
  tier: string | null;
  rewardId: string | null;
  /**
   * The reward's name when the entry was written (a reward earned or redeemed), kept on the
   * ledger row: the history shows the name of its time after the owner renames the reward.
   */
  rewardName?: string | null;
  /** Why the owner made an adjustment (adjustments only). */
  reason?: string | null;
}

/** What a card holds: the cache that `balancesFromLedger` recomputes. */
export interface Balances {
  stamps: number;
  rewardsAvailable: number;
  points: number;
  tier: string | null;
  cashbackMinor: number;
  spendMinor: number;
}

export const EMPTY_BALANCES: Readonly<Balances> = Object.freeze({
  stamps: 0,
  rewardsAvailable: 0,
  points: 0,
  tier: null,
  cashbackMinor: 0,
  spendMinor: 0,
});

export type RuleError =
  | { error: 'insufficient_balance'; detail: string }
  | { error: 'wrong_program_type'; detail: string }
  | { error: 'unknown_reward'; detail: string }
  | { error: 'out_of_range'; detail: string }
  | { error: 'too_late'; detail: string };

export interface Outcome {
  entries: Entry[];
  balances: Balances;
}

export type Result<T> = ({ ok: true } & T) | ({ ok: false } & RuleError);

function entry(kind: EntryKind, delta: Partial<Omit<Entry, 'kind'>>): Entry {
  return { kind, stamps: 0, rewards: 0, points: 0, cashbackMinor: 0, amountMinor: 0, tier: null, rewardId: null, ...delta };
}

/** Adds an entry's deltas to balances. The one place balances change. */
export function applyEntry(b: Balances, e: Entry): Balances {
  return {
    stamps: b.stamps + e.stamps,
    rewardsAvailable: b.rewardsAvailable + e.rewards,
    points: b.points + e.points,
    tier: e.tier === null ? b.tier : e.tier || null,
    cashbackMinor: b.cashbackMinor + e.cashbackMinor,
    spendMinor: b.spendMinor + e.amountMinor,
  };
}

/** Card balances recomputed from the ledger alone (oldest entry first). */
export function balancesFromLedger(entries: readonly Entry[]): Balances {
  return entries.reduce(applyEntry, { ...EMPTY_BALANCES });
}

function outcome(start: Balances, entries: Entry[]): Outcome {
  return { entries, balances: entries.reduce(applyEntry, start) };
}

/** The `reward_earned` entry for every full card in `stamps` (none below the threshold). */
function rewardsEarned(program: Program, stamps: number): Entry[] {
  const earned = Math.floor(stamps / program.stampsRequired);
  if (earned <= 0) return [];
  return [entry('reward_earned', { stamps: -earned * program.stampsRequired, rewards: earned, rewardName: program.reward.name })];
}

/** Stamps in, plus one `reward_earned` entry when they reach the threshold (the rest carry over). */
function stampEntries(program: Program, b: Balances, kind: EntryKind, count: number, amountMinor = 0): Entry[] {
  return [entry(kind, { stamps: count, amountMinor }), ...rewardsEarned(program, b.stamps + count)];
}

/**
 * The rewards a stamps card is owed under the program as it is now: when the owner lowers the
 * stamps a reward needs (10 → 8), a card holding 8 or more gets its rewards at once (one
 * `reward_earned` entry, the rest carry over) rather than at its next stamp. Nothing for a card
 * below the threshold, or another program type: applied twice, it gives nothing the second time.
 */
export function rewardsOwed(program: Program, b: Balances): Outcome {
  if (program.type !== 'stamps') return { entries: [], balances: b };
  return outcome(b, rewardsEarned(program, b.stamps));
}

/**
 * Credits a bonus in the program's own unit: stamps, points, or cashback in minor units.
 * Used for the signup bonus, both sides of a referral, a launch-week bonus and a birthday gift.
 */
export type BonusKind = 'signup_bonus' | 'referral_bonus' | 'launch_bonus' | 'birthday_bonus';
export function creditBonus(program: Program, b: Balances, kind: BonusKind, amount: number): Outcome {
  if (amount <= 0) return { entries: [], balances: b };
  switch (program.type) {
    case 'stamps':
      return outcome(b, stampEntries(program, b, kind, amount));
    case 'points':
    case 'tiers':
      return outcome(b, [entry(kind, { points: amount })]);
    case 'cashback':
      return outcome(b, [entry(kind, { cashbackMinor: amount })]);
  }
}

/** Adds `count` stamps (stamps programs only). Returns how many rewards this earned. */
export function addStamps(
  program: Program,
  b: Balances,
  input: { count: number; purchaseAmountMinor?: number },
): Result<Outcome & { rewardEarned: number }> {
  if (program.type !== 'stamps') {
    return { ok: false, error: 'wrong_program_type', detail: `This is a ${program.type} program: record a purchase instead of stamps.` };
  }
  const entries = stampEntries(program, b, 'stamp', input.count, input.purchaseAmountMinor ?? 0);
  const rewardEarned = entries.reduce((n, e) => n + e.rewards, 0);
  return { ok: true, rewardEarned, ...outcome(b, entries) };
}

/** The tier whose threshold the spend reaches (the highest such), or null below the first. */
export function tierFor(tiers: readonly Tier[], spendMinor: number): Tier | null {
  let found: Tier | null = null;
  for (const t of tiers) if (spendMinor >= t.threshold) found = t;
  return found;
}

/** How far back a tier looks: the spend of the rolling last 365 days. */
export const TIER_WINDOW_MS = 365 * 86_400_000;

/**
 * The tier a card holds: the one its last purchase (or recomputation) set, and before any, the
 * tier that starts at 0 if there is one — the card and the passes show it from the signup on.
 */
export function heldTier(program: Pick<Program, 'tiers'>, b: Pick<Balances, 'tier'>): string | null {
  return b.tier ?? tierFor(program.tiers, 0)?.name ?? null;
}

/** A tier entry: `tier: null` in an entry means "unchanged", so falling below every tier is spelled ''. */
const tierSet = (tier: Tier | null): string => tier?.name ?? '';

/** Minor units → major units (cents → euros) for "per currency unit" rates. */
function toMajor(program: Program, minor: number): number {
  return minor / 10 ** (minorDigits(program.currency) ?? 2);
}

/**
 * Records a purchase of `amountMinor` (points, tiers and cashback programs).
 * - points: `pointsPerUnit` per currency unit, rounded down;
 * - tiers: the tier is recomputed from the spend of the rolling last 12 months including this
 *   purchase (`spendLast12MonthsMinor` is the spend before it); points are earned at that
 *   tier's multiplier;
 * - cashback: `cashbackPercent` of the amount credited to the balance, rounded down.
 */
export function recordPurchase(
  program: Program,
  b: Balances,
  input: { amountMinor: number; spendLast12MonthsMinor: number },
): Result<Outcome & { tierChanged: boolean }> {
  const { amountMinor } = input;
  switch (program.type) {
    case 'stamps':
      return { ok: false, error: 'wrong_program_type', detail: 'This is a stamps program: add stamps (with an optional purchaseAmount).' };
    case 'points': {
      const points = Math.floor(toMajor(program, amountMinor) * program.pointsPerUnit + 1e-9);
      return { ok: true, tierChanged: false, ...outcome(b, [entry('purchase', { points, amountMinor })]) };
    }
    case 'tiers': {
      const tier = tierFor(program.tiers, input.spendLast12MonthsMinor + amountMinor);
      const multiplier = tier?.multiplier ?? 1;
      const points = Math.floor(toMajor(program, amountMinor) * program.pointsPerUnit * multiplier + 1e-9);
      const e = entry('purchase', { points, amountMinor, tier: tierSet(tier) });
      return { ok: true, tierChanged: (tier?.name ?? null) !== heldTier(program, b), ...outcome(b, [e]) };
    }
    case 'cashback': {
      const cashbackMinor = Math.floor((amountMinor * program.cashbackPercent) / 100 + 1e-9);
      return { ok: true, tierChanged: false, ...outcome(b, [entry('purchase', { cashbackMinor, amountMinor })]) };
    }
  }
}

/**
 * A tier recomputed without a purchase (the daily job): from the spend of the rolling window
 * (`spendInWindowMinor`, `TIER_WINDOW_MS` back from now), so a year without a purchase takes Gold
 * away as a purchase would have. One `tier_change` entry when the tier held changes, none
 * otherwise (nor for another program type).
 */
export function recomputeTier(program: Program, b: Balances, spendInWindowMinor: number): Outcome & { tierChanged: boolean } {
  if (program.type !== 'tiers') return { entries: [], balances: b, tierChanged: false };
  const tier = tierFor(program.tiers, spendInWindowMinor);
  if ((tier?.name ?? null) === heldTier(program, b)) return { entries: [], balances: b, tierChanged: false };
  return { tierChanged: true, ...outcome(b, [entry('tier_change', { tier: tierSet(tier) })]) };
}

/** What was redeemed, for the redemptions table. */
export interface Redeemed {
  rewardId: string | null;
  rewardName: string;
  costMinor: number;
}

/**
 * Redeems a reward. Stamps: one pending reward. Points/tiers: the catalog reward `rewardId`.
 * Cashback: `amountMinor` of the balance (all of it when omitted).
 * Never lets a balance go below zero.
 */
export function redeem(
  program: Program,
  b: Balances,
  input: { rewardId?: string; amountMinor?: number },
): Result<Outcome & { redeemed: Redeemed }> {
  switch (program.type) {
    case 'stamps': {
      if (b.rewardsAvailable < 1) return { ok: false, error: 'insufficient_balance', detail: 'No reward is available on this card yet.' };
      const redeemed = { rewardId: null, rewardName: program.reward.name, costMinor: program.reward.costMinor };
      return { ok: true, redeemed, ...outcome(b, [entry('redemption', { rewards: -1, rewardName: program.reward.name })]) };
    }
    case 'points':
    case 'tiers': {
      const reward =
        input.rewardId === undefined && program.rewards.length === 1
          ? program.rewards[0]
          : program.rewards.find((r) => r.id === input.rewardId);
      if (!reward)
        return {
          ok: false,
          error: 'unknown_reward',
          detail: input.rewardId ? `No reward "${input.rewardId}" in this program.` : 'Say which reward (rewardId).',
        };
      if (b.points < reward.points) {
        return {
          ok: false,
          error: 'insufficient_balance',
          detail: `"${reward.name}" needs ${reward.points} points; the card has ${b.points}.`,
        };
      }
      const redeemed = { rewardId: reward.id, rewardName: reward.name, costMinor: reward.costMinor };
      const e = entry('redemption', { points: -reward.points, rewardId: reward.id, rewardName: reward.name });
      return { ok: true, redeemed, ...outcome(b, [e]) };
    }
    case 'cashback': {
      const amount = input.amountMinor ?? b.cashbackMinor;
      if (amount <= 0 || amount > b.cashbackMinor) {
        return {
          ok: false,
          error: 'insufficient_balance',
          detail: `The cashback balance is ${b.cashbackMinor} (minor units); cannot spend ${amount}.`,
        };
      }
      const redeemed = { rewardId: null, rewardName: 'Cashback', costMinor: amount };
      return { ok: true, redeemed, ...outcome(b, [entry('redemption', { cashbackMinor: -amount })]) };
    }
  }
}

/** How long after a redemption it can be undone (a mistaken tap at the counter), by the services' clock. */
export const REDEMPTION_UNDO_WINDOW_MS = 10 * 60_000;

/**
 * Undoes a redemption within `REDEMPTION_UNDO_WINDOW_MS` of it: one `redemption_undone` entry that
 * gives back exactly what the redemption's ledger entry took (a stamps card's reward, the points,
 * the cashback), whatever the program has become since; the redemption's entry stays on the
 * ledger. Later than that, `too_late` (a redemption that seems to come from the future, the
 * database's clock a little ahead of the services', is recent). Whether it was already undone is
 * the caller's to know: this gives back every time it is asked.
 */
export function undoRedemption(b: Balances, redemption: { entry: Entry; at: Date }, now: Date): Result<Outcome> {
  const age = now.getTime() - redemption.at.getTime();
  if (age > REDEMPTION_UNDO_WINDOW_MS) {
    return {
      ok: false,
      error: 'too_late',
      detail: `A redemption can be undone within ${REDEMPTION_UNDO_WINDOW_MS / 60_000} minutes only.`,
    };
  }
  const e = redemption.entry;
  // 0 − n rather than −n: what the redemption left alone stays 0, not −0.
  const back = entry('redemption_undone', {
    stamps: 0 - e.stamps,
    rewards: 0 - e.rewards,
    points: 0 - e.points,
    cashbackMinor: 0 - e.cashbackMinor,
    amountMinor: 0 - e.amountMinor,
    rewardId: e.rewardId,
    rewardName: e.rewardName ?? null,
  });
  return { ok: true, ...outcome(b, [back]) };
}

/** How far one adjustment may go, in the program's unit. */
export const ADJUSTMENT_LIMITS: Readonly<Record<Program['type'], number>> = Object.freeze({
  stamps: 1000,
  points: 1_000_000,
  tiers: 1_000_000,
  cashback: 100_000_000,
});

/**
 * A manual adjustment by the owner, `delta` in the program's unit (stamps; points for points
 * and tiers; minor units of cashback), with its reason on the entry.
 * - stamps: a positive delta that completes the card earns rewards exactly as stamps do; a
 *   negative one takes stamps off the card only, never a reward already earned (that is a
 *   redemption's job), so it cannot exceed the stamps on the card;
 * - points, tiers: points only (the tier follows spend, which an adjustment is not);
 * - cashback: the balance.
 * No balance goes below zero (`insufficient_balance`); |delta| is bounded per unit (`out_of_range`).
 */
export function adjust(
  program: Program,
  b: Balances,
  input: { delta: number; reason: string },
): Result<Outcome & { rewardEarned: number }> {
  const { delta, reason } = input;
  const limit = ADJUSTMENT_LIMITS[program.type];
  if (!Number.isInteger(delta) || delta === 0 || Math.abs(delta) > limit) {
    return {
      ok: false,
      error: 'out_of_range',
      detail: `For a ${program.type} program, delta must be a whole number from -${limit} to ${limit}, not 0.`,
    };
  }
  const unit = program.type === 'stamps' ? 'stamps' : program.type === 'cashback' ? 'cashbackMinor' : 'points';
  const held = unit === 'stamps' ? b.stamps : unit === 'cashbackMinor' ? b.cashbackMinor : b.points;
  if (held + delta < 0) {
    const what = unit === 'cashbackMinor' ? 'cashback (minor units)' : unit;
    return { ok: false, error: 'insufficient_balance', detail: `The card holds ${held} ${what}; cannot take off ${-delta}.` };
  }
  if (unit === 'stamps' && delta > 0) {
    const entries = stampEntries(program, b, 'adjustment', delta);
    entries[0]!.reason = reason;
    return { ok: true, rewardEarned: entries.reduce((n, e) => n + e.rewards, 0), ...outcome(b, entries) };
  }
  const change: Partial<Entry> =
    unit === 'stamps' ? { stamps: delta } : unit === 'cashbackMinor' ? { cashbackMinor: delta } : { points: delta };
  return { ok: true, rewardEarned: 0, ...outcome(b, [entry('adjustment', { ...change, reason })]) };
}

/**
 * An opening balance brought over from paper cards or another app (the CSV import): one
 * `imported` entry in the program's unit. Stamps beyond a full card are rewards already earned
 * (23 stamps on a 10-stamp card: 2 rewards and 3 stamps), written in the same entry, so that the
 * import is not counted as rewards earned here.
 */
export function openingBalance(program: Program, b: Balances, amount: number): Outcome {
  if (amount <= 0) return { entries: [], balances: b };
  switch (program.type) {
    case 'stamps': {
      const earned = Math.floor((b.stamps + amount) / program.stampsRequired);
      return outcome(b, [entry('imported', { stamps: amount - earned * program.stampsRequired, rewards: earned })]);
    }
    case 'points':
    case 'tiers':
      return outcome(b, [entry('imported', { points: amount })]);
    case 'cashback':
      return outcome(b, [entry('imported', { cashbackMinor: amount })]);
  }
}
