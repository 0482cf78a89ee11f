// The CSV import, the pure part: reading a file as spreadsheets write it (UTF-8 or Windows-1252,
// `,` or `;` — French Excel writes `;`), finding the columns by their headers, and reading each
// row into a member with an opening balance, or the reason the line is refused.
import { Readable } from 'node:stream';
import { parse as parseStream } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { minorDigits, type Program } from './program.ts';

/** The fields an import reads; each is a column of the file (found by its header). */
export const IMPORT_FIELDS = ['name', 'email', 'phone', 'birthday', 'balance', 'marketing_consent'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

export type Delimiter = ',' | ';' | '\t';
export type Encoding = 'utf-8' | 'windows-1252';

export interface CsvTable {
  encoding: Encoding;
  delimiter: Delimiter;
  header: string[];
  /** The rows after the header, each with the line it ends on (line 1 is the header). */
  rows: { line: number; cells: string[] }[];
}

export class CsvError extends Error {}

/** The text of a file: UTF-8 when it is valid UTF-8 (a BOM is dropped), else Windows-1252 (Excel's "CSV" on a French Windows). */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: Encoding } {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { text, encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
  }
}

/** The delimiter of the header line: the most frequent of `;`, `,` and tab outside quotes. */
export function guessDelimiter(text: string): Delimiter {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch in counts) counts[ch as Delimiter]++;
  }
  const best = (Object.keys(counts) as Delimiter[]).sort((a, b) => counts[b] - counts[a])[0]!;
  return counts[best] > 0 ? best : ',';
}

/** How every CSV is read: lines of different lengths, stray quotes, empty lines skipped. */
const PARSING = {
  bom: true,
  info: true,
  relax_column_count: true,
  relax_quotes: true,
  skip_empty_lines: true,
  skip_records_with_empty_values: true,
} as const;

type Parsed = { record: string[]; info: { lines: number } };

/** Reads a CSV file: its encoding, delimiter, header and rows (empty lines skipped). `CsvError` when it is not one. */
export function readCsv(bytes: Uint8Array): CsvTable {
  const { text, encoding } = decodeCsv(bytes);
  const delimiter = guessDelimiter(text);
  let records: Parsed[];
  try {
    records = parse(text, { delimiter, ...PARSING }) as unknown as Parsed[];
  } catch (err) {
    throw new CsvError(`This is not a CSV file we can read: ${(err as Error).message}`);
  }
  const [head, ...body] = records;
  if (!head) throw new CsvError('The file is empty: it needs a header line (name, email…) and a line per member.');
  return {
    encoding,
    delimiter,
    header: head.record.map((h) => h.trim()),
    rows: body.map((r) => ({ line: r.info.lines, cells: r.record })),
  };
}

/**
 * The records of a CSV text (the header first), each with the line it ends on, read as they are
 * asked for: an import starts on its first batch before the whole file is parsed.
 */
export async function* csvRecords(text: string): AsyncGenerator<{ line: number; cells: string[] }> {
  const parser = parseStream({ delimiter: guessDelimiter(text), ...PARSING });
  // Fed in slices as records are asked for (one write of the whole text would parse it all first).
  Readable.from(slices(text, 65_536)).pipe(parser);
  try {
    for await (const r of parser as AsyncIterable<Parsed>) yield { line: r.info.lines, cells: r.record };
  } catch (err) {
    throw new CsvError(`This is not a CSV file we can read: ${(err as Error).message}`);
  }
}

/** The text in slices of about `size` characters, never cutting a character written as two (an emoji). */
function* slices(text: string, size: number): Generator<string> {
  for (let at = 0; at < text.length;) {
    let end = Math.min(text.length, at + size);
    if (end < text.length && /[\uD800-\uDBFF]/.test(text[end - 1]!)) end--;
    yield text.slice(at, end);
    at = end;
  }
}

/** A header as compared: lower case, no accents, letters and digits only ("E-mail" → "email"). */
const squash = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

/** The headers each field is found by, in English and French, as spreadsheets and other apps name them. */
const ALIASES: Record<ImportField, string[]> = {
  name: ['name', 'fullname', 'nom', 'nomcomplet', 'prenomnom', 'client', 'customer', 'membre', 'member'],
  email: ['email', 'mail', 'emailaddress', 'adresseemail', 'courriel', 'adressemail', 'adressee-mail'],
  phone: ['phone', 'telephone', 'tel', 'mobile', 'portable', 'phonenumber', 'numero'],
  birthday: ['birthday', 'birthdate', 'dateofbirth', 'anniversaire', 'datedenaissance', 'naissance', 'dob'],
  balance: ['balance', 'stamps', 'points', 'cashback', 'tampons', 'solde', 'cachets', 'credit'],
  marketing_consent: ['marketingconsent', 'consent', 'newsletter', 'optin', 'marketing', 'consentement', 'accordmarketing'],
};

/** The column each field is in, found by its header (null when none matches). */
export function guessMapping(header: readonly string[]): Record<ImportField, string | null> {
  const squashed = header.map(squash);
  const find = (field: ImportField) => {
    const i = squashed.findIndex((h) => ALIASES[field].map(squash).includes(h));
    return i < 0 ? null : header[i]!;
  };
  return {
    name: find('name'),
    email: find('email'),
    phone: find('phone'),
    birthday: find('birthday'),
    balance: find('balance'),
    marketing_consent: find('marketing_consent'),
  };
}

