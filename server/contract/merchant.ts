// The merchant API (API.md, "Merchant API"): the dashboard (session cookie + CSRF) and tills
// (`Authorization: Bearer <api key>`).
import { z } from '@hono/zod-openapi';
import { LOCALES } from '../../common/localize.ts';
import { periodTooLong } from '../domain/periods.ts';
import { programSchema } from '../domain/program.ts';
import { locationId } from './control.ts';
import { cardSchema } from './public.ts';
import { cursorParam, dateTime, serialParams } from './shared.ts';

export type { Program } from '../domain/program.ts';

const email = z.string().trim().toLowerCase().max(254).email();
const password = z.string().min(10, 'must be at least 10 characters').max(200);
const minor = z.number().int().min(0).max(1e10);
const positiveMinor = minor.refine((n) => n > 0, 'must be more than 0');

/**
 * The signed-in hint: `fidelio_signed_in=1`, set beside the session cookie at signup and login,
 * cleared at logout. Scripts can read it (not HttpOnly) and it is no secret: the dashboard asks
 * `GET /me` only when it is there, so a signed-out visit makes no request that fails. It grants
 * nothing; the session cookie alone signs a request in.
 */
export const SIGNED_IN_COOKIE = 'fidelio_signed_in';

// ---------------------------------------------------------------------------------------------
// Requests

export const merchantSignupBody = z
  .object({
    businessName: z.string().trim().min(1).max(100),
    email,
    password,
    locale: z.enum(LOCALES).optional(),
  })
  .openapi('MerchantSignup');

export const loginBody = z.object({ email, password: z.string().min(1).max(200) }).openapi('Login');

export const logoutQuery = z.object({
  everywhere: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .openapi({ description: 'End every session of this account, on every device, not only this one.' }),
});

const shopField = locationId.optional().openapi({ description: 'The shop it belongs to (`program.locations[].id`); none: every shop.' });

export const apiKeyBody = z.object({ name: z.string().trim().min(1).max(100), locationId: shopField });

/** Where a visit happened: a shop of `program.locations` (a staff account or till key tied to one uses its own). */
const visitShop = z.string().min(1).max(40).optional().openapi({ description: 'The shop (`program.locations[].id`) where it happened.' });

export const stampBody = z
  .object({
    count: z.number().int().min(1).max(50).default(1),
    purchaseAmount: minor.optional().openapi({ description: 'What was bought, in minor units (for the KPIs).' }),
    locationId: visitShop,
  })
  .openapi('StampInput');

export const purchaseBody = z
  .object({ amount: positiveMinor.openapi({ description: 'Minor units.' }), locationId: visitShop })
  .openapi('PurchaseInput');

export const redemptionBody = z
  .object({
    rewardId: z.string().min(1).max(40).optional().openapi({ description: 'A catalogue reward (points and tiers programs).' }),
    amount: positiveMinor.optional().openapi({ description: 'Cashback to spend, in minor units.' }),
    locationId: visitShop,
  })
  .openapi('RedemptionInput');

// delta in the program's unit; the bound per unit (1000 stamps, 1e6 points, 1e8 minor) is the domain's (`adjust`).
export const adjustmentBody = z
  .object({
    delta: z
      .number()
      .int()
      .min(-1e8)
      .max(1e8)
      .refine((n) => n !== 0, 'must not be 0')
      .openapi({ description: 'In the program’s unit: stamps, points, or cashback minor units.' }),
    reason: z.string().trim().min(1, 'say why').max(200),
  })
  .openapi('AdjustmentInput');

/** A redemption of a card: `redeemed.id` of the redemption's answer. Any string: another is not found. */
export const redemptionParams = serialParams.extend({
  id: z.string().max(64).openapi({ description: 'The redemption’s id (`redeemed.id` of its answer).' }),
});

export const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
    .optional()
    .openapi({ description: 'Sent again with a retry: the first answer comes back and nothing changes twice.' }),
});

