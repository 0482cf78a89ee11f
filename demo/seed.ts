import type { Db } from '../server/db/index.ts';
import { getProgramBySlug } from '../server/db/queries/programs.ts';
import { defaultProgram } from '../server/domain/program.ts';
import { joinProgram, stampCard } from '../server/services/cards.ts';
import { saveProgram, signUpMerchant } from '../server/services/merchants.ts';

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
export async function seedDemo(db: Db): Promise<boolean> {
  if (await getProgramBySlug(db, DEMO.slug)) return false;
  const { merchant, userId } = await signUpMerchant(db, { businessName: DEMO.businessName, email: DEMO.email, password: DEMO.password });
  const { slug: _, ...program } = defaultProgram(DEMO.slug, DEMO.businessName);
  await saveProgram(db, merchant.id, {
    ...program,
    name: 'Carte Café Lune',
    locale: 'fr',
    reward: { name: 'Un café offert', costMinor: 60 },
    signupBonus: 1,
    referral: { referrerReward: 2, refereeReward: 1 },
    // The demo stands in for the merchant's own "review us on Google" link.
    googleReviewUrl: 'https://www.google.com/search?q=Caf%C3%A9+Lune+Paris+avis',
  });
  const row = (await getProgramBySlug(db, DEMO.slug))!;
  for (const m of MEMBERS) {
    const { serial } = await joinProgram(db, row, { name: m.name, email: m.email, marketingConsent: false });
    await db.transaction((tx) => stampCard(tx, { merchantId: merchant.id, serial, actor: `user:${userId}` }, { count: m.stamps }));
  }
  return true;
}
