// The dashboard's tests' shared answers, as plain data (test/api/browser-fixtures.test.ts holds
// each to the server's schema for the answer it stands for).
import type { Card, CardWriteAnswer, CustomerCard, CustomerSummary, Kpis, Me, Program } from '../../../common/api.ts';

/** A whole program object, as `GET /api/merchant/program` answers it: a 10-stamp café. */
export const cafe: Program = {
  slug: 'cafe-lune',
  name: 'Carte Café Lune',
  type: 'stamps',
  currency: 'EUR',
  stampsRequired: 10,
  reward: { name: 'A free coffee', costMinor: 100 },
  pointsPerUnit: 1,
  rewards: [],
  tiers: [],
  cashbackPercent: 0,
  signupBonus: 0,
  referral: { referrerReward: 1, refereeReward: 1, monthlyCap: 10 },
  design: { backgroundColor: '#3b2f2f', foregroundColor: '#ffffff', labelColor: '#f5d7a1', logoUrl: null },
  allowedOrigins: [],
  locale: 'fr',
  googleReviewUrl: null,
  websiteUrl: null,
  address: null,
  terms: null,
  translations: { en: { rewardName: null, terms: null }, fr: { rewardName: null, terms: null } },
  locations: [],
  timezone: 'Europe/Paris',
  campaigns: {
    birthday: { enabled: false, daysBefore: 0, gift: { kind: 'bonus', amount: 1 }, message: null },
    launchBonus: { enabled: false, amount: 1, from: null, to: null },
    asks: { enabled: false, kind: 'review', skipFirstVisit: true },
    winBack: { enabled: false, days: 60, message: null },
    giving: { enabled: false, cause: '', perStampMinor: 0, percentOfSpend: 0 },
  },
};

/** The same café as a points program with a catalog. */
export const pointsCafe: Program = {
  ...cafe,
  type: 'points',
  rewards: [{ id: 'croissant', name: 'Croissant', points: 20, costMinor: 40 }],
};

/** `GET /api/merchant/me` for the owner and for a staff member of the café. */
export const owner: Me = {
  merchant: { id: 'm1', name: 'Café Lune', email: 'owner@example.com' },
  user: { id: 'u1', email: 'owner@example.com', role: 'owner' },
  role: 'owner',
  via: 'session',
  locationId: null,
};
export const staff: Me = { ...owner, user: { id: 'u2', email: 'staff@example.com', role: 'staff' }, role: 'staff' };

/** The same café with two shops (`program.locations`). */
export const twoShops: Program = {
  ...cafe,
  locations: [
    { id: 'loc-halles', name: 'Les Halles', address: '1 rue des Halles, Paris', latitude: 48.862, longitude: 2.345 },
    { id: 'loc-gare', name: 'Gare de Lyon', address: '12 place Louis-Armand, Paris', latitude: 48.844, longitude: 2.374 },
  ],
};

/** Two shops of the café (`program.locations`), as stored: each with its id. */
export const shops: Program['locations'] = [
  { id: 'bastille', name: 'Bastille', address: '12 rue de la Roquette, Paris', latitude: 48.8534, longitude: 2.3712 },
  { id: 'lyon', name: 'Lyon Croix-Rousse', address: null, latitude: 45.7741, longitude: 4.8318, relevantText: 'Votre café vous attend' },
];

/** `GET /api/merchant/kpis` for 2026-02-09 … 2026-03-10: a café with some history, a few KPIs still without data. */
export function kpis(k: Partial<Kpis> = {}): Kpis {
  return {
    period: { from: '2026-02-09', to: '2026-03-10' },
    members: 1234,
    newMembers: 56,
    activeMembers: 300,
    retentionRate: 42.5,
    purchaseFrequency: 2.35,
    averageOrderValue: 1250,
    clv: 98765,
    redemptionRate: null,
    nps: 40,
    csat: 87.5,
    ces: 3.4,
    referralConversion: null,
    rewardCostPercent: 4.2,
    currency: 'EUR',
    winBack: { sent: 12, returned: 5 },
    giving: { cause: 'the food bank', owedMinor: 31200, currency: 'EUR' },
    formulas: {
      members: 'Members = loyalty cards that exist at the end of the period.',
      nps: 'NPS = % promoters (scores 9–10) − % detractors (scores 0–6) among the NPS answers of the period.',
      redemptionRate: 'Redemption rate = rewards redeemed / rewards earned in the period × 100.',
    },
    series: {
      bucket: 'day',
      points: [
        { start: '2026-03-06', newMembers: 1, visits: 10, spendMinor: 1000, redemptions: 0 },
        { start: '2026-03-07', newMembers: 0, visits: 12, spendMinor: 0, redemptions: 1 },
        { start: '2026-03-08', newMembers: 4, visits: 7, spendMinor: 2550, redemptions: 0 },
        { start: '2026-03-09', newMembers: 2, visits: 0, spendMinor: 0, redemptions: 0 },
        { start: '2026-03-10', newMembers: 3, visits: 21, spendMinor: 400, redemptions: 2 },
      ],
    },
    ...k,
  };
}

/** `POST /api/merchant/cards/:serial/stamps`: `card` after the stamp, no reward earned, no referral bonus. */
export const stamped = (card: Card, more: Partial<CardWriteAnswer> = {}) => ({
  card,
  rewardEarned: false,
  rewardsEarned: 0,
  referralBonus: 0,
  ...more,
});

/** `POST /api/merchant/cards/:serial/purchases`: `card` after the purchase, the same tier, no referral bonus. */
export const purchased = (card: Card, more: Partial<CardWriteAnswer> = {}) => ({ card, tierChanged: false, referralBonus: 0, ...more });

/** `POST /api/merchant/cards/:serial/redemptions`: `card` after redeeming the stamp card's reward. */
export const redeemed = (
  card: Card,
  redemption = { id: '0b5c3e2a-6f1d-4c8e-9a7b-2d4e6f8a0c1e', rewardId: null as string | null, name: 'A free coffee' },
) => ({
  card,
  redeemed: redemption,
});

/** A customer of `GET /api/merchant/customers`, with a 7-stamp card (`card` changed). */
export const customer = (id: string, name: string, email: string, card: Partial<CustomerCard> = {}): CustomerSummary => ({
  id,
  name,
  email,
  phone: null,
  marketingConsent: false,
  createdAt: '2026-01-15T10:00:00.000Z',
  card: {
    serial: 'abcdefghijklmnopqrstuv2345',
    stamps: 7,
    rewardsAvailable: 0,
    points: 0,
    tier: null,
    cashbackBalance: 0,
    spend: 0,
    updatedAt: '2026-02-01T10:00:00.000Z',
    ...card,
  },
});
