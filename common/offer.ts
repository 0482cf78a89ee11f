// A program's offer in words, as customers read it on the poster and the join page: "10 tampons
// = un café offert", the welcome gift, what an invitation earns. Pure: plain data in, strings out.
import { type Locale, localize } from './localize.ts';
import { formatMoney } from './money.ts';

/** The program's rule, as plain data: what a customer gets for what. */
export type Offer =
  | { kind: 'stamps'; required: number; reward: string }
  | { kind: 'points'; perUnit: number; currency: string; reward: { name: string; points: number } | null }
  | { kind: 'tiers'; perUnit: number; currency: string; reward: { name: string; points: number } | null; tiers: readonly string[] }
  | { kind: 'cashback'; percent: number };

/** The signup bonus in the program's unit: stamps, points, or cashback in minor units of `currency`. */
export interface Bonus {
  unit: 'stamps' | 'points' | 'cashback';
  amount: number;
  currency: string;
}

/** What the words need of a program (the program object). */
export interface OfferProgram {
  type: 'stamps' | 'points' | 'tiers' | 'cashback';
  currency: string;
  stampsRequired: number;
  reward: { name: string };
  pointsPerUnit: number;
  rewards: readonly { name: string; points: number }[];
  tiers: readonly { name: string }[];
  cashbackPercent: number;
  signupBonus: number;
}

/** The program's rule as plain data. */
export function offerOf(p: OfferProgram): Offer {
  const cheapest = [...p.rewards].sort((a, b) => a.points - b.points)[0];
  const reward = cheapest ? { name: cheapest.name, points: cheapest.points } : null;
  switch (p.type) {
    case 'stamps':
      return { kind: 'stamps', required: p.stampsRequired, reward: p.reward.name };
    case 'points':
      return { kind: 'points', perUnit: p.pointsPerUnit, currency: p.currency, reward };
    case 'tiers':
      return { kind: 'tiers', perUnit: p.pointsPerUnit, currency: p.currency, reward, tiers: p.tiers.map((t) => t.name) };
    case 'cashback':
      return { kind: 'cashback', percent: p.cashbackPercent };
  }
}

/** An amount in the program's unit (stamps, points, or cashback in minor units). */
export function unitOf(p: Pick<OfferProgram, 'type' | 'currency'>, amount: number): Bonus {
  const unit = p.type === 'stamps' ? 'stamps' : p.type === 'cashback' ? 'cashback' : 'points';
  return { unit, amount, currency: p.currency };
}

// Tables marked pure, each with what its functions need: a bundle that takes only `amountText`
// (the widget, through `launchSentence`) leaves the rest out.
const amounts = /* @__PURE__ */ localize({
  stampsAmount: [(n: number) => `${n} ${n === 1 ? 'stamp' : 'stamps'}`, (n: number) => `${n} ${n < 2 ? 'tampon' : 'tampons'}`],
  pointsAmount: [
    (n: string, one: boolean) => `${n} ${one ? 'point' : 'points'}`,
    (n: string, one: boolean) => `${n} ${one ? 'point' : 'points'}`,
  ],
});

const strings = /* @__PURE__ */ localize({
  stamps: [
    (n: number, reward: string) => `Collect ${n} ${n === 1 ? 'stamp' : 'stamps'}: ${reward}`,
    (n: number, reward: string) => `${n} ${n < 2 ? 'tampon' : 'tampons'} = ${reward}`,
  ],
  earn: [
    (points: string, one: boolean, unit: string) => `${points} ${one ? 'point' : 'points'} for every ${unit} you spend`,
    (points: string, one: boolean, unit: string) => `${points} ${one ? 'point' : 'points'} par ${unit} dépensé`,
  ],
  then: [
    (points: string, reward: string) => `${points} points: ${reward}`,
    (points: string, reward: string) => `${points} points = ${reward}`,
  ],
  tiers: [(names: string) => `levels: ${names}`, (names: string) => `niveaux : ${names}`],
  cashback: [
    (percent: string) => `${percent} of every purchase back on your card`,
    (percent: string) => `${percent} de chaque achat reviennent sur votre carte`,
  ],
  bonusStamps: [
    (n: number) => `+ ${n} free ${n === 1 ? 'stamp' : 'stamps'} when you join`,
    (n: number) => `+ ${n} ${n < 2 ? 'tampon offert' : 'tampons offerts'} à l’inscription`,
  ],
  bonusPoints: [
    (n: string, one: boolean) => `+ ${n} bonus ${one ? 'point' : 'points'} when you join`,
    (n: string, one: boolean) => `+ ${n} ${one ? 'point offert' : 'points offerts'} à l’inscription`,
  ],
  bonusMoney: [(amount: string) => `+ ${amount} on your card when you join`, (amount: string) => `+ ${amount} offerts à l’inscription`],
});

/**
 * "Un café offert" → "un café offert" after "10 tampons = "; a first word with capitals of its own
 * ("IKEA bag", "iPhone case") is left as it is.
 */
function lowerFirst(text: string): string {
  const first = text.split(' ')[0] ?? '';
  const rest = Array.from(first).slice(1).join('');
  return rest === rest.toLowerCase() ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

const number = (n: number, locale: Locale) => new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(n);

/** One unit of the currency, as spent: "€1" / "1 €" (no decimals). */
function oneUnit(currency: string, locale: Locale): string {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 0, minimumFractionDigits: 0 }).format(1);
  } catch {
    return `1 ${currency}`;
  }
}

/** Is this count of points singular? English: exactly 1; French: below 2 ("1,5 point"). */
const singular = (n: number, locale: Locale) => (locale === 'fr' ? Math.abs(n) < 2 : n === 1);

/** The offer in one sentence ("10 tampons = un café offert", "Collect 10 stamps: a free coffee"). */
export function offerSentence(offer: Offer, locale: Locale): string {
  const s = strings(locale);
  switch (offer.kind) {
    case 'stamps':
      return s.stamps(offer.required, lowerFirst(offer.reward));
    case 'points':
    case 'tiers': {
      const earn = s.earn(number(offer.perUnit, locale), singular(offer.perUnit, locale), oneUnit(offer.currency, locale));
      const parts = [earn];
      if (offer.reward) parts.push(s.then(number(offer.reward.points, locale), lowerFirst(offer.reward.name)));
      if (offer.kind === 'tiers' && offer.tiers.length) parts.push(s.tiers(offer.tiers.join(', ')));
      return parts.join(' · ');
    }
    case 'cashback':
      return s.cashback(new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(offer.percent / 100));
  }
}

/** The signup bonus in words, or null when there is none. */
export function bonusSentence(bonus: Bonus, locale: Locale): string | null {
  if (!(bonus.amount > 0)) return null;
  const s = strings(locale);
  switch (bonus.unit) {
    case 'stamps':
      return s.bonusStamps(bonus.amount);
    case 'points':
      return s.bonusPoints(number(bonus.amount, locale), singular(bonus.amount, locale));
    case 'cashback':
      return s.bonusMoney(formatMoney(bonus.amount, bonus.currency, locale));
  }
}

/** An amount in words: "2 tampons", "50 points", "5,00 €" (what an invitation earns). */
export function amountText(a: Bonus, locale: Locale): string {
  const s = amounts(locale);
  if (a.unit === 'stamps') return s.stampsAmount(a.amount);
  if (a.unit === 'cashback') return formatMoney(a.amount, a.currency, locale);
  return s.pointsAmount(number(a.amount, locale), singular(a.amount, locale));
}
