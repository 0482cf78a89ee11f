import type { ProgramRow } from '../db/queries/programs.ts';
import type { Program } from '../domain/program.ts';

/** What anyone may know about a program: the widget's `GET /api/public/programs/:slug`. */
export interface PublicProgramView {
  merchant: {
    name: string;
    slug: string;
    logoUrl: string | null;
    colors: { background: string; foreground: string; label: string };
    locale: Program['locale'];
  };
  program: {
    type: Program['type'];
    name: string;
    currency: string;
    signupBonus: number;
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
}

/**
 * The public view of a program. Only what a customer sees: no costs of goods, no allowed
 * origins; the fields of other program types are left out.
 */
export function publicProgramView(row: ProgramRow & { merchant_name: string }): PublicProgramView {
  const p = row.program;
  const referrals = p.referral.referrerReward > 0 || p.referral.refereeReward > 0;
  const earnsPoints = p.type === 'points' || p.type === 'tiers';
  return {
    merchant: {
      name: row.merchant_name,
      slug: p.slug,
      logoUrl: p.design.logoUrl,
      colors: { background: p.design.backgroundColor, foreground: p.design.foregroundColor, label: p.design.labelColor },
      locale: p.locale,
    },
    program: {
      type: p.type,
      name: p.name,
      currency: p.currency,
      signupBonus: p.signupBonus,
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
