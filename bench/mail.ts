/**
 * E-mail figures: 1,000 welcome mails queued at once and drained by the mail worker over SMTP
 * (nodemailer's pool) to a local SMTP server in process (smtp-server), on PGlite and on the
 * Postgres server; and signup → mail at the server, one at a time.
 */
import { performance } from 'node:perf_hooks';
import { openPostgresSchema, type TestDb } from '../test/support/db.ts';
import { type FakeSmtp, startFakeSmtp } from '../test/support/fake-smtp.ts';
import { Harness } from '../test/support/harness.ts';

/** The e-mail issue's target on this 2-core machine. */
export const MAIL_TARGETS = { thousandWelcomeMailsS: 10 };
const MAILS = 1000;
/** SMTP connections the transport keeps open (its default). */
const CONNECTIONS = 5;

export interface MailFigures {
  drains: { db: string; mails: number; seconds: number; signupToMail: { p50: number; p95: number } }[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

async function drain(name: string, testDb: TestDb | undefined, smtp: FakeSmtp) {
  const h = await Harness.start({ SMTP_URL: smtp.url, MAIL_FROM: 'Bench Café <loyalty@bench.example>' }, {}, testDb);
  try {
    const m = await h.signUpMerchant('Bench Café');
    await h.startMailWorker();
    // Signup → the mail at the SMTP server, one at a time.
    const latencies: number[] = [];
    for (let i = 0; i < 50; i++) {
      const before = smtp.mails.length;
      const t0 = performance.now();
      await h.join(m, { email: `latency-${i}@bench.example` });
      await smtp.waitFor(() => smtp.mails.length > before, 10_000, 'the welcome mail');
      latencies.push(performance.now() - t0);
    }
    await h.mailWorker!.idle();
    await h.mailWorker!.stop();

    // 1,000 members who joined while the worker was down (copied in SQL from one made through the API), each with its welcome mail queued.
    const card = await h.join(m, { name: 'Ana Member', email: 'ana@bench.example' });
    await h.db.query(`DELETE FROM outbox WHERE channel = 'mail'`);
    await h.db.query(
      `WITH src AS (SELECT c.merchant_id, c.program_id FROM cards c WHERE c.serial = $1),
            cu AS (INSERT INTO customers (merchant_id, name, email, locale, terms_accepted_at)
                   SELECT src.merchant_id, 'Member ' || g, 'm' || g || '@bench.example', CASE WHEN g % 2 = 0 THEN 'fr' ELSE 'en' END, now()
                     FROM src, generate_series(1, $2) g
                   RETURNING id, merchant_id, email),
            c AS (INSERT INTO cards (merchant_id, program_id, customer_id, serial, auth_token, referral_code)
                  SELECT cu.merchant_id, src.program_id, cu.id, translate(substr(md5(cu.email), 1, 26), '0189', 'ghij'), md5(cu.email || 'token'),
                         substr(md5(cu.email || 'ref'), 1, 10)
                    FROM src, cu RETURNING id, merchant_id, customer_id)
       INSERT INTO outbox (merchant_id, card_id, channel, target) SELECT merchant_id, id, 'mail', 'welcome:' || customer_id FROM c`,
      [card.serial, MAILS],
    );
    const before = smtp.mails.length;
    const t0 = performance.now();
    await h.startMailWorker();
    await smtp.waitFor(() => smtp.mails.length - before >= MAILS, 120_000, 'every mail');
    const seconds = (performance.now() - t0) / 1000;
    await h.mailWorker!.idle();
    const mails = smtp.mails.length - before;
    return { db: name, mails, seconds, signupToMail: { p50: median(latencies), p95: pct(latencies, 95) } };
  } finally {
    await h.close();
  }
}

export async function benchMail(): Promise<MailFigures> {
  // Not parsed: the stand-in shares the process, and mailparser's work is not the server's.
  const smtp = await startFakeSmtp({ parse: false });
  try {
    const drains = [await drain('pglite', undefined, smtp)];
    try {
      drains.push(await drain('postgres', await openPostgresSchema(), smtp));
    } catch (err) {
      console.error(`bench mail: no Postgres run (${(err as Error).message})`);
    }
    return { drains };
  } finally {
    await smtp.close();
  }
}

export function printMail(f: MailFigures): void {
  const T = MAIL_TARGETS;
  console.log('## E-mail');
  console.log('| figure | value | target | ratio |');
  console.log('|---|---|---|---|');
  for (const d of f.drains) {
    console.log(
      `| ${d.db}: ${d.mails} welcome mails drained over SMTP to the local stand-in (${CONNECTIONS} connections) | ${d.seconds.toFixed(2)} s, ${Math.round(d.mails / d.seconds)}/s | ≤ ${T.thousandWelcomeMailsS} s | ${(T.thousandWelcomeMailsS / d.seconds).toFixed(2)}× headroom |`,
    );
    console.log(
      `| ${d.db}: signup → mail at the SMTP server | p50 ${d.signupToMail.p50.toFixed(1)} ms, p95 ${d.signupToMail.p95.toFixed(1)} ms | | |`,
    );
  }
  console.log(
    'Note: a real provider is further away and rate-limits senders; the drain is then bounded by it (4xx → backoff), not by this server.',
  );
  console.log('');
}
