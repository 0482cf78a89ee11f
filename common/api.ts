// The API's shapes (`API.md`) as the widget and the dashboard see them, in one place: what the
// server answers, and the bodies the apps send. Types only (no code): the apps import them with
// `import type`, so they cost the bundles nothing. Written by hand for now; they mirror the
// server's zod schemas and views.

import type { Locale } from './localize.ts';

export type ProgramType = 'stamps' | 'points' | 'tiers' | 'cashback';

// ---------------------------------------------------------------------------------------------
// Public API (the widget)

/** A member's card as the public API and the counter see it (fields of other program types are null). */
export interface Card {
  serial: string;
  programType: ProgramType;
  stamps: number | null;
  stampsRequired: number | null;
  rewardsAvailable: number | null;
  points: number | null;
  tier: string | null;
  cashbackBalance: number | null;
  customerName: string;
  updatedAt: string;
}

/** `POST /programs/:slug/signup` and `GET /cards/:serial`: the card and where to get it. */
export interface CardAnswer {
  card: Card;
  links: { card: string; applePass: string; googleSave: string; qr: string };
}

/** `GET /programs/:slug`: what the widget shows before anyone joins. */
export interface ProgramInfo {
  merchant: { name: string; slug: string; logoUrl: string | null; colors?: { background?: string; foreground?: string }; locale: string };
  program: { type: ProgramType; name: string; currency?: string; stampsRequired?: number; reward?: { name: string }; signupBonus?: number };
  features?: { reviews?: boolean; referrals?: boolean; surveys?: boolean };
  googleReviewUrl?: string | null;
}

/** `POST /programs/:slug/signup`'s body. */
export interface SignupBody {
  name: string;
  email: string;
  phone?: string;
  birthday?: string;
  consent: { terms: true; marketing: boolean };
  referralCode?: string;
  locale: string;
}

/** `GET /cards/:serial/referral`: a member's link and how it did. */
export interface Referral {
  code: string;
  url: string;
  invited: number;
  joined: number;
  rewarded: number;
}

/** An approved review, as `<fidelio-reviews>` lists it. */
export interface Review {
  rating: number;
  text: string | null;
  name: string | null;
  createdAt: string;
}

/** `GET /programs/:slug/reviews`: a page of approved reviews and their average. */
export interface ReviewsPage {
  average: number | null;
  count: number;
  reviews: Review[];
  nextCursor: string | null;
}

/** `POST /programs/:slug/reviews`'s body. */
export interface ReviewBody {
  rating: number;
  text?: string;
  name?: string;
  cardSerial?: string;
}

export type SurveyKind = 'nps' | 'csat' | 'ces';

/** `POST /programs/:slug/surveys`'s body. */
export interface SurveyBody {
  kind: SurveyKind;
  score: number;
  comment?: string;
  cardSerial?: string;
}

// ---------------------------------------------------------------------------------------------
// Merchant API (the dashboard)

/** `POST /login` and `POST /signup`'s body (a sign-up names the business too). */
export interface Credentials {
  email: string;
  password: string;
  businessName?: string;
}

/** The program object (`API.md`, "The program object"): GET gives it, PUT takes it back whole. */
export interface Program {
  slug: string;
  name: string;
  type: ProgramType;
  currency: string;
  stampsRequired: number;
  reward: { name: string; costMinor: number };
  pointsPerUnit: number;
  rewards: { id: string; name: string; points: number; costMinor: number }[];
  tiers: { name: string; threshold: number; multiplier: number; perks: string[] }[];
  cashbackPercent: number;
  signupBonus: number;
  referral: { referrerReward: number; refereeReward: number };
  design: { backgroundColor: string; foregroundColor: string; labelColor: string; logoUrl: string | null };
  allowedOrigins: string[];
  locale: Locale;
  googleReviewUrl: string | null;
  websiteUrl: string | null;
  address: string | null;
  terms: string | null;
  locations: { latitude: number; longitude: number; relevantText?: string }[];
}

