import type { Db } from '../db/index.ts';
import { customerHistory, deleteCustomer, type ExportRow, exportCustomers, getCustomer } from '../db/queries/customers.ts';
import { notFound } from '../errors.ts';
import { isUuid } from './tokens.ts';

/** The history a customer page shows: the last entries of the ledger. */
const HISTORY_ENTRIES = 200;

/** A customer of the merchant, the card, and its history (newest first); 404 for anyone else's. */
export async function customerDetail(db: Db, merchantId: string, id: string) {
  const row = isUuid(id) ? await getCustomer(db, merchantId, id) : undefined;
  if (!row) throw notFound('No customer with this id.');
  const history = await customerHistory(db, merchantId, id, HISTORY_ENTRIES);
  return {
    customer: {
      id: row.id,
      name: row.name,
      email: row.email,
      phone: row.phone,
      marketingConsent: row.marketing_consent,
      createdAt: row.created_at.toISOString(),
    },
    card: {
      serial: row.serial,
      stamps: row.stamps,
      rewardsAvailable: row.rewards_available,
      points: row.points,
      tier: row.tier,
      cashbackBalance: row.cashback_minor,
      spend: row.spend_minor,
      updatedAt: row.updated_at.toISOString(),
    },
    history: history.map((e) => ({
      kind: e.kind,
      stamps: e.stamps,
      rewards: e.rewards,
      points: e.points,
      cashback: e.cashback_minor,
      amount: e.amount_minor,
      rewardId: e.reward_id,
      actor: e.actor,
      actorName: e.actor_name,
      reason: e.reason,
      at: e.created_at.toISOString(),
    })),
  };
}

/** Erases a customer for good (GDPR): the customer, the card and everything hanging off it. */
export async function eraseCustomer(db: Db, merchantId: string, id: string): Promise<void> {
  if (!isUuid(id) || !(await deleteCustomer(db, merchantId, id))) throw notFound('No customer with this id.');
}

const COLUMNS: [header: string, value: (r: ExportRow) => unknown][] = [
  ['name', (r) => r.name],
  ['email', (r) => r.email],
  ['phone', (r) => r.phone],
  ['birthday', (r) => r.birthday],
  ['marketing_consent', (r) => (r.marketing_consent ? 'yes' : 'no')],
  ['joined', (r) => r.created_at.toISOString()],
  ['card', (r) => r.serial],
  ['stamps', (r) => r.stamps],
  ['rewards_available', (r) => r.rewards_available],
  ['points', (r) => r.points],
  ['tier', (r) => r.tier],
  ['cashback_minor', (r) => r.cashback_minor],
  ['spend_minor', (r) => r.spend_minor],
];

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. A text that a
 * spreadsheet would run as a formula (= + - @, tab, CR first) gets a leading apostrophe.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The merchant's customers as CSV (a header line, CRLF line ends, UTF-8 with a BOM for Excel). */
export async function customersCsv(db: Db, merchantId: string): Promise<string> {
  const rows = await exportCustomers(db, merchantId);
  const lines = [COLUMNS.map(([h]) => h).join(','), ...rows.map((r) => COLUMNS.map(([, v]) => csvField(v(r))).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
