// The API's shapes as the widget and the dashboard see them, in one place, taken from the zod
// schemas the server validates and describes its answers with (server/contract/). Types only:
// every import here is `import type`, so the bundles carry none of the server (the layer
// check allows common/ nothing else of it).
import type { z } from 'zod';
import type {
  adjustedSchema,
  apiKeyCreatedSchema,
  customerCardSchema,
  customerDetailSchema,
  customersPageSchema,
  customerSummarySchema,
  historyEntrySchema,
  kpisSchema,
  loginBody,
  merchantReviewSchema,
  merchantReviewsSchema,
  merchantSignupBody,
  meSchema,
  Program as ServerProgram,
  programPreviewSchema,
  purchasedSchema,
  redeemedSchema,
  redemptionUndoneSchema,
  staffSchema,
  stampedSchema,
} from '../server/contract/merchant.ts';
import type {
  apiKeyListSchema,
  consentLogSchema,
  deliveriesSchema,
  importPreviewSchema,
  importSchema,
  importsSchema,
  webhookBody,
  webhookCreatedSchema,
  webhookDeliveriesSchema,
  webhookDeliverySchema,
  webhooksSchema,
} from '../server/contract/control.ts';
import type { goalBody, goalPatchBody, goalsSchema } from '../server/contract/goals.ts';
import type {
  cardAnswerSchema,
  cardSchema,
  publicProgramSchema,
  referralSchema,
  reviewBody,
  reviewsPageSchema,
  signupBody,
  surveyBody,
} from '../server/contract/public.ts';

type Out<T extends z.ZodType> = z.output<T>;
type In<T extends z.ZodType> = z.input<T>;

// ---------------------------------------------------------------------------------------------
// Public API (the widget)

/** A member's card as the public API and the counter see it (fields of other program types are null). */
export type Card = Out<typeof cardSchema>;
export type ProgramType = Card['programType'];
/** `POST /programs/:slug/signup` and `GET /cards/:serial`: the card and where to get it. */
export type CardAnswer = Out<typeof cardAnswerSchema>;
/** `GET /programs/:slug`: what the widget shows before anyone joins. */
export type ProgramInfo = Out<typeof publicProgramSchema>;
/** `POST /programs/:slug/signup`'s body. */
export type SignupBody = In<typeof signupBody>;
/** `GET /cards/:serial/referral`: a member's link and how it did. */
export type Referral = Out<typeof referralSchema>;
/** `GET /programs/:slug/reviews`: a page of approved reviews and their average. */
export type ReviewsPage = Out<typeof reviewsPageSchema>;
/** An approved review, as `<fidelio-reviews>` lists it. */
export type Review = ReviewsPage['reviews'][number];
/** `POST /programs/:slug/reviews`'s body. */
export type ReviewBody = In<typeof reviewBody>;
/** `POST /programs/:slug/surveys`'s body. */
export type SurveyBody = In<typeof surveyBody>;
export type SurveyKind = SurveyBody['kind'];

// ---------------------------------------------------------------------------------------------
// Merchant API (the dashboard)

/** `POST /login`'s body, or `POST /signup`'s (a sign-up names the business too). */
export type Credentials = In<typeof loginBody> & Partial<Pick<In<typeof merchantSignupBody>, 'businessName'>>;
/** The program object: GET gives it (always with its slug), PUT takes it back whole. */
export type Program = ServerProgram;
/** `POST /program/preview`: what saving the program would change now (the editor warns before a save). */
export type ProgramPreview = Out<typeof programPreviewSchema>;
/** Who is signed in (`GET /me`): owners see every screen, staff the counter and customers. */
export type Me = Out<typeof meSchema>;
/**
 * What `POST /cards/:serial/stamps|purchases|redemptions` answer: the card; for a stamp whether it
 * earned a reward; for a stamp or a purchase the referral bonus in it; for a redemption, which one
 * (its id undoes it).
 */
export type CardWriteAnswer = Pick<Out<typeof stampedSchema>, 'card'> &
  Partial<Pick<Out<typeof stampedSchema>, 'rewardEarned' | 'rewardsEarned' | 'referralBonus'>> &
  Partial<Pick<Out<typeof purchasedSchema>, 'tierChanged'>> &
  Partial<Pick<Out<typeof redeemedSchema>, 'redeemed'>>;
