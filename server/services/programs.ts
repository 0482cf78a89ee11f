// The program: the merchant reads and replaces it; anyone may read its public view.
import { readableOn } from '../../common/colour.ts';
import type { Queryable } from '../db/index.ts';
import { balancesOf, countFullCards, lockFullCards, nextUpdatedAt, writeCardChange } from '../db/queries/cards.ts';
import { queueCardUpdates, reissueMerchantPasses } from '../db/queries/outbox.ts';
import { getReferrerName } from '../db/queries/referrals.ts';
import {
  getProgramByMerchant,
  getProgramBySlug,
  getProgramWithMerchantBySlug,
  type ProgramRow,
  updateProgram,
} from '../db/queries/programs.ts';
import { type Program, withShopIds } from '../domain/program.ts';
import { notFound } from '../errors.ts';
import { firstName, launchSentence } from '../../common/campaign-text.ts';
import type { Locale } from '../../common/localize.ts';
import { unitOf } from '../../common/offer.ts';
import { launchBonusAt } from '../domain/campaigns.ts';
import { invitationText } from '../domain/referral-text.ts';
import { REFERRAL_CODE_PATTERN } from '../domain/referrals.ts';
import { rewardsOwed } from '../domain/rules.ts';
import { type Deps, nowOf } from './deps.ts';

/** What `slugify` makes (and a little more); anything else names no program. */
const SLUG_PATTERN = /^[a-z0-9-]{1,64}$/;

/** A program with its merchant's business name: what the public routes act on. */
export type ProgramWithMerchant = ProgramRow & { merchant_name: string };

/** A program by its public name (slug), with the merchant's business name; not found for any other. */
export async function programBySlug({ db }: Pick<Deps, 'db'>, slug: string): Promise<ProgramWithMerchant> {
  const row = SLUG_PATTERN.test(slug) ? await getProgramWithMerchantBySlug(db, slug) : undefined;
  if (!row) throw notFound('No program with this name.');
  return row;
}

/** The sites allowed to call a program's public API (a CORS preflight); undefined for no program. */
export async function programOrigins({ db }: Pick<Deps, 'db'>, slug: string): Promise<readonly string[] | undefined> {
  return SLUG_PATTERN.test(slug) ? (await getProgramBySlug(db, slug))?.program.allowedOrigins : undefined;
}

export async function getProgram({ db }: Pick<Deps, 'db'>, merchantId: string): Promise<Program> {
  const row = await getProgramByMerchant(db, merchantId);
  if (!row) throw notFound('This merchant has no program.');
  return row.program;
}

/**
 * Replaces the program (the slug never changes). A change re-issues every pass: each card
 * gets a new version and each registered phone a push, in the same transaction. With fewer
 * stamps for a reward than before, the cards that now hold enough get their rewards in that
 * transaction too (`actor`, the owner who saved, on their ledger rows).
 */
export async function saveProgram(
  deps: Pick<Deps, 'db' | 'outbox'>,
  merchantId: string,
  program: Omit<Program, 'slug'>,
  actor: string | null = null,
): Promise<Program> {
  const { saved, changed } = await deps.db.transaction(async (tx) => {
    const current = await getProgramByMerchant(tx, merchantId);
    if (!current) throw notFound('This merchant has no program.');
    const locations = withShopIds(program.locations);
    const row = (await updateProgram(tx, merchantId, { ...program, locations, slug: current.program.slug }))!;
    // Both come out of jsonb, with its key order: equal text is an equal program.
    const changed = JSON.stringify(row.program) !== JSON.stringify(current.program);
    if (changed) {
      await payOwedRewards(tx, merchantId, row.program, actor);
      await reissueMerchantPasses(tx, merchantId);
    }
    return { saved: row.program, changed };
  });
  if (changed) deps.outbox.wake();
  return saved;
}

/**
 * The rewards a stamps program owes its cards as it now is: a card at or over the threshold (it
 * was lowered) gets a `reward_earned` entry, and its passes an update. Run again, it finds no
 * such card: nothing is given twice. Returns the cards it paid.
 */
async function payOwedRewards(tx: Queryable, merchantId: string, program: Program, actor: string | null): Promise<number> {
  if (program.type !== 'stamps') return 0;
  const cards = await lockFullCards(tx, merchantId, program.stampsRequired);
  for (const card of cards) {
    const owed = rewardsOwed(program, balancesOf(card));
    await writeCardChange(tx, {
      card,
      currency: program.currency,
      actor,
      entries: owed.entries,
      balances: owed.balances,
      updatedAt: nextUpdatedAt(card.updated_at),
    });
  }
  await queueCardUpdates(
    tx,
    cards.map((c) => c.id),
  );
  return cards.length;
}