/** What a program's balance column holds. */
export const balanceUnit = (p: Pick<Program, 'type'>): 'stamps' | 'points' | 'cashback' =>
  p.type === 'stamps' ? 'stamps' : p.type === 'cashback' ? 'cashback' : 'points';

/** The largest opening balance a line may carry, per unit: more is a typo, not a regular. */
export const MAX_BALANCE = { stamps: 1000, points: 10_000_000, cashback: 100_000 } as const;

/** One member as a line gives them. */
export interface ImportedMember {
  name: string;
  email: string;
  phone: string | null;
  birthday: string | null;
  /** In the program's unit: stamps, points, or cashback in minor units. */
  balance: number;
  marketingConsent: boolean;
}

export type RowResult = { ok: true; member: ImportedMember } | { ok: false; message: string };

const emailSchema = z.string().email();

/** A date as written in a spreadsheet: 2026-12-04, 04/12/2026, 04-12-2026, 04.12.2026 (day first). */
export function readBirthday(s: string, today: Date): string | null | undefined {
  const t = s.trim();
  if (t === '') return null;
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  let [y, mo, d] = m ? [m[1], m[2], m[3]] : [];
  if (!m) {
    m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
    if (!m) return undefined;
    [d, mo, y] = [m[1], m[2], m[3]];
  }
  const iso = `${y}-${mo!.padStart(2, '0')}-${d!.padStart(2, '0')}`;
  const at = Date.parse(`${iso}T00:00:00Z`);
  if (Number.isNaN(at) || new Date(at).toISOString().slice(0, 10) !== iso) return undefined;
  if (iso < '1900-01-01' || at > today.getTime()) return undefined;
  return iso;
}

/** A yes/no cell: yes, oui, true, 1, x, y, o → true; no, non, false, 0, empty → false. */
function readYesNo(s: string): boolean | undefined {
  const t = squash(s);
  if (['yes', 'oui', 'true', '1', 'x', 'y', 'o', 'vrai', 'optin'].includes(t)) return true;
  if (['', 'no', 'non', 'false', '0', 'n', 'faux', 'optout'].includes(t)) return false;
  return undefined;
}

/** The balance in the program's unit, or why not: a whole number of stamps or points, money in major units ("12,50"). */
function readBalance(s: string, program: Pick<Program, 'type' | 'currency'>): number | string {
  const unit = balanceUnit(program);
  const t = s.trim().replace(/[\s\u00a0\u202f€$£]/g, '');
  if (t === '') return 0;
  if (/^-/.test(t)) return 'the balance is negative';
  if (unit === 'cashback') {
    const m = /^(\d+)(?:[.,](\d+))?$/.exec(t);
    if (!m) return 'the balance is not an amount (like 12,50)';
    const digits = minorDigits(program.currency) ?? 2;
    if ((m[2] ?? '').length > digits) return `the balance has more than ${digits} decimals`;
    const minor = Number(m[1]) * 10 ** digits + Number((m[2] ?? '').padEnd(digits, '0') || 0);
    if (minor > MAX_BALANCE.cashback * 10 ** digits) return `the balance is over ${MAX_BALANCE.cashback}`;
    return minor;
  }
  if (!/^\d+$/.test(t)) return `the balance is not a whole number of ${unit}`;
  const n = Number(t);
  if (n > MAX_BALANCE[unit]) return `the balance is over ${MAX_BALANCE[unit]} ${unit}`;
  return n;
}

/** Column indexes of the mapped fields (`name` and `email` are required). */
export type ColumnIndexes = Record<ImportField, number | null>;

/** Reads one line into a member, or the reason it is refused (the first one found). */
export function readRow(
  cells: readonly string[],
  columns: ColumnIndexes,
  program: Pick<Program, 'type' | 'currency'>,
  today: Date,
): RowResult {
  const cell = (f: ImportField) => (columns[f] === null ? '' : (cells[columns[f]!] ?? '').trim());
  const email = cell('email').toLowerCase();
  if (email === '') return { ok: false, message: 'the e-mail is empty' };
  if (email.length > 254 || !emailSchema.safeParse(email).success)
    return { ok: false, message: `“${email.slice(0, 60)}” is not an e-mail address` };
  const name = cell('name').replace(/\s+/g, ' ');
  if (name === '') return { ok: false, message: 'the name is empty' };
  if (name.length > 100) return { ok: false, message: 'the name is longer than 100 characters' };
  const phone = cell('phone');
  if (phone.length > 30 || (phone !== '' && !/^[+\d][\d\s().-]*$/.test(phone)))
    return { ok: false, message: 'the phone is not a phone number' };
  const birthday = readBirthday(cell('birthday'), today);
  if (birthday === undefined) return { ok: false, message: 'the birthday is not a date (DD/MM/YYYY or YYYY-MM-DD)' };
  const balance = readBalance(cell('balance'), program);
  if (typeof balance === 'string') return { ok: false, message: balance };
  const consent = readYesNo(cell('marketing_consent'));
  if (consent === undefined) return { ok: false, message: 'the marketing consent is not yes or no' };
  return { ok: true, member: { name, email, phone: phone || null, birthday, balance, marketingConsent: consent } };
}