/** Who is signed in (`GET /me`): owners see every screen, staff the counter and customers. */
export interface Me {
  merchant: { id: string; name: string; email: string };
  user: { id: string; email: string; role: 'owner' | 'staff' } | null;
  role: 'owner' | 'staff';
  via: 'session' | 'api_key';
}

/** What `POST /cards/:serial/stamps|purchases|redemptions` answers. */
export interface CardWriteAnswer {
  card: Card;
  rewardEarned?: boolean;
}

/** A card's state as the customers API gives it (fields of other program types are there too, unused). */
export interface CustomerCard {
  serial: string;
  stamps: number;
  rewardsAvailable: number;
  points: number;
  tier: string | null;
  cashbackBalance: number;
  spend: number;
  updatedAt: string;
}

/** One customer of `GET /customers`. */
export interface CustomerSummary {
  id: string;
  name: string;
  email: string;
  phone: string | null;
  marketingConsent: boolean;
  createdAt: string;
  card: CustomerCard;
}

/** `GET /customers?q&cursor&limit`: a page of customers. */
export interface CustomersPage {
  customers: CustomerSummary[];
  nextCursor: string | null;
}

/** One ledger entry of a customer's history: signed deltas, newest first. */
export interface HistoryEntry {
  kind: string;
  stamps: number;
  rewards: number;
  points: number;
  cashback: number;
  amount: number | null;
  rewardId: string | null;
  actor: string | null;
  actorName: string | null;
  reason: string | null;
  at: string;
}

/** `GET /customers/:id`: the customer, their card and its history. */
export interface CustomerDetail {
  customer: Omit<CustomerSummary, 'card'>;
  card: CustomerCard;
  history: HistoryEntry[];
}

/** What `POST /cards/:serial/adjustments` answers (the card as the counter sees it). */
export interface AdjustAnswer {
  card: { serial: string };
  rewardsEarned?: number;
}

/** A member of the team (`GET /staff`, `POST /staff`). */
export interface StaffMember {
  id: string;
  email: string;
  role: 'owner' | 'staff';
  createdAt?: string;
}

/** `POST /api-keys`: the new key, shown once. */
export interface NewApiKey {
  id: string;
  name: string;
  key: string;
}

export type ReviewStatus = 'pending' | 'approved' | 'rejected';

/** A review as the merchant moderates it (server/services/reviews.ts `ReviewView`). */
export interface ModeratedReview {
  id: string;
  rating: number;
  text: string | null;
  name: string | null;
  status: ReviewStatus;
  createdAt: string;
  moderatedAt: string | null;
  customerName: string | null;
}

/** `GET /reviews?status&cursor`: a page of reviews to moderate. */
export interface ModeratedReviewsPage {
  reviews: ModeratedReview[];
  nextCursor: string | null;
}

/** The KPIs of `GET /kpis`, in the order the figures screen shows them. */
export type KpiKey =
  | 'members'
  | 'newMembers'
  | 'activeMembers'
  | 'retentionRate'
  | 'purchaseFrequency'
  | 'averageOrderValue'
  | 'clv'
  | 'redemptionRate'
  | 'referralConversion'
  | 'rewardCostPercent'
  | 'nps'
  | 'csat'
  | 'ces';

/** `GET /kpis` (server/services/kpis.ts): `null` is a KPI without data yet. */
export interface Kpis {
  period: { from: string; to: string };
  members: number;
  newMembers: number;
  activeMembers: number;
  retentionRate: number | null;
  purchaseFrequency: number | null;
  averageOrderValue: number | null;
  clv: number | null;
  redemptionRate: number | null;
  nps: number | null;
  csat: number | null;
  ces: number | null;
  referralConversion: number | null;
  rewardCostPercent: number | null;
  currency: string | null;
  formulas: Partial<Record<KpiKey, string>>;
  series: { bucket: 'day' | 'week' | 'month'; points: SeriesPoint[] };
}

export interface SeriesPoint {
  /** The bucket's first day, YYYY-MM-DD (weeks start on Monday). */
  start: string;
  newMembers: number;
  visits: number;
  spendMinor: number;
  redemptions: number;
}
