// A person's data (GDPR): all of it as JSON, the consent log, and the erasure.
import { consentLog, eraseCustomer as erase, personalData } from '../db/queries/personal-data.ts';
import { notFound } from '../errors.ts';
import { type Deps, nowOf } from './deps.ts';
import { isUuid } from './tokens.ts';

const missing = () => notFound('No customer with this id.');

const consentOf = (e: Awaited<ReturnType<typeof consentLog>>[number]) => ({
  kind: e.kind,
  action: e.action,
  by: e.by,
  source: e.source,
  at: e.at.toISOString(),
});

/** Everything the merchant holds about one customer, the consent log with its times included. */
export async function exportCustomer(deps: Pick<Deps, 'db' | 'clock'>, merchantId: string, id: string) {
  const data = isUuid(id) ? await personalData(deps.db, merchantId, id) : undefined;
  if (!data) throw missing();
  return { exportedAt: nowOf(deps).toISOString(), ...data, consent: data.consent.map(consentOf) };
}

/** When the customer gave or withdrew consent, by whom and from where, oldest first. */
export async function customerConsent({ db }: Pick<Deps, 'db'>, merchantId: string, id: string) {
  if (!isUuid(id)) throw missing();
  const log = await consentLog(db, merchantId, id);
  // Every member accepted the terms: an empty log is no such customer (or another merchant's).
  if (log.length === 0) throw missing();
  return { consent: log.map(consentOf) };
}

/**
 * Erases a customer for good (GDPR), in one transaction (see `eraseCustomer` in db/): a second
 * erasure finds nobody (404). The Google Wallet object's expiry goes out after the commit.
 */
export async function eraseCustomer(deps: Pick<Deps, 'db' | 'outbox'>, merchantId: string, id: string): Promise<void> {
  if (!isUuid(id) || !(await deps.db.transaction((tx) => erase(tx, merchantId, id)))) throw missing();
  deps.outbox.wake();
}
