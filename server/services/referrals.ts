import type { Locale } from '../../common/localize.ts';
import { getCardBySerial } from '../db/queries/cards.ts';
import { getReferralStats, type ReferralStats } from '../db/queries/referrals.ts';
import { referralUrl } from '../domain/links.ts';
import type { Program } from '../domain/program.ts';
import { referralText } from '../domain/referral-text.ts';
import { notFound } from '../errors.ts';
import type { Deps } from './deps.ts';
import { SERIAL_PATTERN } from './tokens.ts';

export interface ReferralView extends ReferralStats {
  code: string;
  /** The page a friend opens, with `?ref=CODE`. */
  url: string;
  /** What the friend and the member earn, in a sentence in the asked language; null: nothing. */
  offer: string | null;
}

/** A card's referral code, its link, how the invitations went, and what they earn in `language`. */
export async function getReferral(
  { db, config }: Pick<Deps, 'db' | 'config'>,
  serial: string,
  language: Locale,
): Promise<{ referral: ReferralView; program: Program }> {
  const card = SERIAL_PATTERN.test(serial) ? await getCardBySerial(db, serial) : undefined;
  if (!card) throw notFound('No card with this serial.');
  const stats = await getReferralStats(db, card.id);
  return {
    referral: {
      code: card.referral_code,
      url: referralUrl(config, card.program, card.referral_code),
      ...stats,
      offer: referralText(card.program, language),
    },
    program: card.program,
  };
}
