// What the plays say to a member — on the pass's lock screen, in an e-mail, on the card page — in
// one place, so the dashboard's preview shows the very words the server sends. Pure: plain data in,
// strings out (the server, the dashboard and the widget may all import it).
import { type Locale, localize } from './localize.ts';
import { formatMoney } from './money.ts';
import { amountText, type Bonus } from './offer.ts';

/** A campaign's gift in plain data: an amount in the program's unit, or a named reward. */
export type GiftWords = { kind: 'bonus'; amount: Bonus } | { kind: 'reward'; name: string };

const strings = /* @__PURE__ */ localize({
  birthday: [
    (name: string, gift: string) => `Happy birthday, ${name}! ${gift}`,
    (name: string, gift: string) => `Joyeux anniversaire, ${name} ! ${gift}`,
  ],
  birthdayBonus: [
    (amount: string) => `${amount} added to your card.`,
    (amount: string, one: boolean) => `${amount} ${one ? 'offert' : 'offerts'} sur votre carte.`,
  ],
  birthdayReward: [
    (reward: string) => `${reward} for you: show your card at the counter.`,
    (reward: string) => `${reward} pour vous : montrez votre carte au comptoir.`,
  ],
  birthdaySubject: [(shop: string) => `Happy birthday from ${shop}`, (shop: string) => `${shop} vous souhaite un joyeux anniversaire`],
  winBack: [
    (name: string, shop: string) => `We miss you, ${name}! Your card is waiting at ${shop}.`,
    (name: string, shop: string) => `Vous nous manquez, ${name} ! Votre carte vous attend chez ${shop}.`,
  ],
  winBackSubject: [(shop: string) => `${shop} misses you`, (shop: string) => `${shop} : vous nous manquez`],
  askReview: [
    (name: string, shop: string) => `Thank you for your visit, ${name}! Would you say a word about ${shop}? It takes a minute:`,
    (name: string, shop: string) => `Merci de votre visite, ${name} ! Un mot sur ${shop} ? Une minute suffit :`,
  ],
  askSurvey: [
    (name: string) => `Thank you for your visit, ${name}! One question, just one:`,
    (name: string) => `Merci de votre visite, ${name} ! Une question, une seule :`,
  ],
  askSubject: [(shop: string) => `How was your visit to ${shop}?`, (shop: string) => `Comment s’est passée votre visite chez ${shop} ?`],
  giving: [
    (amount: string, cause: string) => `Together we have given ${amount} to ${cause}`,
    (amount: string, cause: string) => `Ensemble nous avons donné ${amount} à ${cause}`,
  ],
});

/** Is a gift singular in French ("1 tampon offert", "1,50 € offert")? Below two of its unit. */
const isOne = (a: Bonus) => a.amount < (a.unit === 'cashback' ? 200 : 2);

// Apart, so that a bundle taking only `launchSentence` (the widget) leaves the table above out.
const launch = /* @__PURE__ */ localize({
  launch: [
    (amount: string, end: string) => `Launch offer: ${amount} extra when you join by ${end}`,
    (amount: string, end: string) => `Offre de lancement : ${amount} en plus pour toute inscription jusqu’au ${end}`,
  ],
});

/** `{name}` in the owner's own words is the member's first name. */
const fill = (text: string, name: string) => text.replaceAll('{name}', name);

/** The first word of a member's name ("Camille Martin" → "Camille"). */
export const firstName = (name: string) => name.trim().split(/\s+/)[0] ?? name;

/** The birthday message on the pass and in the mail: the owner's words, or ours with the gift. */
export function birthdayMessage(locale: Locale, m: { name: string; gift: GiftWords; message: string | null }): string {
  const s = strings(locale);
  const name = firstName(m.name);
  if (m.message) return fill(m.message, name);
  const gift =
    m.gift.kind === 'bonus' ? s.birthdayBonus(amountText(m.gift.amount, locale), isOne(m.gift.amount)) : s.birthdayReward(m.gift.name);
  return s.birthday(name, gift);
}

/** The win-back message on the pass and in the mail. */
export function winBackMessage(locale: Locale, m: { name: string; shop: string; message: string | null }): string {
  const name = firstName(m.name);
  return m.message ? fill(m.message, name) : strings(locale).winBack(name, m.shop);
}

/** The subject of a campaign's e-mail. */
export function campaignSubject(locale: Locale, kind: 'birthday' | 'win_back', shop: string): string {
  const s = strings(locale);
  return kind === 'birthday' ? s.birthdaySubject(shop) : s.winBackSubject(shop);
}

/** The after-visit ask by mail: its subject, and the line before the link to the card page. */
export function askMail(locale: Locale, m: { name: string; shop: string; kind: 'review' | 'nps' | 'csat' | 'ces' }) {
  const s = strings(locale);
  const name = firstName(m.name);
  return { subject: s.askSubject(m.shop), text: m.kind === 'review' ? s.askReview(name, m.shop) : s.askSurvey(name) };
}

/** The launch-week offer while it runs: "Offre de lancement : 2 tampons en plus pour toute inscription jusqu’au 10 mars". */
export function launchSentence(locale: Locale, m: { amount: Bonus; endsAt: string; timeZone?: string }): string {
  // The last day it runs, in the shop's time zone: an end at midnight is the day before's evening.
  const end = new Date(Date.parse(m.endsAt) - 1);
  const day = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', timeZone: m.timeZone }).format(end);
  return launch(locale).launch(amountText(m.amount, locale), day);
}

/** "Ensemble nous avons donné 312,00 € à la Banque alimentaire". */
export function givingSentence(locale: Locale, m: { amountMinor: number; currency: string; cause: string }): string {
  return strings(locale).giving(formatMoney(m.amountMinor, m.currency, locale), m.cause);
}
