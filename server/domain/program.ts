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

/** An IANA time zone the runtime knows ("Europe/Paris", "America/Montreal"). */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return tz.length <= 64;
  } catch {
    return false;
  }
}
const timeZone = z.string().refine(isTimeZone, 'must be a time zone like Europe/Paris');
const instant = z.iso.datetime({ offset: true, message: 'must be a date and time like 2027-03-01T00:00:00+01:00' });
const campaignText = z.string().trim().min(1).max(200).nullable().default(null);

/** The owner's own texts in one more language; null: the program's text, as written in `locale`. */
const translatedTexts = z
  .object({
    rewardName: z.string().trim().min(1).max(100).nullable().default(null),
    terms: z.string().trim().min(1).max(2000).nullable().default(null),
  })
  .default({ rewardName: null, terms: null });
export type TranslatedTexts = z.output<typeof translatedTexts>;
const NO_TRANSLATIONS = { en: { rewardName: null, terms: null }, fr: { rewardName: null, terms: null } };

/**
 * A gift a campaign gives: `bonus` is an amount in the program's unit (stamps, points, or
 * cashback in minor units), credited to the card; `reward` is a named reward ("Un croissant
 * offert") the pass announces and staff hand over.
 */
export const giftSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('bonus'), amount: z.number().int().min(1).max(1e6) }),
  z.object({ kind: z.literal('reward'), name: z.string().trim().min(1).max(100) }),
]);

/** What an after-visit ask asks for: a review, or one survey question. */
export const ASK_KINDS = ['review', 'nps', 'csat', 'ces'] as const;

/**
 * The plays of the seed's playbook, each off until the owner turns it on (the Program screen).
 * `message` fields are the owner's own words; null: fidelio's default text in the member's language.
 */
export const campaignsSchema = z.object({
  /** On the day (in the program's time zone), `daysBefore` the birthday, once a year. */
  birthday: z
    .object({
      enabled: z.boolean(),
      daysBefore: z.number().int().min(0).max(30),
      gift: giftSchema,
      message: campaignText,
    })
    .default({ enabled: false, daysBefore: 0, gift: { kind: 'bonus', amount: 1 }, message: null }),
  /** Extra for those who join between `from` and `to` (instants), on top of `signupBonus`. */
  launchBonus: z
    .object({
      enabled: z.boolean(),
      amount: z.number().int().min(1).max(1e6),
      from: instant.nullable(),
      to: instant.nullable(),
    })
    .default({ enabled: false, amount: 1, from: null, to: null })
    .refine((l) => !l.enabled || (l.from !== null && l.to !== null && Date.parse(l.from) < Date.parse(l.to)), {
      message: 'a launch bonus needs a start before its end',
      path: ['to'],
    }),
  /** After a visit: a review or a survey question, at most once per member per 90 days. */
  asks: z
    .object({
      enabled: z.boolean(),
      kind: z.enum(ASK_KINDS),
      skipFirstVisit: z.boolean(),
    })
    .default({ enabled: false, kind: 'review', skipFirstVisit: true }),
  /** Members with no visit for `days` days get a message, once per lapse. */
  winBack: z
    .object({
      enabled: z.boolean(),
      days: z.number().int().min(7).max(365),
      message: campaignText,
    })
    .default({ enabled: false, days: 60, message: null }),
  /** The value-based program: for each stamp (or a share of spend), an amount to a cause. */
  giving: z
    .object({
      enabled: z.boolean(),
      cause: z.string().trim().max(100),
      perStampMinor: z.number().int().min(0).max(1e6),
      percentOfSpend: z.number().min(0).max(100),
    })
    .default({ enabled: false, cause: '', perStampMinor: 0, percentOfSpend: 0 })
    .refine((g) => !g.enabled || g.cause.length > 0, { message: 'name the cause', path: ['cause'] }),
});

export type Campaigns = z.output<typeof campaignsSchema>;
export type Gift = z.output<typeof giftSchema>;
export type AskKind = (typeof ASK_KINDS)[number];

/** Every play off: a new program's campaigns (and those of programs from before them). */
export const DEFAULT_CAMPAIGNS: Campaigns = campaignsSchema.parse({});

/** Rewarded referrals per referrer in any 30 days, unless the owner says otherwise. */
export const REFERRAL_MONTHLY_CAP = 10;

