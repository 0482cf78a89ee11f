// What a loyalty card's pass shows, in plain values, whichever wallet draws it: the server maps
// its rows to a `PassContent`; `apple/pass.ts` builds the .pkpass from it and
// `google/objects.ts` the Google Wallet class and object.
import type { Locale } from '../common/localize.ts';
import { currencyDigits } from '../common/money.ts';
import type { PassDesign, StripState } from './images.ts';

/** The languages a pass is written in: fidelio's (common/localize.ts). */
export type PassLanguage = Locale;

export type PassBalance =
  | { kind: 'stamps'; stamps: number; required: number; rewardsAvailable: number; rewardName: string }
  | { kind: 'points'; points: number; tier: string | null; nextReward: { name: string; points: number } | null }
  /** `minor`: integer minor units of `currency` (1234 KWD minor units = 1.234 KWD: its own digits, not always 2). */
  | { kind: 'cashback'; minor: number; currency: string };

/** What a card's pass shows, in plain values: the server maps its rows to this. */
export interface PassContent {
  serial: string;
  /** The card's own ApplePass token (≥ 16 characters); never changes for a serial. */
  authToken: string;
  /** The merchant's business name: organizationName and the text beside the logo. */
  organizationName: string;
  /** The program's name (VoiceOver reads it; the lock screen shows it). */
  description: string;
  design: PassDesign;
  /** The merchant's uploaded logo (a PNG and its SHA-256), drawn instead of the default mark. */
  logo?: { png: Buffer; sha256: string } | null;
  balance: PassBalance;
  memberName: string;
  /** The member's language (the back of the pass, Google's texts). */
  language: PassLanguage;
  /** The merchant's broadcast message: its own field, so its change alone reaches the lock screen. */
  message: string | null;
  referralUrl: string | null;
  /** An after-visit ask open now: the card page's ask, linked from the back of the pass. */
  askUrl?: string | null;
  /** Giving back, in words, when the program gives ("Ensemble nous avons donné 312 € à …"). */
  giving?: string | null;
  /** In the member's language (the labels come from pass.strings, in French and English). */
  terms: string;
  address: string | null;
  websiteUrl: string | null;
  locations: readonly PassLocation[];
}

/** The strip (Apple) and hero (Google) picture for a balance. */
export function stripState(b: PassBalance): StripState {
  switch (b.kind) {
    case 'stamps':
      return { kind: 'stamps', stamps: b.stamps, required: b.required, rewardsAvailable: b.rewardsAvailable };
    case 'points':
      return b.nextReward ? { kind: 'progress', fraction: Math.min(1, b.points / b.nextReward.points) } : { kind: 'plain' };
    case 'cashback':
      return { kind: 'plain' };
  }
}

/** A cashback balance in units of its currency (what Apple's `currencyCode` field shows): 1234 KWD minor → 1.234. */
export const cashbackAmount = (b: Extract<PassBalance, { kind: 'cashback' }>): number => b.minor / 10 ** currencyDigits(b.currency);

/**
 * A cashback balance in micros (millionths of a unit, Google's `Money.micros`), as the int64
 * string Google takes: integer arithmetic from the minor units, so no digit is lost to a float
 * or to assuming two decimals (1234 KWD minor → "1234000", 1234 JPY → "1234000000").
 */
export function cashbackMicros(b: Extract<PassBalance, { kind: 'cashback' }>): string {
  // No currency has more than 4 digits (CLF, UYW), so 6 - digits ≥ 2.
  return (BigInt(b.minor) * 10n ** BigInt(6 - currencyDigits(b.currency))).toString();
}

/** Where a pass comes up on the lock screen: a shop's coordinates and its text, nothing else of it. */
export interface PassLocation {
  latitude: number;
  longitude: number;
  relevantText?: string;
}

/** The shops as a pass carries them (Apple's `locations` keys only; a shop's id, name and address stay ours). */
export const passLocations = (shops: readonly PassLocation[]): PassLocation[] =>
  shops.map(({ latitude, longitude, relevantText }) => (relevantText ? { latitude, longitude, relevantText } : { latitude, longitude }));
