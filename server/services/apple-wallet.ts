// Apple Wallet as the API offers it: a card's pass, and Apple's PassKit web service (devices
// register for a pass's updates, ask which passes changed, fetch the latest one, send logs).
import {
  deleteRegistration,
  getPassAuth,
  getPassCard,
  type PassAuthRow,
  serialsForDevice,
  trimRegistrations,
  upsertRegistration,
} from '../db/queries/apple.ts';
import { AppError, notFound } from '../errors.ts';
import type { AppleWallet, SignedPass } from '../wallets/apple/wallet.ts';
import { markPassFetched } from '../db/queries/deliveries.ts';
import type { Deps } from './deps.ts';
import { safeEqual, SERIAL_PATTERN } from './tokens.ts';

/** The wallet, or `unavailable` when this server has no Pass Type ID certificate. */
export function appleWallet(deps: Pick<Deps, 'apple'>): AppleWallet {
  if (!deps.apple) throw new AppError('unavailable', 'Apple Wallet passes are not set up on this server (no Pass Type ID certificate).');
  return deps.apple;
}

/** The signed pass of a card (any merchant's: the serial is the secret); not found when unknown. */
/** The phone asked for the pass with its token (after a push): the card's delivery log says so. */
export const passFetched = ({ db }: Pick<Deps, 'db'>, serial: string): Promise<void> => markPassFetched(db, serial);

export async function applePass(deps: Pick<Deps, 'db' | 'apple'>, serial: string): Promise<SignedPass> {
  const apple = appleWallet(deps);
  const card = SERIAL_PATTERN.test(serial) ? await getPassCard(deps.db, serial) : undefined;
  if (!card) throw notFound('No card with this serial.');
  return apple.pass(deps.db, card);
}

/**
 * The card behind a PassKit web-service call, if `authorization` is its `ApplePass <token>`.
 * Anything else — no header, another scheme, another pass's token, an unknown serial — is
 * the same `unauthorized`, compared in constant time, so the answer tells nothing.
 */
export async function authorizePass({ db }: Pick<Deps, 'db'>, serial: string, authorization: string | undefined): Promise<PassAuthRow> {
  const match = /^ApplePass (\S{16,200})$/.exec(authorization ?? '');
  const card = SERIAL_PATTERN.test(serial) ? await getPassAuth(db, serial) : undefined;
  // Compare even when there is no card, so an unknown serial costs the same time.
  const ok = safeEqual(match?.[1] ?? '', card?.auth_token ?? 'no card: never equal to a token');
  if (!card || !match || !ok) throw new AppError('unauthorized', 'Unauthorized.');
  return card;
}

/**
 * Devices one card's updates go to at most. Each change of the card queues a push per device, and
 * the web service takes anyone with the pass (its token) registering any device id: without a cap
 * a shared or leaked pass could make one stamp cost thousands of pushes.
 */
export const MAX_DEVICES_PER_CARD = 10;

/**
 * Registers a device for an authorized card's updates: true when the registration is new. The
 * device's other registrations take the new push token too. A card keeps its
 * MAX_DEVICES_PER_CARD most recent registrations: an 11th drops the one registered (or renewed)
 * longest ago.
 */
export const registerDevice = ({ db }: Pick<Deps, 'db'>, card: PassAuthRow, deviceId: string, pushToken: string): Promise<boolean> =>
  db.transaction(async (tx) => {
    const created = await upsertRegistration(tx, { deviceId, cardId: card.id, pushToken });
    if (created) await trimRegistrations(tx, card.id, deviceId, MAX_DEVICES_PER_CARD);
    return created;
  });

/** Unregisters a device from an authorized card (also when it was not registered). */
export async function unregisterDevice({ db }: Pick<Deps, 'db'>, card: PassAuthRow, deviceId: string): Promise<void> {
  await deleteRegistration(db, deviceId, card.id);
}

/**
 * The serials of a device's passes changed since `since` (a tag this server gave out) and the
 * newest tag; null when none changed (or the device is unknown).
 */
export async function updatedSerials(
  { db }: Pick<Deps, 'db'>,
  deviceId: string,
  since: string | null,
): Promise<{ serialNumbers: string[]; lastUpdated: string } | null> {
  const rows = await serialsForDevice(db, deviceId, since);
  if (rows.length === 0) return null;
  const lastUpdated = rows.reduce((max, r) => (BigInt(r.tag) > BigInt(max) ? r.tag : max), rows[0]!.tag);
  return { serialNumbers: rows.map((r) => r.serial), lastUpdated };
}

/** What a device reports going wrong with our passes: written to the server log, one line each. */
export function deviceLog(deps: Pick<Deps, 'apple'>, logs: readonly string[]): void {
  const apple = appleWallet(deps);
  // Control characters would let a device forge lines in the log: each run becomes a space.
  // eslint-disable-next-line no-control-regex
  for (const line of logs) apple.log(`[fidelio] Apple Wallet device log: ${line.replace(/[\u0000-\u001f\u007f]+/g, ' ').slice(0, 1000)}`);
}