/** What `POST /cards/:serial/redemptions/:id/undo` answers: the card, and the redemption undone. */
export type UndoAnswer = Out<typeof redemptionUndoneSchema>;
/** A card's state as the customers API gives it (fields of other program types are there too, unused). */
export type CustomerCard = Out<typeof customerCardSchema>;
/** One customer of `GET /customers`. */
export type CustomerSummary = Out<typeof customerSummarySchema>;
/** `GET /customers?q&cursor&limit`: a page of customers. */
export type CustomersPage = Out<typeof customersPageSchema>;
/** One ledger entry of a customer's history: signed deltas, newest first. */
export type HistoryEntry = Out<typeof historyEntrySchema>;
/** `GET /customers/:id`: the customer, their card and its history. */
export type CustomerDetail = Out<typeof customerDetailSchema>;
/** What `POST /cards/:serial/adjustments` answers. */
export type AdjustAnswer = Out<typeof adjustedSchema>;
/** A member of the team (`GET /staff`). */
export type StaffMember = Out<typeof staffSchema>['staff'][number];
/** `POST /api-keys`: the new key, shown once. */
export type NewApiKey = Out<typeof apiKeyCreatedSchema>;
/** A review as the merchant moderates it. */
export type ModeratedReview = Out<typeof merchantReviewSchema>;
export type ReviewStatus = ModeratedReview['status'];
/** `GET /reviews?status&cursor`: a page of reviews to moderate. */
export type ModeratedReviewsPage = Out<typeof merchantReviewsSchema>;
/** `GET /kpis`: `null` is a KPI without data yet. */
export type Kpis = Out<typeof kpisSchema>;
/** The KPIs of `GET /kpis` (each a number, or null without data). */
export type KpiKey = Exclude<keyof Kpis, 'period' | 'currency' | 'formulas' | 'series' | 'winBack' | 'giving'>;
export type SeriesPoint = Kpis['series']['points'][number];

/** `GET /goals`: the owner's SMART goals, each with where it stands today (the merchant's `today`). */
export type Goals = Out<typeof goalsSchema>;
export type Goal = Goals['goals'][number];
export type GoalMetric = Goal['metric'];
/** `POST /goals`, and `PATCH /goals/:id` (any of its fields; a null baseline is measured again). */
export type GoalInput = In<typeof goalBody>;
export type GoalPatch = In<typeof goalPatchBody>;

// The merchant in control (server/contract/control.ts)

/** `GET /api-keys`: the tills' keys (never their secret). */
export type ApiKeys = Out<typeof apiKeyListSchema>;
export type ApiKeyInfo = ApiKeys['keys'][number];
/** `GET /webhooks`, `POST /webhooks` (with the secret, once), a delivery and its attempts. */
export type Webhooks = Out<typeof webhooksSchema>;
export type WebhookInfo = Webhooks['webhooks'][number];
export type NewWebhook = Out<typeof webhookCreatedSchema>;
export type WebhookInput = In<typeof webhookBody>;
export type WebhookEventType = WebhookInput['events'][number];
export type WebhookDelivery = Out<typeof webhookDeliverySchema>;
export type WebhookDeliveries = Out<typeof webhookDeliveriesSchema>;
/** `POST /imports/preview`, `GET /imports/:id`, `GET /imports`. */
export type ImportPreview = Out<typeof importPreviewSchema>;
export type ImportField = keyof ImportPreview['mapping'];
export type ImportState = Out<typeof importSchema>;
export type ImportsList = Out<typeof importsSchema>;
/** `GET /cards/:serial/deliveries`: what reached the phones. */
export type Deliveries = Out<typeof deliveriesSchema>;
export type DeliveryInfo = Deliveries['deliveries'][number];
/** `GET /customers/:id/consent` and the export's consent log. */
export type ConsentLog = Out<typeof consentLogSchema>;
export type ConsentEvent = ConsentLog['consent'][number];
/** A shop of the merchant (`program.locations`). */
export type ShopLocation = Program['locations'][number];
