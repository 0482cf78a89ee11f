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
import { currencyDigits, moneyText } from '../../common/money.ts';
import type { Locale } from '../../common/localize.ts';
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

/** How the CSV is written: its field separator, and English (as stored) or French (as a French spreadsheet reads it). */
export interface CsvOptions {
  delimiter: 'comma' | 'semicolon' | 'tab';
  lang: Locale;
}

const DELIMITERS: Record<CsvOptions['delimiter'], string> = { comma: ',', semicolon: ';', tab: '\t' };

/** What the French columns need of the program: its time zone (the day and hour of a join) and its currency. */
interface CsvContext {
  lang: Locale;
  timeZone: string;
  currency: string;
  digits: number;
}

/** `2026-03-01T23:30:00Z` in Europe/Paris → `02/03/2026 00:30`, as Excel set to French reads a date and time. */
function frenchDateTime(at: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('fr-FR', {
      timeZone,
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute}`;
}

/** An amount: in English in minor units, as stored; in French in the currency's units with a decimal comma (1250 → "12,50"). */
const money = (minor: number, x: CsvContext) => (x.lang === 'fr' ? moneyText(minor, x.digits, 'fr') : minor);

type Column = { header: (x: CsvContext) => string; value: (r: ExportRow, x: CsvContext) => unknown };
const column = (en: string, fr: string | ((x: CsvContext) => string), value: Column['value']): Column => ({
  header: (x) => (x.lang === 'fr' ? (typeof fr === 'string' ? fr : fr(x)) : en),
  value,
});

const COLUMNS: Column[] = [
  column('name', 'Nom', (r) => r.name),
  column('email', 'E-mail', (r) => r.email),
  column('phone', 'Téléphone', (r) => r.phone),
  column('birthday', 'Date de naissance', (r, x) =>
    x.lang === 'fr' && r.birthday ? r.birthday.split('-').reverse().join('/') : r.birthday,
  ),
  column('marketing_consent', 'Consentement marketing', (r, x) =>
    x.lang === 'fr' ? (r.marketing_consent ? 'oui' : 'non') : r.marketing_consent ? 'yes' : 'no',
  ),
  column(
    'joined',
    (x) => `Inscription (${x.timeZone})`,
    (r, x) => (x.lang === 'fr' ? frenchDateTime(r.created_at, x.timeZone) : r.created_at.toISOString()),
  ),
  column('card', 'Carte', (r) => r.serial),
  column('stamps', 'Tampons', (r) => r.stamps),
  column('rewards_available', 'Récompenses disponibles', (r) => r.rewards_available),
  column('points', 'Points', (r) => r.points),
  column('tier', 'Niveau', (r) => r.tier),
  column(
    'cashback_minor',
    (x) => `Cagnotte (${x.currency})`,
    (r, x) => money(r.cashback_minor, x),
  ),
  column(
    'spend_minor',
    (x) => `Dépenses (${x.currency})`,
    (r, x) => money(r.spend_minor, x),
  ),
];

/**
 * One CSV field (RFC 4180): quoted when it holds the delimiter, a quote or a line break. A text
 * that a spreadsheet would run as a formula (= + - @, tab, CR first) gets a leading apostrophe.
 */
export function csvField(value: unknown, delimiter = ','): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /["\r\n]/.test(s) || s.includes(delimiter) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The merchant's customers as CSV (a header line, CRLF line ends, UTF-8 with a BOM for Excel).
 * A program that gives back adds `given_minor`: what each member's stamps and spend gave the
 * cause, all time, in minor units like the other money columns. In French: French headers, the
 * join in the program's time zone (the one its days are counted in), amounts in the currency's
 * units with a decimal comma, yes/no as oui/non; with `semicolon` it opens in columns in Excel
 * set to French, whose list separator is `;`.
 */
export async function customersCsv(
  { db }: Pick<Deps, 'db'>,
  merchantId: string,
  options: CsvOptions = { delimiter: 'comma', lang: 'en' },
): Promise<string> {
  const rows = await exportCustomers(db, merchantId);
  const program = (await getProgramByMerchant(db, merchantId))?.program;
  const currency = program?.currency ?? 'EUR';
  const x: CsvContext = { lang: options.lang, timeZone: program?.timezone ?? 'Europe/Paris', currency, digits: currencyDigits(currency) };
  const giving = program?.campaigns.giving;
  const columns: Column[] = giving?.enabled
    ? [
        ...COLUMNS,
        column(
          'given_minor',
          (c) => `Dons (${c.currency})`,
          (r, c) => money(givenMinor(giving, { stamps: Number(r.stamps_collected), spendMinor: Number(r.visit_spend_minor) }), c),
        ),
      ]
    : COLUMNS;
  const d = DELIMITERS[options.delimiter];
  const line = (fields: unknown[]) => fields.map((f) => csvField(f, d)).join(d);
  const lines = [line(columns.map((c) => c.header(x))), ...rows.map((r) => line(columns.map((c) => c.value(r, x))))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
