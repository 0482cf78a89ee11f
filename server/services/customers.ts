import {
  customerHistory,
  type CustomerListRow,
  type HistoryRow,
  type ExportRow,
  exportCustomers,
  getCustomer,
  listCustomers,
} from '../db/queries/customers.ts';
import { getProgramByMerchant } from '../db/queries/programs.ts';
import { givenMinor } from '../domain/giving.ts';
import type { Program } from '../domain/program.ts';
import { notFound } from '../errors.ts';
import type { Deps } from './deps.ts';
import { isUuid } from './tokens.ts';

/** The history a customer page shows: the last entries of the ledger. */
const HISTORY_ENTRIES = 200;

/** A position in the list: the customer's creation time to the microsecond, and its id. */
export interface CustomerKeyset {
  at: string;
  id: string;
}

const customerOf = (r: CustomerListRow) => ({
  id: r.id,
  name: r.name,
  email: r.email,
  phone: r.phone,
  marketingConsent: r.marketing_consent,
  createdAt: r.created_at.toISOString(),
});

/** The card's state as the merchant sees it (every program type's fields: the unused ones are 0). */
const cardOf = (r: CustomerListRow) => ({
  serial: r.serial,
  stamps: r.stamps,
  rewardsAvailable: r.rewards_available,
  points: r.points,
  tier: r.tier,
  cashbackBalance: r.cashback_minor,
  spend: r.spend_minor,
  updatedAt: r.updated_at.toISOString(),
});

/**
 * A page of the merchant's customers with their cards, newest first; `search` matches name,
 * email or card serial. `next` is where the following page starts (null on the last one).
 */
export async function customersPage(
  { db }: Pick<Deps, 'db'>,
  merchantId: string,
  opts: { search?: string; after?: CustomerKeyset; limit: number },
) {
  const rows = await listCustomers(db, merchantId, { ...opts, limit: opts.limit + 1 });
  const page = rows.slice(0, opts.limit);
  const last = page.at(-1);
  return {
    customers: page.map((r) => ({ ...customerOf(r), card: cardOf(r) })),
    next: rows.length > opts.limit && last ? { at: last.cursor_at, id: last.id } : null,
  };
}

/**
 * The name of the reward an entry is about, as it was then (kept on the row); a row from before
 * the ledger kept it falls back to the reward's name now (by its id, or the stamps reward).
 */
function rewardNameOf(e: HistoryRow, program: Program | undefined): string | null {
  if (e.reward_name !== null) return e.reward_name;
  if (!program || (e.kind !== 'redemption' && e.kind !== 'reward_earned')) return null;
  if (e.reward_id !== null) return program.rewards.find((r) => r.id === e.reward_id)?.name ?? null;
  return program.type === 'stamps' ? program.reward.name : null;
}

/** A customer of the merchant, the card, and its history (newest first); not found for anyone else's. */
export async function customerDetail({ db }: Pick<Deps, 'db'>, merchantId: string, id: string) {
  const row = isUuid(id) ? await getCustomer(db, merchantId, id) : undefined;
  if (!row) throw notFound('No customer with this id.');
  const history = await customerHistory(db, merchantId, id, HISTORY_ENTRIES);
  // Only rows from before the ledger kept the names need the program's current ones.
  const older = history.some((e) => e.reward_name === null && (e.kind === 'redemption' || e.kind === 'reward_earned'));
  const program = older ? (await getProgramByMerchant(db, merchantId))?.program : undefined;
  return {
    customer: customerOf(row),
    card: cardOf(row),
    history: history.map((e) => ({
      kind: e.kind,
      stamps: e.stamps,
      rewards: e.rewards,
      points: e.points,
      cashback: e.cashback_minor,
      amount: e.amount_minor,
      rewardId: e.reward_id,
      rewardName: rewardNameOf(e, program),
      tier: e.tier === null ? null : e.tier || null,
      actor: e.actor,
      actorName: e.actor_name,
      reason: e.reason,
      at: e.created_at.toISOString(),
    })),
  };
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

/**
 * The merchant's customers as CSV (a header line, CRLF line ends, UTF-8 with a BOM for Excel).
 * A program that gives back adds `given_minor`: what each member's stamps and spend gave the
 * cause, all time, in minor units like the other money columns.
 */
export async function customersCsv({ db }: Pick<Deps, 'db'>, merchantId: string): Promise<string> {
  const rows = await exportCustomers(db, merchantId);
  const program = (await getProgramByMerchant(db, merchantId))?.program;
  const giving = program?.campaigns.giving;
  const columns: typeof COLUMNS = giving?.enabled
    ? [
        ...COLUMNS,
        ['given_minor', (r) => givenMinor(giving, { stamps: Number(r.stamps_collected), spendMinor: Number(r.visit_spend_minor) })],
      ]
    : COLUMNS;
  const lines = [columns.map(([h]) => h).join(','), ...rows.map((r) => columns.map(([, v]) => csvField(v(r))).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
