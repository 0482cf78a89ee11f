// The demo café, plugged into the server by `server/main.ts` (DEMO=1, on in development): it is
// made through the services, like any merchant, and nothing in the server imports it.
import { defaultProgram } from '../server/domain/program.ts';
import { signUpMerchant } from '../server/services/accounts.ts';
import { stampCard } from '../server/services/card-writes.ts';
import type { Deps } from '../server/services/deps.ts';
import { joinProgram } from '../server/services/join.ts';
import { programBySlug, programOrigins, saveProgram } from '../server/services/programs.ts';

export const DEMO = {
  slug: 'cafe-lune',
  businessName: 'Café Lune',
  email: 'demo@fidelio.test',
  password: 'demo-password',
} as const;

const MEMBERS = [
  { name: 'Camille Martin', email: 'camille@example.com', stamps: 7 },
  { name: 'Hugo Bernard', email: 'hugo@example.com', stamps: 3 },
  { name: 'Léa Dubois', email: 'lea@example.com', stamps: 12 },
];

/**
 * The demo merchant "Café Lune" (program slug `cafe-lune`) with three members, created once.
 * Returns false when it was already there.
 */
export async function seedDemo(deps: Deps): Promise<boolean> {
  if (await programOrigins(deps, DEMO.slug)) return false;
  const { merchant, userId } = await signUpMerchant(deps, { businessName: DEMO.businessName, email: DEMO.email, password: DEMO.password });
  const { slug: _, ...program } = defaultProgram(DEMO.slug, DEMO.businessName);
  await saveProgram(deps, merchant.id, {
    ...program,
    name: 'Carte Café Lune',
    locale: 'fr',
    reward: { name: 'Un café offert', costMinor: 60 },
    signupBonus: 1,
    referral: { ...program.referral, referrerReward: 2, refereeReward: 1 },
    // The café's own site is the demo page: invitations lead there.
    websiteUrl: `${deps.config.publicUrl}/demo/`,
    // The demo stands in for the merchant's own "review us on Google" link.
    googleReviewUrl: 'https://www.google.com/search?q=Caf%C3%A9+Lune+Paris+avis',
  });
  const row = await programBySlug(deps, DEMO.slug);
  for (const m of MEMBERS) {
    const { serial } = await joinProgram(deps, row, { name: m.name, email: m.email, marketingConsent: false });
    await stampCard(deps, { merchantId: merchant.id, serial, actor: `user:${userId}` }, { count: m.stamps });
  }
  return true;
}
