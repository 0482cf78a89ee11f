import type { Me, Program } from '../../../common/api.ts';

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
