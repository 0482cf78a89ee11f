// The answers the widget's tests serve most (a program, a card), as plain data: the browser tests
// serve them through fetch.ts, and test/api/browser-fixtures.test.ts holds them to the server's
// schemas in Node.
import type { Card } from '../../../common/api.ts';

/** The API's origin in the widget's tests. */
export const API = 'http://api.test';

/** `GET /api/public/programs/cafe-lune`. */
export const program = {
  merchant: {
    name: 'Café Lune',
    slug: 'cafe-lune',
    logoUrl: null,
    colors: { background: '#3b2f2f', foreground: '#ffffff', label: '#f3d9b1', text: '#ffffff' },
    locale: 'fr',
  },
  program: {
    type: 'stamps',
    name: 'Carte Café Lune',
    currency: 'EUR',
    signupBonus: 1,
    launchBonus: null,
    stampsRequired: 10,
    reward: { name: 'Un café offert' },
  },
  features: { reviews: true, referrals: true, surveys: true },
  googleReviewUrl: 'https://g.page/r/cafe-lune/review',
};

/** `GET /api/public/cards/:serial` (and a signup's 201): a 10-stamp card with 3 stamps, `card` changed. */
export function cardAnswer(card: Record<string, unknown> = {}, wallets = { apple: true, google: true }) {
  const serial = (card.serial as string) ?? 'c_test123';
  return {
    card: {
      serial,
      programType: 'stamps' as Card['programType'],
      stamps: 3,
      stampsRequired: 10,
      rewardsAvailable: 0,
      points: null,
      tier: null,
      cashbackBalance: null,
      customerName: 'Camille Martin',
      updatedAt: '2026-01-01T00:00:00.000Z',
      ...card,
    },
    wallets,
    ask: null,
    links: {
      card: `${API}/api/public/cards/${serial}`,
      page: `${API}/c/${serial}`,
      applePass: `${API}/passes/apple/${serial}.pkpass`,
      googleSave: `${API}/passes/google/${serial}`,
      qr: `data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>')}`,
    },
  };
}
