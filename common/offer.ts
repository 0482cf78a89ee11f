// A program's offer in words, as a customer reads it on the join page and the poster: "10
// tampons = un café offert", the welcome gift, what an invitation earns. Pure: no DOM.
import { type Locale, localize } from './localize.ts';
import { formatMoney } from './money.ts';

/** What the words need of a program (the program object, or the public view of it). */
export interface OfferProgram {
  type: 'stamps' | 'points' | 'tiers' | 'cashback';
  currency: string;
  stampsRequired?: number;
  reward?: { name: string };
  pointsPerUnit?: number;
  rewards?: readonly { name: string; points: number }[];
  cashbackPercent?: number;
  signupBonus: number;
  referral?: { referrerReward: number; refereeReward: number };
}

const number = (n: number, locale: Locale) => new Intl.NumberFormat(locale).format(n);
const plural = (n: number, one: string, other: string) => (n === 1 ? one : other);
const pluralFr = (n: number, one: string, other: string) => (n < 2 ? one : other);

const words = localize({
  stamps: [(n: string, reward: string) => `${n} stamps = ${reward}`, (n: string, reward: string) => `${n} tampons = ${reward}`],
  points: [
    (perUnit: string, currency: string, first: string | null) =>
      `${perUnit} point${perUnit === '1' ? '' : 's'} per ${currency} spent${first ? `; ${first}` : ''}`,
    (perUnit: string, currency: string, first: string | null) =>
      `${perUnit} point${perUnit === '1' ? '' : 's'} par ${currency} dépensé${first ? ` ; ${first}` : ''}`,
  ],
  firstReward: [
    (points: string, name: string) => `${points} points = ${name}`,
    (points: string, name: string) => `${points} points = ${name}`,
  ],
  cashback: [
    (percent: string) => `${percent}% of every purchase back on your balance`,
    (percent: string) => `${percent} % de chaque achat sur votre cagnotte`,
  ],
  bonus: [(gift: string) => `${gift} when you join`, (gift: string) => `${gift} à l’inscription`],
  stampUnit: [(n: number) => plural(n, 'stamp', 'stamps'), (n: number) => pluralFr(n, 'tampon', 'tampons')],
  pointUnit: [(n: number) => plural(n, 'point', 'points'), (n: number) => pluralFr(n, 'point', 'points')],
});

/** An amount of the program's unit: "2 tampons", "50 points", "5,00 €". */
export function unitAmount(p: Pick<OfferProgram, 'type' | 'currency'>, n: number, locale: Locale): string {
  const w = words(locale);
  if (p.type === 'stamps') return `${number(n, locale)} ${w.stampUnit(n)}`;
  if (p.type === 'cashback') return formatMoney(n, p.currency, locale);
  return `${number(n, locale)} ${w.pointUnit(n)}`;
}

/** The rule in one line: "10 tampons = un café offert", "1 point par EUR dépensé ; 100 points = …". */
export function offerLine(p: OfferProgram, locale: Locale): string {
  const w = words(locale);
  switch (p.type) {
    case 'stamps':
      return w.stamps(number(p.stampsRequired ?? 10, locale), p.reward?.name ?? '');
    case 'points':
    case 'tiers': {
      const first = [...(p.rewards ?? [])].sort((a, b) => a.points - b.points)[0];
      return w.points(
        number(p.pointsPerUnit ?? 1, locale),
        p.currency,
        first ? w.firstReward(number(first.points, locale), first.name) : null,
      );
    }
    case 'cashback':
      return w.cashback(number(p.cashbackPercent ?? 0, locale));
  }
}

/** The welcome gift in words ("+1 tampon à l’inscription"), or null without one. */
export function bonusLine(p: OfferProgram, locale: Locale): string | null {
  return p.signupBonus > 0 ? words(locale).bonus(`+${unitAmount(p, p.signupBonus, locale)}`) : null;
}
