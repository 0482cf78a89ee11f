// "Did Mrs Martin's card really update?": the delivery log of a card's passes.
import { cardDeliveries, pruneLogs } from '../db/queries/deliveries.ts';
import { notFound } from '../errors.ts';
import type { Deps } from './deps.ts';
import { SERIAL_PATTERN } from './tokens.ts';

/** Entries a card's log shows (it keeps 30 days). */
const LOG_LENGTH = 100;

/** An APNs token is a device's address: its first characters tell phones apart, the rest is not shown. */
const shown = (channel: string, target: string) => (channel === 'apns' ? `${target.slice(0, 8)}…` : target);

/** For each phone and channel: queued, sent, what APNs or Google answered, and (Apple) when the phone fetched the pass. */
export async function deliveriesOfCard({ db }: Pick<Deps, 'db'>, merchantId: string, serial: string) {
  const rows = SERIAL_PATTERN.test(serial) ? await cardDeliveries(db, merchantId, serial, LOG_LENGTH) : undefined;
  if (!rows) throw notFound('No card with this serial.');
  return {
    deliveries: rows.map((r) => ({
      channel: r.channel,
      target: shown(r.channel, r.target),
      queuedAt: new Date(r.queued_at).toISOString(),
      sentAt: r.sent_at ? new Date(r.sent_at).toISOString() : null,
      status: r.status,
      answer: r.answer,
      fetchedAt: r.fetched_at ? new Date(r.fetched_at).toISOString() : null,
    })),
  };
}

/** Drops what is kept 30 days only (the daily job): delivery logs, webhook attempts, idempotent answers. */
export const pruneOldLogs = ({ db }: Pick<Deps, 'db'>): Promise<number> => pruneLogs(db);
