// Bringing regulars over from paper cards or another app: a CSV previewed, then imported in the
// background in batches (each its own transaction, so the progress moves and a restart resumes
// where the last batch ended), idempotent by e-mail.
import { IMPORT_FIELDS, type ImportField } from '../contract/control.ts';
import {
  failImport,
  getImport,
  type ImportRow,
  insertImport,
  insertImportedCustomers,
  leaseImport,
  listImports,
  queueImportWelcomes,
  recordImportBatch,
  writeOpeningBalances,
} from '../db/queries/imports.ts';
import { balancesOf, nextUpdatedAt } from '../db/queries/cards.ts';
import { queueCardUpdates } from '../db/queries/outbox.ts';
import { getProgramByMerchant, type ProgramRow } from '../db/queries/programs.ts';
import {
  balanceUnit,
  type ColumnIndexes,
  CsvError,
  csvRecords,
  decodeCsv,
  guessMapping,
  type ImportedMember,
  readCsv,
  readRow,
} from '../domain/imports.ts';
import { openingBalance } from '../domain/rules.ts';
import { AppError, invalidField, notFound } from '../errors.ts';
import { type Deps, nowOf } from './deps.ts';
import { isUuid, newAuthToken, newReferralCode, newSerial } from './tokens.ts';

/** The largest file taken (bytes): some 300,000 members. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
/** Lines per batch: one transaction each; small enough for the progress to move every second. */
export const IMPORT_BATCH = 1000;
const LEASE_MS = 60_000;
/** Rows the preview shows. */
const PREVIEW_ROWS = 5;

function table(bytes: Uint8Array) {
  try {
    return readCsv(bytes);
  } catch (err) {
    if (err instanceof CsvError) throw invalidField('(body)', err.message);
    throw err;
  }
}

async function programOf(deps: Pick<Deps, 'db'>, merchantId: string) {
  const row = await getProgramByMerchant(deps.db, merchantId);
  if (!row) throw notFound('This merchant has no program.');
  return row;
}

/** The file's encoding, delimiter, header, the columns found for each field, and its first rows. */
export async function previewImport(deps: Pick<Deps, 'db'>, merchantId: string, bytes: Uint8Array) {
  const { program } = await programOf(deps, merchantId);
  const t = table(bytes);
  return {
    encoding: t.encoding,
    delimiter: t.delimiter,
    columns: t.header,
    mapping: guessMapping(t.header),
    rows: t.rows.slice(0, PREVIEW_ROWS).map((r) => r.cells),
    total: t.rows.length,
    balanceUnit: balanceUnit(program),
  };
}

/** The column index of each field: the header the owner chose, else the one found by name. */
function columnsOf(header: readonly string[], chosen: Partial<Record<ImportField, string>>): ColumnIndexes {
  const guessed = guessMapping(header);
  const columns = {} as ColumnIndexes;
  for (const field of IMPORT_FIELDS) {
    const name = chosen[field] ?? guessed[field];
    if (name === null || name === undefined) {
      columns[field] = null;
      continue;
    }
    const i = header.indexOf(name);
    if (i < 0) throw invalidField(field, `no column “${name}” in the file`);
    columns[field] = i;
  }
  if (columns.email === null) throw invalidField('email', 'say which column holds the e-mail');
  if (columns.name === null) throw invalidField('name', 'say which column holds the name');
  return columns;
}

/**
 * Starts an import: the file is read now (a file that is not CSV, or without the name and
 * e-mail columns, is a 400 and nothing is kept), then imported in the background.
 */
export async function startImport(
  deps: Pick<Deps, 'db'>,
  merchantId: string,
  actor: string,
  bytes: Uint8Array,
  options: Partial<Record<ImportField, string>> & { welcome: boolean },
) {
  await programOf(deps, merchantId);
  const t = table(bytes);
  const columns = columnsOf(t.header, options);
  if (t.rows.length === 0) throw invalidField('(body)', 'The file has a header but no member.');
  const source = decodeCsv(bytes).text;
  const id = await insertImport(deps.db, {
    merchantId,
    actor,
    source,
    options: { columns, welcome: options.welcome },
    total: t.rows.length,
  });
  return { id };
}

const stateOf = (r: ImportRow) => ({
  id: r.id,
  status: r.status,
  total: r.total,
  done: r.done,
  failed: r.failed,
  created: r.created,
  updated: r.updated,
  unchanged: r.unchanged,
  errors: r.errors,
  welcome: r.options.welcome,
  createdAt: r.created_at.toISOString(),
  finishedAt: r.finished_at?.toISOString() ?? null,
});

export async function importState(deps: Pick<Deps, 'db'>, merchantId: string, id: string) {
  const row = isUuid(id) ? await getImport(deps.db, merchantId, id) : undefined;
  if (!row) throw notFound('No import with this id.');
  return stateOf(row);
}

