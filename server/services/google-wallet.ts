// Google Wallet as the API offers it: a card's "Add to Google Wallet" link and the pictures the
// passes show.
import { getGoogleCard } from '../db/queries/google.ts';
import { getProgramByMerchant } from '../db/queries/programs.ts';
import { AppError, notFound } from '../errors.ts';
import type { GoogleWallet } from '../wallets/google/wallet.ts';
import type { Deps } from './deps.ts';
import { isUuid, SERIAL_PATTERN } from './tokens.ts';

/** The wallet, or `unavailable` when this server has no service account. */
function googleWallet(deps: Pick<Deps, 'google'>): GoogleWallet {
  if (!deps.google) throw new AppError('unavailable', 'Google Wallet is not set up on this server (no service account).');
  return deps.google;
}

/** The "Add to Google Wallet" URL of a card, signed afresh (not found for an unknown serial). */
export async function googleSaveUrl(deps: Pick<Deps, 'db' | 'google'>, serial: string): Promise<string> {
  const google = googleWallet(deps);
  const card = SERIAL_PATTERN.test(serial) ? await getGoogleCard(deps.db, serial) : undefined;
  if (!card) throw notFound('No card with this serial.');
  return google.saveUrl(deps.db, card);
}

/**
 * A hero or logo picture (`<design key>-<state>.png`) of a merchant's current design; not found
 * for any other design or name.
 */
export async function googleImage(deps: Pick<Deps, 'db' | 'google'>, merchantId: string, file: string): Promise<Buffer> {
  const google = googleWallet(deps);
  const row = isUuid(merchantId) ? await getProgramByMerchant(deps.db, merchantId) : undefined;
  const png = row && (await google.image(row.program.design, file));
  if (!png) throw notFound('No such image.');
  return png;
}
