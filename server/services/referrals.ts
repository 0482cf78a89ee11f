import type { Config } from '../config.ts';
import type { Db } from '../db/index.ts';
import { getCardBySerial } from '../db/queries/cards.ts';
import { getReferralStats, type ReferralStats } from '../db/queries/referrals.ts';
import type { Program } from '../domain/program.ts';
import { notFound } from '../errors.ts';
import { SERIAL_PATTERN } from './tokens.ts';

export interface ReferralView extends ReferralStats {
  code: string;
  /** The page a friend opens, with `?ref=CODE`. */
  url: string;
}

/**
 * Where a referral link sends the friend: the merchant's site, else the first site allowed
 * to show the widget, else this server (its demo café in development).
 */
export function referralUrl(config: Config, program: Program, code: string): string {
  const base =
    program.websiteUrl ?? program.allowedOrigins[0] ?? (config.env === 'development' ? `${config.publicUrl}/demo/` : config.publicUrl);
  const url = new URL(base);
  url.searchParams.set('ref', code);
  return url.toString();
}

/** A card's referral code, its link, and how the invitations went. */
export async function getReferral(db: Db, config: Config, serial: string): Promise<{ referral: ReferralView; program: Program }> {
  const card = SERIAL_PATTERN.test(serial) ? await getCardBySerial(db, serial) : undefined;
  if (!card) throw notFound('No card with this serial.');
  const stats = await getReferralStats(db, card.id);
  return {
    referral: { code: card.referral_code, url: referralUrl(config, card.program, card.referral_code), ...stats },
    program: card.program,
  };
}
