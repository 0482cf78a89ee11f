import { z } from 'zod';
import { type Locale, LOCALES } from '../../common/localize.ts';

export const PROGRAM_TYPES = ['stamps', 'points', 'tiers', 'cashback'] as const;
export type ProgramType = (typeof PROGRAM_TYPES)[number];

const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1a2b3c');
const httpUrl = z
  .string()
  .max(2000)
  .refine((v) => {
    try {
      return /^https?:$/.test(new URL(v).protocol);
    } catch {
      return false;
    }
  }, 'must be an absolute http(s) URL');
const origin = httpUrl.transform((v) => new URL(v).origin);

export const tierSchema = z.object({
  name: z.string().trim().min(1).max(40),
  /** Spend over the rolling last 12 months, in minor units, from which the tier applies. */
  threshold: z.number().int().min(0).max(1e12),
  multiplier: z.number().min(0).max(100),
  perks: z.array(z.string().trim().min(1).max(200)).max(20).default([]),
});

export const catalogRewardSchema = z.object({
  id: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .regex(/^[\w-]+$/, 'letters, digits, - and _ only'),
  name: z.string().trim().min(1).max(100),
  points: z.number().int().min(1).max(1e9),
  /** What the reward costs the merchant (cost of goods), in minor units. */
  costMinor: z.number().int().min(0).max(1e12).default(0),
});

/** The program object of the API, as a merchant writes it (PUT) and reads it (GET). */
export const programSchema = z
  .object({
    slug: z.string().optional(),
    name: z.string().trim().min(1).max(100),
    type: z.enum(PROGRAM_TYPES),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like EUR')
      .refine((c) => minorDigits(c) !== undefined, 'unknown currency'),
    stampsRequired: z.number().int().min(1).max(50),
    reward: z.object({ name: z.string().trim().min(1).max(100), costMinor: z.number().int().min(0).max(1e12).default(0) }),
    pointsPerUnit: z.number().min(0).max(1000),
    rewards: z.array(catalogRewardSchema).max(50),
    tiers: z.array(tierSchema).max(10),
    cashbackPercent: z.number().min(0).max(100),
    signupBonus: z.number().int().min(0).max(1e6),
    referral: z.object({
      referrerReward: z.number().int().min(0).max(1e6),
      refereeReward: z.number().int().min(0).max(1e6),
    }),
    design: z.object({
      backgroundColor: color,
      foregroundColor: color,
      labelColor: color,
      logoUrl: httpUrl.nullable(),
    }),
    allowedOrigins: z.array(origin).max(20),
    locale: z.enum(LOCALES),
    googleReviewUrl: httpUrl.nullable(),
    /** The merchant's own site: where a referral link sends the friend (with `?ref=CODE`). */
    websiteUrl: httpUrl.nullable().default(null),
    /** Shown on the back of the passes. */
    address: z.string().trim().max(300).nullable().default(null),
    terms: z.string().trim().max(2000).nullable().default(null),
    /** Where the shop is: a pass comes up on the lock screen nearby (Apple allows 10). */
    locations: z
      .array(
        z.object({
          latitude: z.number().min(-90).max(90),
          longitude: z.number().min(-180).max(180),
          relevantText: z.string().trim().min(1).max(100).optional(),
        }),
      )
      .max(10)
      .default([]),
  })
  .superRefine((p, ctx) => {
    const ids = new Set<string>();
    p.rewards.forEach((r, i) => {
      if (ids.has(r.id)) ctx.addIssue({ code: 'custom', path: ['rewards', i, 'id'], message: 'duplicate reward id' });
      ids.add(r.id);
    });
    if (p.type === 'tiers' && p.tiers.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['tiers'], message: 'a tiers program needs at least one tier' });
    }
    const thresholds = p.tiers.map((t) => t.threshold);
    if (thresholds.some((t, i) => i > 0 && t <= thresholds[i - 1]!)) {
      ctx.addIssue({ code: 'custom', path: ['tiers'], message: 'tier thresholds must increase' });
    }
  });

export type ProgramInput = z.input<typeof programSchema>;
export type Program = z.output<typeof programSchema> & { slug: string };
export type Tier = z.output<typeof tierSchema>;
export type CatalogReward = z.output<typeof catalogRewardSchema>;

/** The program every new merchant starts with: 10 stamps for a free item. */
export function defaultProgram(slug: string, businessName: string, locale: Locale = 'en'): Program {
  return {
    slug,
    name: (locale === 'fr' ? `Carte fidélité ${businessName}` : `${businessName} loyalty card`).slice(0, 100),
    type: 'stamps',
    currency: 'EUR',
    stampsRequired: 10,
    reward: { name: locale === 'fr' ? 'Un café offert' : 'A free coffee', costMinor: 100 },
    pointsPerUnit: 1,
    rewards: [],
    tiers: [],
    cashbackPercent: 0,
    signupBonus: 0,
    referral: { referrerReward: 0, refereeReward: 0 },
    design: { backgroundColor: '#3b2f2f', foregroundColor: '#ffffff', labelColor: '#f3d9b1', logoUrl: null },
    allowedOrigins: [],
    locale,
    googleReviewUrl: null,
    websiteUrl: null,
    address: null,
    terms: null,
    locations: [],
  };
}

/** ISO 4217 codes the runtime knows: Intl.NumberFormat accepts any well-formed code ("XYZ"). */
const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** Digits after the decimal point for a currency (2 for EUR, 0 for JPY); undefined if unknown. */
export function minorDigits(currency: string): number | undefined {
  if (!KNOWN_CURRENCIES.has(currency)) return undefined;
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
  } catch {
    return undefined;
  }
}

/** A URL-safe slug from a business name: "Café de la Lune" → "cafe-de-la-lune". */
export function slugify(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return s || 'shop';
}
