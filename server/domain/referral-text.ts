// What an invitation brings, in words, for the public API: the line a friend reads above the
// widget's join form ("Camille vous invite : …") and the sentence above a member's link. True to
// the rules: the friend's signup bonus comes on joining (everyone's); the referral rewards, the
// friend's and the member's, on the friend's first visit (their first stamp or purchase, see
// `payReferralIfDue`). Pure: the program in, strings out; English then French.
import { amountText, unitOf } from '../../common/offer.ts';
import { type Locale, LOCALES, localize } from '../../common/localize.ts';
import type { Program } from './program.ts';

const words = localize({
  invites: [
    (name: string, gains: string[]) => (gains.length ? `${name} invites you: you get ${gains.join(' and ')}.` : `${name} invites you.`),
    (name: string, gains: string[]) =>
      gains.length ? `${name} vous invite : vous recevez ${gains.join(' et ')}.` : `${name} vous invite.`,
  ],
  whenYouJoin: [(amount: string) => `${amount} when you join`, (amount: string) => `${amount} à l’inscription`],
  onYourFirstVisit: [(amount: string) => `${amount} on your first visit`, (amount: string) => `${amount} à votre première visite`],

  friendGets: [
    (gains: string[]) => `Your friend gets ${gains.join(' and ')}`,
    (gains: string[]) => `Votre ami reçoit ${gains.join(' et ')}`,
  ],
  whenTheyJoin: [(amount: string) => `${amount} when they join`, (amount: string) => `${amount} à l’inscription`],
  onTheirFirstVisit: [(amount: string) => `${amount} on their first visit`, (amount: string) => `${amount} à sa première visite`],
  youGet: [
    (amount: string, friendToo: boolean) =>
      friendToo ? `you get ${amount} on their first visit` : `You get ${amount} on your friend’s first visit`,
    (amount: string, friendToo: boolean) =>
      friendToo ? `vous recevez ${amount} à sa première visite` : `Vous recevez ${amount} à la première visite de votre ami`,
  ],
  then: ['; ', ' ; '],
});

type Rules = Pick<Program, 'type' | 'currency' | 'signupBonus' | 'referral'>;

/** An amount of the program's unit in words ("2 tampons", "50 points", "5,00 €"); undefined for none. */
const amount = (p: Rules, n: number, locale: Locale) => (n > 0 ? amountText(unitOf(p, n), locale) : undefined);

/**
 * The invitation a friend reads when they open a member's link, in each language: who invites
 * (`firstName`: the member's first name only) and what joining brings them — "Camille vous
 * invite : vous recevez 1 tampon à l’inscription et 2 tampons à votre première visite."
 */
export function invitationText(p: Rules, firstName: string): Record<Locale, string> {
  const text = (locale: Locale) => {
    const w = words(locale);
    const signup = amount(p, p.signupBonus, locale);
    const visit = amount(p, p.referral.refereeReward, locale);
    const gains = [signup && w.whenYouJoin(signup), visit && w.onYourFirstVisit(visit)].filter((g) => g !== undefined);
    return w.invites(firstName, gains);
  };
  return Object.fromEntries(LOCALES.map((locale) => [locale, text(locale)])) as Record<Locale, string>;
}

/**
 * What inviting a friend earns, for the member who invites, in `locale`: "Votre ami reçoit 1 tampon
 * à l’inscription ; vous recevez 2 tampons à sa première visite." Null when nobody earns anything.
 * (The referrer's monthly cap is left unsaid.)
 */
export function referralText(p: Rules, locale: Locale): string | null {
  const w = words(locale);
  const signup = amount(p, p.signupBonus, locale);
  const visit = amount(p, p.referral.refereeReward, locale);
  const member = amount(p, p.referral.referrerReward, locale);
  const gains = [signup && w.whenTheyJoin(signup), visit && w.onTheirFirstVisit(visit)].filter((g) => g !== undefined);
  const parts = [gains.length ? w.friendGets(gains) : undefined, member && w.youGet(member, gains.length > 0)].filter(
    (s) => s !== undefined,
  );
  return parts.length ? `${parts.join(w.then)}.` : null;
}
