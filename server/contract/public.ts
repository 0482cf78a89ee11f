// The public API (API.md, "Public API"): what the widget calls from merchants' sites. Request
// schemas are validated at the edge; answer schemas describe what the services return and
// give the browser apps their types (type-only imports, zero bytes in the bundles).
import { z } from '@hono/zod-openapi';
import { LOCALES } from '../../common/localize.ts';
import { ASK_KINDS, PROGRAM_TYPES } from '../domain/program.ts';
import { REFERRAL_CODE_PATTERN } from '../domain/referrals.ts';
import { SURVEY_KINDS, SURVEY_SCALES } from '../domain/surveys.ts';
import { cursorParam, dateTime } from './shared.ts';

export const slugParams = z.object({
  slug: z.string().openapi({ example: 'cafe-lune', description: 'The program’s public name (`program="…"` on the widget).' }),
});

// ---------------------------------------------------------------------------------------------
// Requests

export const signupBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    email: z.string().trim().toLowerCase().max(254).email(),
    phone: z
      .string()
      .trim()
      .max(32)
      .regex(/^\+?[\d\s().-]{4,32}$/, 'must be a phone number')
      .optional(),
    birthday: z.iso
      .date('must be a date like 1990-04-21')
      .refine((d) => d >= '1900-01-01' && d <= new Date().toISOString().slice(0, 10), 'must be a real birthday')
      .optional(),
    consent: z.object({
      terms: z.literal(true, 'the terms must be accepted'),
      marketing: z.boolean().default(false),
    }),
    referralCode: z.string().trim().max(32).optional().openapi({ description: 'The `?ref=` code of the member who invited them.' }),
    locale: z.enum(LOCALES).optional(),
  })
  .openapi('Signup');

/** A member who lost their card asks for its link by mail. */
export const recoverBody = z
  .object({
    email: z.string().trim().toLowerCase().max(254).email().openapi({ example: 'camille@example.com' }),
  })
  .openapi('CardRecovery');

/** A card the customer says is theirs; one that is not a card of the program is ignored. */
const cardSerial = z.string().max(64).nullish();

export const reviewBody = z
  .object({
    rating: z.number().int().min(1).max(5),
    text: z.string().trim().max(2000).nullish(),
    name: z.string().trim().max(100).nullish(),
    cardSerial,
  })
  .openapi('ReviewInput');

/**
 * `?ref=` of the page the widget is on. Never refused: anything but one code (too long, odd
 * characters, repeated) is read as none, and a code that is nobody's in the program brings no
 * invitation either: the widget still loads.
 */
export const programQuery = z.object({
  ref: z.string().regex(REFERRAL_CODE_PATTERN).optional().catch(undefined).openapi({
    // Spelled out: the document generator does not read through `.catch()`.
    type: 'string',
    pattern: REFERRAL_CODE_PATTERN.source,
    description: 'A member’s referral code (the `?ref=` of their link): the answer then has the `invitation`.',
  }),
});

/** The language of the referral answer's sentence: the widget's own, since a page's language may not be the browser's. */
export const referralQuery = z.object({
  lang: z.enum(LOCALES).optional().openapi({ description: 'The language of `offer`; without it, the request’s `Accept-Language`.' }),
});

export const reviewsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(50).default(10),
  cursor: cursorParam,
});

export const surveyBody = z
  .object({
    kind: z.enum(SURVEY_KINDS),
    score: z.number().int(),
    comment: z.string().trim().max(1000).nullish(),
    cardSerial,
  })
  .superRefine((b, ctx) => {
    const { min, max } = SURVEY_SCALES[b.kind];
    if (b.score < min || b.score > max) {
      ctx.addIssue({ code: 'custom', path: ['score'], message: `must be a whole number from ${min} to ${max} for ${b.kind}` });
    }
  })
  .openapi('SurveyAnswer', { description: 'Scales: `nps` 0–10, `csat` 1–5, `ces` 1–5.' });

// ---------------------------------------------------------------------------------------------
// Answers

export const cardSchema = z
  .object({
    serial: z.string(),
    programType: z.enum(PROGRAM_TYPES),
    stamps: z.number().int().nullable(),
    stampsRequired: z.number().int().nullable(),
    rewardsAvailable: z.number().int().nullable(),
    points: z.number().int().nullable(),
    tier: z.string().nullable(),
    cashbackBalance: z.number().int().nullable().openapi({ description: 'Minor units of the program’s currency.' }),
    customerName: z.string(),
    updatedAt: dateTime,
  })
  .openapi('Card', { description: 'A loyalty card. Fields that do not apply to the program type are null.' });

export const cardLinksSchema = z
  .object({
    card: z.string().openapi({ description: 'This answer.' }),
    page: z.string().openapi({ description: 'The card’s page for its holder (HTML): the card, the QR code, the wallets.' }),
    applePass: z.string().openapi({ description: 'The signed .pkpass.' }),
    googleSave: z.string().openapi({ description: 'Redirects to Google’s "Save to Wallet" page.' }),
    qr: z.string().openapi({ description: 'The serial as a QR code (SVG): what the counter scans.' }),
  })
  .openapi('CardLinks', { description: 'Absolute URLs.' });

export const walletsSchema = z
  .object({ apple: z.boolean(), google: z.boolean() })
  .openapi('Wallets', { description: 'The wallets this server issues passes for: offer a badge for those only.' });