/**
 * What saving this program would change now, before it is saved (the editor's warning): the
 * cards that would get their rewards at once because the stamps a reward needs went down.
 */
export async function previewProgram(
  { db }: Pick<Deps, 'db'>,
  merchantId: string,
  program: Omit<Program, 'slug'>,
): Promise<{ affectedCards: number }> {
  if (!(await getProgramByMerchant(db, merchantId))) throw notFound('This merchant has no program.');
  return { affectedCards: program.type === 'stamps' ? await countFullCards(db, merchantId, program.stampsRequired) : 0 };
}

/** The launch-week bonus while it runs, with its sentence in each language (the shop's last day). */
export interface LaunchBonusView {
  amount: number;
  endsAt: string;
  text: Record<Locale, string>;
}

export function launchBonusView(p: Program, now: Date): LaunchBonusView | null {
  const launch = launchBonusAt(p, now);
  if (!launch) return null;
  const words = (locale: Locale) =>
    launchSentence(locale, { amount: unitOf(p, launch.amount), endsAt: launch.endsAt, timeZone: p.timezone });
  return { ...launch, text: { en: words('en'), fr: words('fr') } };
}

/** What anyone may know about a program: the widget's `GET /api/public/programs/:slug`. */
export interface PublicProgramView {
  merchant: {
    name: string;
    slug: string;
    logoUrl: string | null;
    colors: { background: string; foreground: string; label: string; text: string };
    locale: Program['locale'];
  };
  program: {
    type: Program['type'];
    name: string;
    currency: string;
    signupBonus: number;
    launchBonus: LaunchBonusView | null;
    stampsRequired?: number;
    reward?: { name: string };
    pointsPerUnit?: number;
    rewards?: { id: string; name: string; points: number }[];
    tiers?: { name: string; threshold: number; multiplier: number; perks: string[] }[];
    cashbackPercent?: number;
    referral?: { referrerReward: number; refereeReward: number };
  };
  features: { reviews: boolean; referrals: boolean; surveys: boolean };
  googleReviewUrl: string | null;
  /** Opened from a member's link (`?ref=`): who invites (first name only) and what joining brings. */
  invitation?: { firstName: string; text: Record<Locale, string> };
}

/**
 * The public view of a program. Only what a customer sees: no costs of goods, no allowed
 * origins; the fields of other program types are left out.
 */
export function publicProgramView(row: ProgramWithMerchant, now: Date): PublicProgramView {
  const p = row.program;
  const referrals = p.referral.referrerReward > 0 || p.referral.refereeReward > 0;
  const earnsPoints = p.type === 'points' || p.type === 'tiers';
  return {
    merchant: {
      name: row.merchant_name,
      slug: p.slug,
      logoUrl: p.design.logoUrl,
      colors: {
        background: p.design.backgroundColor,
        foreground: p.design.foregroundColor,
        label: p.design.labelColor,
        text: readableOn(p.design.backgroundColor, p.design.foregroundColor),
      },
      locale: p.locale,
    },
    program: {
      type: p.type,
      name: p.name,
      currency: p.currency,
      signupBonus: p.signupBonus,
      launchBonus: launchBonusView(p, now),
      ...(p.type === 'stamps' && { stampsRequired: p.stampsRequired, reward: { name: p.reward.name } }),
      ...(earnsPoints && {
        pointsPerUnit: p.pointsPerUnit,
        rewards: p.rewards.map((r) => ({ id: r.id, name: r.name, points: r.points })),
      }),
      ...(p.type === 'tiers' && {
        tiers: p.tiers.map((t) => ({ name: t.name, threshold: t.threshold, multiplier: t.multiplier, perks: t.perks })),
      }),
      ...(p.type === 'cashback' && { cashbackPercent: p.cashbackPercent }),
      ...(referrals && { referral: { referrerReward: p.referral.referrerReward, refereeReward: p.referral.refereeReward } }),
    },
    features: { reviews: true, referrals, surveys: true },
    googleReviewUrl: p.googleReviewUrl ?? null,
  };
}

/**
 * The public view of a program, with the invitation when `ref` is the referral code of one of
 * its members; any other code (nobody's, another program's, not a code at all) brings none.
 */
export async function publicProgram(
  deps: Pick<Deps, 'db' | 'clock'>,
  row: ProgramWithMerchant,
  ref: string | undefined,
): Promise<PublicProgramView> {
  const view = publicProgramView(row, nowOf(deps));
  const name = ref && REFERRAL_CODE_PATTERN.test(ref) ? await getReferrerName(deps.db, row.merchant_id, ref) : undefined;
  if (!name) return view;
  const first = firstName(name);
  return { ...view, invitation: { firstName: first, text: invitationText(row.program, first) } };
}