/** Google Wallet shows a program's, a business's or a member's name whole up to 20 characters. */
export const SHORT_NAME_MAX = 20;

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

/** A shop's id: lower-case letters, digits and dashes (the server makes one from the name). */
export const LOCATION_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;

const locationSchema = z.object({
  id: z.string().regex(LOCATION_ID, 'lower-case letters, digits and dashes').optional(),
  name: z.string().trim().max(100).default(''),
  address: z.string().trim().max(300).nullable().default(null),
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  relevantText: z.string().trim().min(1).max(100).optional(),
});

/** The program object of the API, as a merchant writes it (PUT) and reads it (GET). */
export const programSchema = z
  .object({
    slug: z.string().optional(),
    name: z.string().trim().min(1).max(100),
    /**
     * A name of at most 20 characters for Google Wallet, which shows that much of the program's
     * and the business's names and cuts the rest: used for both when given (the business's only
     * when it is longer). None: the names as they are.
     */
    shortName: z.string().trim().min(1).max(SHORT_NAME_MAX).optional(),
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
    /** What a customer spends on a visit, as the owner reckons it (minor units): the reward cost check of a stamps program. */
    averageTicketMinor: z.number().int().min(1).max(1e10).optional(),
    referral: z.object({
      referrerReward: z.number().int().min(0).max(1e6),
      refereeReward: z.number().int().min(0).max(1e6),
      /**
       * At most this many of one member's referrals are rewarded in any 30 days; the next ones
       * join, unrewarded (a member inviting their own extra addresses is capped here).
       */
      monthlyCap: z.number().int().min(1).max(1000).default(REFERRAL_MONTHLY_CAP),
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
    /**
     * The reward's name and the terms in the other language, for the members who speak it: their
     * passes show these instead (the entry of `locale` itself is not read; its texts are the
     * program's own).
     */
    translations: z.object({ en: translatedTexts, fr: translatedTexts }).default(NO_TRANSLATIONS),
    /**
     * The shops: where a stamp happened (every ledger row names one), which shop a staff account
     * or a till key belongs to, the Figures' filter, and where a pass comes up on the lock screen
     * nearby (Apple allows 10). `id` is given by the server when left out, and never changes.
     */
    locations: z.array(locationSchema).max(10).default([]),
    /** Where the shop is in time: "today" for birthdays, win-back and the daily jobs. */
    timezone: timeZone.default('Europe/Paris'),
    campaigns: campaignsSchema.default(DEFAULT_CAMPAIGNS),
  })
  .superRefine((p, ctx) => {
    const ids = new Set<string>();
    p.rewards.forEach((r, i) => {
      if (ids.has(r.id)) ctx.addIssue({ code: 'custom', path: ['rewards', i, 'id'], message: 'duplicate reward id' });
      ids.add(r.id);
    });
    const shops = new Set<string>();
    p.locations.forEach((l, i) => {
      if (l.id === undefined) return;
      if (shops.has(l.id)) ctx.addIssue({ code: 'custom', path: ['locations', i, 'id'], message: 'duplicate location id' });
      shops.add(l.id);
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
    referral: { referrerReward: 0, refereeReward: 0, monthlyCap: REFERRAL_MONTHLY_CAP },
    design: { backgroundColor: '#3b2f2f', foregroundColor: '#ffffff', labelColor: '#f3d9b1', logoUrl: null },
    allowedOrigins: [],
    locale,
    googleReviewUrl: null,
    websiteUrl: null,
    address: null,
    terms: null,
    translations: NO_TRANSLATIONS,
    locations: [],
    timezone: 'Europe/Paris',
    campaigns: DEFAULT_CAMPAIGNS,
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

/**
 * The shops with an id each: a new one (no id yet) gets one made from its name ("Rue Oberkampf"
 * → "rue-oberkampf", "-2" if taken); the ones that have an id keep it.
 */
export function withShopIds<L extends { id?: string; name: string }>(locations: readonly L[]): (L & { id: string })[] {
  const taken = new Set(locations.flatMap((l) => (l.id === undefined ? [] : [l.id])));
  return locations.map((l) => {
    if (l.id !== undefined) return l as L & { id: string };
    const base = slugify(l.name).slice(0, 36);
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
    taken.add(id);
    return { ...l, id };
  });
}