export async function recentImports(deps: Pick<Deps, 'db'>, merchantId: string) {
  return { imports: (await listImports(deps.db, merchantId, 20)).map(stateOf) };
}

/** A line of the file, with the line number it ends on. */
type Line = { line: number; cells: string[] };

/**
 * Runs one waiting import (the given one, or the oldest whose lease is free) to its end, batch
 * by batch as the file is parsed; false when none was waiting. Each batch is one transaction:
 * the members, their cards, consent, opening balances, welcome mails and pass updates, and the
 * import's counts — so a run stopped (or a process that died) resumes after the last batch.
 */
export async function runImport(
  deps: Pick<Deps, 'db' | 'outbox' | 'clock' | 'config'>,
  id?: string,
  /** Asked after each batch: false stops there (the lease runs out, and the import resumes). */
  going: () => boolean = () => true,
): Promise<boolean> {
  const job = await leaseImport(deps.db, LEASE_MS, id);
  if (!job) return false;
  try {
    const { columns } = job.options;
    const program = await programOf(deps, job.merchant_id);
    const today = nowOf(deps);
    // The first line of an e-mail wins; a later one is refused, naming it (the file's own duplicates).
    const firstLine = new Map<string, number>();
    const records = csvRecords(job.source);
    await records.next(); // the header
    let seen = 0;
    let batch: Line[] = [];
    for await (const r of records) {
      const email = columns.email === null ? '' : (r.cells[columns.email] ?? '').trim().toLowerCase();
      if (email && !firstLine.has(email)) firstLine.set(email, r.line);
      // Lines a previous run imported: only their e-mails count.
      if (++seen <= job.done) continue;
      batch.push(r);
      if (batch.length < IMPORT_BATCH) continue;
      await importBatch(deps, job, program, batch, firstLine, today, false);
      batch = [];
      if (!going()) return true;
    }
    await importBatch(deps, job, program, batch, firstLine, today, true);
  } catch (err) {
    // A database that went away: the lease runs out and the import resumes after the last batch.
    if (!(err instanceof AppError) && !(err instanceof CsvError)) throw err;
    await failImport(deps.db, job.id, (err as Error).message);
  }
  return true;
}

/**
 * One batch of lines in one transaction; the last one (`finished`) marks the import done.
 * `firstLine`: the line each e-mail first appears on in the file (up to this batch).
 */
async function importBatch(
  deps: Pick<Deps, 'db' | 'outbox' | 'config'>,
  job: ImportRow,
  program: ProgramRow,
  batch: readonly Line[],
  firstLine: ReadonlyMap<string, number>,
  today: Date,
  finished: boolean,
): Promise<void> {
  const errors: { line: number; message: string }[] = [];
  const members: ImportedMember[] = [];
  for (const r of batch) {
    const read = readRow(r.cells, job.options.columns, program.program, today);
    if (!read.ok) {
      errors.push({ line: r.line, message: read.message });
      continue;
    }
    const earlier = firstLine.get(read.member.email);
    if (earlier === r.line) members.push(read.member);
    else errors.push({ line: r.line, message: `the same e-mail as line ${earlier}` });
  }
  const counts = await deps.db.transaction(async (tx) => {
    // Postgres would compile these set-based statements (JIT) on the first batch: it costs more than it saves.
    await tx.query(`SELECT set_config('jit', 'off', true)`);
    const { created, cards } = await insertImportedCustomers(
      tx,
      job.merchant_id,
      program.id,
      job.actor,
      members.map((m) => ({ ...m, serial: newSerial(), authToken: newAuthToken(), referralCode: newReferralCode() })),
    );
    const byEmail = new Map(cards.map((c) => [c.email, c]));
    const changes = [];
    // Members who were here before (they joined online): their pass shows the balance arrive.
    const existing: string[] = [];
    for (const m of members) {
      const card = byEmail.get(m.email);
      if (!card || card.imported || m.balance === 0) continue;
      const o = openingBalance(program.program, balancesOf(card), m.balance);
      changes.push({ cardId: card.id, entry: o.entries[0]!, balances: o.balances, updatedAt: nextUpdatedAt(card.updated_at) });
      if (!created.has(m.email)) existing.push(card.id);
    }
    await writeOpeningBalances(tx, job.merchant_id, program.program.currency, job.actor, changes);
    if (existing.length) await queueCardUpdates(tx, existing);
    if (job.options.welcome && deps.config.mail) {
      await queueImportWelcomes(
        tx,
        job.merchant_id,
        cards.filter((c) => created.has(c.email)),
      );
    }
    const c = { created: created.size, updated: existing.length, unchanged: members.length - created.size - existing.length };
    await recordImportBatch(tx, job.id, { done: batch.length, failed: errors.length, errors, finished, leaseMs: LEASE_MS, ...c });
    return c;
  });
  if (counts.created + counts.updated > 0) deps.outbox.wake();
}