export const customersQuery = z.object({
  q: z.string().trim().max(100).optional().openapi({ description: 'Part of a name, an email or a card serial.' }),
  cursor: cursorParam,
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** How the customers' CSV is written: for a spreadsheet in English (the default) or in French. */
export const customersCsvQuery = z.object({
  delimiter: z
    .enum(['comma', 'semicolon', 'tab'])
    .default('comma')
    .openapi({ description: 'What separates the fields: `semicolon` for Excel set to French (where `,` is the decimal comma).' }),
  lang: z.enum(LOCALES).default('en').openapi({
    description:
      '`en`: English headers, times in UTC (ISO 8601), amounts in minor units. `fr`: French headers, times in the program’s time zone (`DD/MM/YYYY HH:mm`), amounts in major units with a decimal comma.',
  }),
});

export const reviewsQuery = z.object({
  status: z.enum(['pending', 'approved', 'rejected']).optional(),
  cursor: cursorParam,
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

// Any string: a malformed id is a review that does not exist (404), not a bad request.
export const idParams = z.object({ id: z.string() });

export const moderationBody = z.object({ status: z.enum(['approved', 'rejected']) });

export const messageBody = z.object({ text: z.string().trim().min(1).max(300) });

export const staffBody = z.object({ email, password, locationId: shopField });

export const posterQuery = z.object({
  format: z.enum(['pdf', 'png']).default('pdf').openapi({ description: 'A PDF to print (vector), or a PNG at 150 dpi.' }),
  size: z.enum(['a4', 'a5']).default('a4').openapi({ description: 'The paper: A4 (the code 12 cm wide) or A5 (8.5 cm).' }),
  lang: z.enum(LOCALES).optional().openapi({ description: 'The poster’s language; the program’s when left out.' }),
});

export const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return d >= '1900-01-01' && d <= '2999-12-31' && !Number.isNaN(t) && new Date(t).toISOString().startsWith(d);
  }, 'not a valid date (1900–2999)');

// ISO days, `to` inclusive; none = all time.
export const kpisQuery = z
  .object({
    from: isoDay.optional().openapi({ example: '2026-11-01' }),
    to: isoDay.optional().openapi({ example: '2026-11-30' }),
    location: z.string().min(1).max(40).optional().openapi({ description: 'One shop’s figures (`program.locations[].id`).' }),
  })
  .superRefine((v, ctx) => {
    if (v.from === undefined || v.to === undefined) return;
    if (v.from > v.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
    else if (periodTooLong(v.from, v.to)) ctx.addIssue({ code: 'custom', path: ['to'], message: 'the period must be at most 5 years' });
  });

// ---------------------------------------------------------------------------------------------
// Answers

export const merchantSchema = z.object({ id: z.string(), name: z.string(), email: z.string() }).openapi('Merchant');

// The program's schema is the domain's (plain zod, made before this module extends zod with
// `.openapi()`), so it stays unnamed in the document.
export const programAnswerSchema = z.object({ program: programSchema });

export const programPreviewSchema = z
  .object({
    affectedCards: z.number().int().openapi({
      description:
        'Cards that saving this program would change at once: with fewer stamps for a reward, the cards holding at least the new number get their rewards.',
    }),
  })
  .openapi('ProgramPreview');

export const signedUpSchema = z.object({ merchant: merchantSchema, program: programSchema });

export const loggedInSchema = z.object({ merchant: merchantSchema.nullable() });

const role = z.enum(['owner', 'staff']);

export const meSchema = z
  .object({
    merchant: merchantSchema.nullable(),
    user: z.object({ id: z.string(), email: z.string(), role }).nullable().openapi({ description: 'None for an API key.' }),
    role,
    via: z.enum(['session', 'api_key']),
    locationId: z.string().nullable().openapi({ description: 'The shop this account or key belongs to; null: every shop.' }),
  })
  .openapi('Me');

export const apiKeyCreatedSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    key: z.string().openapi({ description: 'Shown once.' }),
    locationId: z.string().nullable(),
    createdAt: dateTime,
  })
  .openapi('ApiKeyCreated');

/** A card's state as the merchant sees it (every program type's fields; the unused ones are 0). */
export const customerCardSchema = z
  .object({
    serial: z.string(),
    stamps: z.number().int(),
    rewardsAvailable: z.number().int(),
    points: z.number().int(),
    tier: z.string().nullable(),
    cashbackBalance: z.number().int(),
    spend: z.number().int().openapi({ description: 'Minor units recorded on the card.' }),
    updatedAt: dateTime,
  })
  .openapi('CustomerCard');

const customerFields = {
  id: z.string(),
  name: z.string(),
  email: z.string(),
  phone: z.string().nullable(),
  marketingConsent: z.boolean(),
  createdAt: dateTime,
};

export const customerSummarySchema = z.object({ ...customerFields, card: customerCardSchema }).openapi('CustomerSummary');

export const customersPageSchema = z.object({ customers: z.array(customerSummarySchema), nextCursor: z.string().nullable() });

export const historyEntrySchema = z
  .object({
    kind: z.string(),
    stamps: z.number().int(),
    rewards: z.number().int(),
    points: z.number().int(),
    cashback: z.number().int(),
    amount: z.number().int().nullable(),
    rewardId: z.string().nullable(),
    rewardName: z.string().nullable().openapi({
      description:
        'The reward a reward earned or a redemption is about, by its name when the entry was written (a renamed reward keeps its old name here); entries from before names were kept give the current name.',
    }),
    tier: z.string().nullable().openapi({
      description:
        'The tier a purchase or the daily recomputation (`tier_change`) set, by its name then; null: none set, or below every tier.',
    }),
    actor: z.string().nullable().openapi({
      description:
        '`user:<id>`, `key:<id>`, `system:referral` (a referral’s bonus); null: automatic (a signup, birthday or launch bonus, a tier recomputed).',
    }),
    actorName: z.string().nullable(),
    reason: z.string().nullable(),
    at: dateTime,
  })
  .openapi('HistoryEntry');

export const customerDetailSchema = z
  .object({ customer: z.object(customerFields), card: customerCardSchema, history: z.array(historyEntrySchema) })
  .openapi('CustomerDetail', { description: 'A customer, the card, and its history (newest first).' });

export const merchantReviewSchema = z
  .object({
    id: z.string(),
    rating: z.number().int(),
    text: z.string().nullable(),
    name: z.string().nullable(),
    status: z.enum(['pending', 'approved', 'rejected']),
    verified: z.boolean().openapi({ description: 'Written with the card of a member who had visited (a stamp or a purchase) before.' }),
    createdAt: dateTime,
    moderatedAt: dateTime.nullable(),
    customerName: z.string().nullable(),
  })
  .openapi('MerchantReview');

export const merchantReviewsSchema = z.object({ reviews: z.array(merchantReviewSchema), nextCursor: z.string().nullable() });

export const cardOnlySchema = z.object({ card: cardSchema });

/** How much of a visit's credit was the member's own referral bonus (their first visit as a referred friend). */
const referralBonus = z.number().int().openapi({
  description:
    'Of what this visit credited, the referral bonus of a referred friend’s first visit, in the program’s unit (stamps, points, or cashback minor units); 0: none.',
});

export const stampedSchema = z
  .object({ card: cardSchema, rewardEarned: z.boolean(), rewardsEarned: z.number().int(), referralBonus })
  .openapi('Stamped');

export const purchasedSchema = z.object({ card: cardSchema, tierChanged: z.boolean(), referralBonus }).openapi('Purchased');

const redemptionFields = {
  id: z.string().openapi({ description: 'The redemption’s id: what `POST …/redemptions/{id}/undo` takes.' }),
  rewardId: z.string().nullable(),
  name: z.string(),
};

export const redeemedSchema = z.object({ card: cardSchema, redeemed: z.object(redemptionFields) }).openapi('Redeemed');

export const redemptionUndoneSchema = z
  .object({
    card: cardSchema,
    undone: z.object(redemptionFields).openapi({ description: 'The redemption undone (the same answer for a second undo).' }),
  })
  .openapi('RedemptionUndone');

export const adjustedSchema = z.object({ card: cardSchema, rewardsEarned: z.number().int() }).openapi('Adjusted');

export const reachSchema = z.object({ cards: z.number().int(), devices: z.number().int() });

export const messageSentSchema = z.object({ passes: z.number().int(), devices: z.number().int() });

export const staffSchema = z.object({
  staff: z.array(z.object({ id: z.string(), email: z.string(), role, locationId: z.string().nullable(), createdAt: dateTime })),
});

export const staffCreatedSchema = z.object({ id: z.string(), email: z.string(), role, locationId: z.string().nullable() });

export const logoSchema = z.object({ logoUrl: z.string() });

const kpiValue = z.number().nullable();

export const kpisSchema = z
  .object({
    period: z.object({ from: z.string(), to: z.string() }),
    members: z.number().int(),
    newMembers: z.number().int(),
    activeMembers: z.number().int(),
    retentionRate: kpiValue,
    purchaseFrequency: kpiValue,
    averageOrderValue: kpiValue,
    clv: kpiValue,
    redemptionRate: kpiValue,
    nps: kpiValue,
    csat: kpiValue,
    ces: kpiValue,
    referralConversion: kpiValue,
    rewardCostPercent: kpiValue,
    currency: z.string().nullable(),
    winBack: z
      .object({ sent: z.number().int(), returned: z.number().int() })
      .openapi({ description: 'The win-back play: members sent its message in the period, and how many of them came back since.' }),
    giving: z.object({ cause: z.string(), owedMinor: z.number().int(), currency: z.string() }).nullable().openapi({
      description: 'Giving back: what the period’s stamps and spend owe the cause, in minor units; null when the program does not give.',
    }),
    formulas: z.record(z.string(), z.string()).openapi({ description: 'Each KPI’s formula, in words.' }),
    series: z.object({
      bucket: z.enum(['day', 'week', 'month']),
      points: z.array(
        z.object({
          start: z.string(),
          newMembers: z.number().int(),
          visits: z.number().int(),
          spendMinor: z.number().int(),
          redemptions: z.number().int(),
        }),
      ),
    }),
  })
  .openapi('Kpis', { description: 'A KPI with no data yet is null.' });