export const askSchema = z.object({ kind: z.enum(ASK_KINDS) }).openapi('Ask', {
  description: 'After a visit, what the holder is asked for: a review, or one survey question (`nps`, `csat`, `ces`).',
});

export const cardAnswerSchema = z
  .object({
    card: cardSchema,
    links: cardLinksSchema,
    wallets: walletsSchema,
    ask: askSchema.nullable().openapi({ description: 'An after-visit ask to show with the card; null: none now.' }),
  })
  .openapi('CardAnswer');

const money = z.string().openapi({ example: 'EUR', description: 'ISO 4217 code.' });

export const publicProgramSchema = z
  .object({
    merchant: z.object({
      name: z.string(),
      slug: z.string(),
      logoUrl: z.string().nullable(),
      colors: z.object({
        background: z.string(),
        foreground: z.string(),
        label: z.string(),
        text: z.string().openapi({
          description: 'The text colour on `background`: `foreground` when it reaches WCAG AA contrast (4.5), else black or white.',
        }),
      }),
      locale: z.enum(LOCALES),
    }),
    program: z.object({
      type: z.enum(PROGRAM_TYPES),
      name: z.string(),
      currency: money,
      signupBonus: z.number().int(),
      launchBonus: z
        .object({
          amount: z.number().int(),
          endsAt: dateTime,
          text: z
            .object({ en: z.string(), fr: z.string() })
            .openapi({ description: 'The offer in words, in each language, its last day in the shop’s time zone.' }),
        })
        .nullable()
        .openapi({ description: 'The launch-week bonus, on top of `signupBonus`, while it runs; null otherwise.' }),
      stampsRequired: z.number().int().optional(),
      reward: z.object({ name: z.string() }).optional(),
      pointsPerUnit: z.number().optional(),
      rewards: z.array(z.object({ id: z.string(), name: z.string(), points: z.number().int() })).optional(),
      tiers: z
        .array(z.object({ name: z.string(), threshold: z.number().int(), multiplier: z.number(), perks: z.array(z.string()) }))
        .optional(),
      cashbackPercent: z.number().optional(),
      referral: z.object({ referrerReward: z.number().int(), refereeReward: z.number().int() }).optional(),
    }),
    features: z.object({ reviews: z.boolean(), referrals: z.boolean(), surveys: z.boolean() }),
    googleReviewUrl: z.string().nullable(),
    invitation: z
      .object({
        firstName: z.string().openapi({ example: 'Camille', description: 'The inviting member’s first name (never more of it).' }),
        text: z.object({ en: z.string(), fr: z.string() }).openapi({
          description:
            'Who invites and what joining brings, in each language: the signup bonus, and the referral reward of the first visit.',
          example: {
            en: 'Camille invites you: you get 1 stamp when you join and 2 stamps on your first visit.',
            fr: 'Camille vous invite : vous recevez 1 tampon à l’inscription et 2 tampons à votre première visite.',
          },
        }),
      })
      .optional()
      .openapi({ description: 'Only when asked with `?ref=` a member’s code of this program; left out for any other code.' }),
  })
  .openapi('PublicProgram', { description: 'What anyone may know of a program; the fields of other program types are left out.' });

export const referralSchema = z
  .object({
    code: z.string(),
    url: z.string().openapi({ description: 'The page a friend opens, with `?ref=CODE`.' }),
    invited: z.number().int(),
    joined: z.number().int(),
    rewarded: z.number().int(),
    offer: z.string().nullable().openapi({
      description:
        'What the friend and the member earn, in one sentence in the asked language; null when the program gives neither anything.',
      example: 'Votre ami reçoit 1 tampon à l’inscription ; vous recevez 2 tampons à sa première visite.',
    }),
  })
  .openapi('Referral');

export const publicReviewSchema = z
  .object({
    rating: z.number().int(),
    text: z.string().nullable(),
    name: z.string().nullable(),
    verified: z.boolean().openapi({ description: 'Written with the card of a member who had visited (a stamp or a purchase) before.' }),
    createdAt: dateTime,
  })
  .openapi('PublicReview');

export const reviewsPageSchema = z
  .object({
    average: z.number().nullable(),
    count: z.number().int(),
    reviews: z.array(publicReviewSchema),
    nextCursor: z.string().nullable(),
    structuredData: z
      .record(z.string(), z.unknown())
      .nullable()
      .openapi({
        description:
          'The average and the count as schema.org `AggregateRating` JSON-LD, for a page to publish (the widget puts it in a ' +
          '`<script type="application/ld+json">`); null while there are no approved reviews.',
      }),
  })
  .openapi('ReviewsPage', { description: 'Approved reviews, newest first.' });

export const reviewCreatedSchema = z
  .object({
    id: z.string(),
    status: z.enum(['pending', 'approved', 'rejected']),
    googleReviewUrl: z.string().nullable().openapi({ description: 'Where to leave a review on Google too, if the merchant set it.' }),
  })
  .openapi('ReviewCreated');

export const createdSchema = z.object({ id: z.string() });

export const recoveryAcceptedSchema = z
  .object({
    status: z.literal('accepted'),
    detail: z.string().openapi({ example: 'If this address is a member’s, the link to the card is on its way.' }),
  })
  .openapi('RecoveryAccepted', { description: 'The same answer whether or not the address is a member’s.' });
