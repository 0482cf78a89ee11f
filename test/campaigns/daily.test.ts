// The daily plays (issue 13) with a clock the tests control: a birthday's gift on its day in the
// shop's time zone, once a year, 29 February in a non-leap year, a run missed while the server
// was down caught up, an erased card skipped, a run killed half-way finished by the next without
// giving twice; the win-back once per lapse and the KPI's "came back"; the message on the pass
// (and cleared by the next visit); the mail only with consent.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { refreshKpiSummary } from '../../server/db/queries/kpis.ts';
import { runDailyPlays } from '../../server/services/campaigns.ts';
import { DailyJobs } from '../../server/jobs/daily.ts';
import { TEST_DB } from '../support/db.ts';
import { type FakeSmtp, startFakeSmtp } from '../support/fake-smtp.ts';
import { Harness, type Merchant } from '../support/harness.ts';
import { openPass } from '../support/pkpass.ts';

const BIRTHDAY = { enabled: true, daysBefore: 0, gift: { kind: 'bonus', amount: 2 }, message: null };

describe(`daily plays: birthdays and win-backs (${TEST_DB})`, () => {
  let h: Harness;
  let smtp: FakeSmtp;

  before(async () => {
    smtp = await startFakeSmtp();
    h = await Harness.start({ SMTP_URL: smtp.url, MAIL_FROM: 'Café Lune <loyalty@fidelio.test>' });
  });
  after(async () => {
    await h?.close();
    await smtp?.close();
  });
  beforeEach(() => h.setNow(undefined));

  /** A merchant with these plays (and time zone); unless `besides`, every other merchant's plays are turned off first. */
  async function merchant(campaigns: Record<string, unknown>, timezone = 'Europe/Paris', besides = false): Promise<Merchant> {
    if (!besides) {
      await h.db.query(
        `UPDATE programs SET settings = jsonb_set(jsonb_set(settings, '{campaigns,birthday,enabled}', 'false'), '{campaigns,winBack,enabled}', 'false')`,
      );
    }
    const m = await h.signUpMerchant('Café Lune');
    await h.setProgram(m, { timezone, campaigns: { ...m.program.campaigns, ...campaigns } });
    return m;
  }

  const run = (opts = {}) => runDailyPlays(h.deps, opts);
  const bonuses = (serial: string, kind = 'birthday_bonus') =>
    h.count(`SELECT count(*)::int AS n FROM ledger l JOIN cards c ON c.id = l.card_id WHERE c.serial = $1 AND l.kind = $2`, [serial, kind]);
  const stampsOf = async (serial: string) =>
    (await h.db.query<{ stamps: number }>('SELECT stamps FROM cards WHERE serial = $1', [serial])).rows[0]!.stamps;
  const passMessage = async (serial: string) => {
    const res = await h.app.request(`/passes/apple/${serial}.pkpass`);
    assert.equal(res.status, 200);
    const p = openPass(new Uint8Array(await res.arrayBuffer())).pass;
    const fields = ['headerFields', 'primaryFields', 'secondaryFields', 'auxiliaryFields', 'backFields'].flatMap(
      (k) => p.storeCard[k] ?? [],
    );
    return fields.find((f: { key: string }) => f.key === 'message') as { value: string; changeMessage: string } | undefined;
  };

  test('a birthday gift on the day, in the member’s language on the pass, once a year', async () => {
    const m = await merchant({ birthday: BIRTHDAY });
    const camille = await h.join(m, { name: 'Camille Martin', birthday: '1990-03-15', locale: 'fr' });
    const other = await h.join(m, { birthday: '1990-03-16' });

    h.setNow('2027-03-14T12:00:00Z');
    assert.deepEqual((await run()).birthdays, 0, 'the day before: nothing');
    h.setNow('2027-03-15T09:00:00Z');
    assert.equal((await run()).birthdays, 1);
    assert.equal(await bonuses(camille.serial), 1);
    assert.equal(await stampsOf(camille.serial), 2);
    assert.equal(await bonuses(other.serial), 0);
    const message = await passMessage(camille.serial);
    assert.equal(message?.value, 'Joyeux anniversaire, Camille ! 2 tampons offerts sur votre carte.');
    assert.equal(message?.changeMessage, '%@', 'the lock screen shows it');

    // Again the same day, the next day, a restart: nothing more.
    assert.equal((await run()).birthdays, 0);
    h.setNow('2027-03-16T09:00:00Z');
    await run();
    assert.equal(await bonuses(camille.serial), 1);
    assert.equal(await bonuses(other.serial), 1, 'the other member’s birthday came');
    // Next year: again.
    h.setNow('2028-03-15T09:00:00Z');
    await run();
    assert.equal(await bonuses(camille.serial), 2);
  });

  test('the next visit clears the birthday message from the pass; the passes’ updates are queued with the gift', async () => {
    const m = await merchant({ birthday: { ...BIRTHDAY, gift: { kind: 'reward', name: 'Un croissant' } } });
    const card = await h.join(m, { name: 'Lou', birthday: '1985-07-01', locale: 'fr' });
    h.setNow('2027-07-01T08:00:00Z');
    await run();
    assert.equal(await bonuses(card.serial), 0, 'a named reward is not a ledger bonus');
    assert.equal(
      (await passMessage(card.serial))?.value,
      'Joyeux anniversaire, Lou ! Un croissant pour vous : montrez votre carte au comptoir.',
    );
    const res = await h.call('POST', `/api/merchant/cards/${card.serial}/stamps`, { body: { count: 1 }, cookie: m.cookie });
    assert.equal(res.status, 200);
    assert.equal(await passMessage(card.serial), undefined);
  });

  test('the owner’s own words, with {name}; days before the birthday', async () => {
    const m = await merchant({ birthday: { ...BIRTHDAY, daysBefore: 3, message: 'Bon anniversaire {name}, passez nous voir !' } });
    const card = await h.join(m, { name: 'Inès Durand', birthday: '2001-01-02' });
    h.setNow('2026-12-29T23:30:00Z'); // 30 December in Paris: 3 days before 2 January, across New Year
    await run();
    assert.equal(await bonuses(card.serial), 1);
    assert.equal((await passMessage(card.serial))?.value, 'Bon anniversaire Inès, passez nous voir !');
    const { rows } = await h.db.query(`SELECT key FROM campaign_effects e JOIN cards c ON c.id = e.card_id WHERE c.serial = $1`, [
      card.serial,
    ]);
    assert.deepEqual(rows, [{ key: '2027' }], 'the gift of the 2027 birthday');
    h.setNow('2027-01-02T10:00:00Z');
    await run();
    assert.equal(await bonuses(card.serial), 1, 'not again on the day itself');
  });

  test('29 February: on 28 February in a non-leap year, on the 29th in a leap year, once', async () => {
    const m = await merchant({ birthday: BIRTHDAY });
    const card = await h.join(m, { birthday: '2000-02-29' });
    h.setNow('2027-02-27T12:00:00Z');
    await run();
    assert.equal(await bonuses(card.serial), 0);
    h.setNow('2027-02-28T12:00:00Z');
    await run();
    assert.equal(await bonuses(card.serial), 1);
    h.setNow('2027-03-01T12:00:00Z');
    await run();
    assert.equal(await bonuses(card.serial), 1, 'not again on 1 March');
    h.setNow('2028-02-28T12:00:00Z');
    await run();
    assert.equal(await bonuses(card.serial), 1, 'a leap year waits for the 29th');
    h.setNow('2028-02-29T12:00:00Z');
    await run();
    assert.equal(await bonuses(card.serial), 2);
  });

  test('today is the shop’s: Auckland has the birthday while Paris is still on the day before', async () => {
    const auckland = await merchant({ birthday: BIRTHDAY }, 'Pacific/Auckland');
    const paris = await merchant({ birthday: BIRTHDAY }, 'Europe/Paris', true);
    const a = await h.join(auckland, { birthday: '1990-06-10' });
    const p = await h.join(paris, { birthday: '1990-06-10' });
    h.setNow('2027-06-09T13:00:00Z'); // 10 June 01:00 in Auckland, 9 June 15:00 in Paris
    await run();
    assert.equal(await bonuses(a.serial), 1);
    assert.equal(await bonuses(p.serial), 0);
    h.setNow('2027-06-09T22:30:00Z'); // 10 June 00:30 in Paris
    await run();
    assert.equal(await bonuses(p.serial), 1);
    assert.equal(await bonuses(a.serial), 1);
  });

  test('a run missed while the server was down catches up, once; a week late is too late', async () => {
    const m = await merchant({ birthday: BIRTHDAY });
    const yesterday = await h.join(m, { birthday: '1980-09-09' });
    const longAgo = await h.join(m, { birthday: '1980-09-01' });
    h.setNow('2027-09-10T08:00:00Z'); // down all of 9 September
    await run();
    await run();
    assert.equal(await bonuses(yesterday.serial), 1);
    assert.equal(await bonuses(longAgo.serial), 0, 'nine days late: not given');
  });

  test('a card erased before its birthday: nothing given, nothing fails', async () => {
    const m = await merchant({ birthday: BIRTHDAY });
    const gone = await h.join(m, { birthday: '1970-11-11' });
    const kept = await h.join(m, { birthday: '1970-11-11' });
    const { rows } = await h.db.query<{ id: string }>('SELECT customer_id AS id FROM cards WHERE serial = $1', [gone.serial]);
    const erased = await h.call('DELETE', `/api/merchant/customers/${rows[0]!.id}`, { cookie: m.cookie });
    assert.equal(erased.status, 204, erased.text);
    h.setNow('2027-11-11T10:00:00Z');
    assert.equal((await run()).birthdays, 1);
    assert.equal(await bonuses(kept.serial), 1);
    assert.equal(await h.count(`SELECT count(*)::int AS n FROM campaign_effects WHERE card_id NOT IN (SELECT id FROM cards)`), 0);
  });

  test('a run killed half-way: what it committed stays, the next run gives the rest, nobody twice', async () => {
    const m = await merchant({ birthday: BIRTHDAY });
    const cards = [];
    for (let i = 0; i < 7; i++) cards.push(await h.join(m, { birthday: '1995-04-04' }));
    h.setNow('2027-04-04T10:00:00Z');
    let batches = 0;
    await assert.rejects(
      run({
        batchSize: 3,
        inBatch: () => {
          if (++batches === 2) throw new Error('killed');
        },
      }),
      /killed/,
    );
    const given = await Promise.all(cards.map((c) => bonuses(c.serial)));
    assert.equal(
      given.reduce((a, b) => a + b, 0),
      3,
      'the first batch of three was committed, the second rolled back',
    );
    assert.equal((await run({ batchSize: 3 })).birthdays, 4);
    assert.deepEqual(await Promise.all(cards.map((c) => bonuses(c.serial))), [1, 1, 1, 1, 1, 1, 1]);
    for (const c of cards) {
      const { cached, fromLedger } = await h.cacheAndLedger(c.serial);
      assert.deepEqual(cached, fromLedger);
    }
  });

  test('the birthday mail goes only to members who consent, with the way out; the pass’s update is queued', async () => {
    const m = await merchant({ birthday: BIRTHDAY });
    const yes = `yes-${Date.now()}@example.com`;
    const no = `no-${Date.now()}@example.com`;
    await h.join(m, { name: 'Camille', email: yes, birthday: '1992-05-20', consent: { terms: true, marketing: true }, locale: 'fr' });
    await h.join(m, { name: 'Noé', email: no, birthday: '1992-05-20', consent: { terms: true, marketing: false } });
    await h.db.query(`DELETE FROM outbox WHERE channel = 'mail'`); // the welcome mails
    h.setNow('2027-05-20T07:00:00Z');
    assert.equal((await run()).birthdays, 2);
    assert.equal(
      await h.count(`SELECT count(*)::int AS n FROM outbox WHERE channel = 'mail' AND target LIKE 'marketing:birthday-2027:%'`),
      1,
    );
    await h.startMailWorker();
    await smtp.waitFor(() => smtp.to(yes).length === 1, 10_000, 'the birthday mail');
    const mail = smtp.to(yes)[0]!.parsed!;
    assert.equal(mail.subject, 'Café Lune vous souhaite un joyeux anniversaire');
    assert.match(mail.text ?? '', /Joyeux anniversaire, Camille ! 2 tampons offerts sur votre carte\./);
    assert.match(mail.text ?? '', /http:\/\/fidelio\.test\/c\/[\w-]+/);
    // (mailparser folds the List-* headers into one object: read them as sent.)
    assert.match(smtp.to(yes)[0]!.raw, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m, 'the one-click way out');
    assert.equal(smtp.to(no).length, 0);
  });

  test('win-back: once per lapse, again after the member came back and lapsed again; the KPI counts who came back', async () => {
    const m = await merchant({ winBack: { enabled: true, days: 30, message: null } });
    const card = await h.join(m, { name: 'Sam Lee' });
    const visit = await h.call('POST', `/api/merchant/cards/${card.serial}/stamps`, { body: { count: 1 }, cookie: m.cookie });
    assert.equal(visit.status, 200);
    const fresh = Date.now();
    h.setNow(new Date(fresh + 29 * 86_400_000));
    assert.equal((await run()).winBacks, 0, '29 days: not yet');
    h.setNow(new Date(fresh + 31 * 86_400_000));
    assert.equal((await run()).winBacks, 1);
    assert.equal((await passMessage(card.serial))?.value, 'We miss you, Sam! Your card is waiting at Café Lune.');
    assert.equal((await run()).winBacks, 0, 'once per lapse');
    // The last visits then come from the KPI summaries: the same lapse, not a new one.
    await refreshKpiSummary(h.db);
    assert.equal((await run()).winBacks, 0, 'once per lapse, read from the summaries');

    // They come back (a stamp, now), then lapse again: a new win-back.
    const res = await h.call('POST', `/api/merchant/cards/${card.serial}/stamps`, { body: { count: 1 }, cookie: m.cookie });
    assert.equal(res.status, 200);
    const kpis = await h.call('GET', `/api/merchant/kpis?from=2026-01-01&to=2030-12-31`, { cookie: m.cookie });
    assert.equal(kpis.status, 200, kpis.text);
    assert.deepEqual(kpis.body.winBack, { sent: 1, returned: 1 });
    h.setNow(new Date(Date.now() + 31 * 86_400_000));
    assert.equal((await run()).winBacks, 1);
    assert.equal(
      await h.count(`SELECT count(*)::int AS n FROM campaign_effects e JOIN cards c ON c.id = e.card_id WHERE c.serial = $1`, [
        card.serial,
      ]),
      2,
    );
  });

  test('win-back for a member who never came back after joining: counted from the joining, in French', async () => {
    const m = await merchant({ winBack: { enabled: true, days: 45, message: 'Un café vous attend, {name} !' } });
    const card = await h.join(m, { name: 'Léa Roux', locale: 'fr' });
    h.setNow(new Date(Date.now() + 44 * 86_400_000));
    assert.equal((await run()).winBacks, 0);
    h.setNow(new Date(Date.now() + 46 * 86_400_000));
    assert.equal((await run()).winBacks, 1);
    assert.equal((await passMessage(card.serial))?.value, 'Un café vous attend, Léa !');
  });

  test('plays that are off do nothing', async () => {
    const m = await merchant({});
    const card = await h.join(m, { birthday: '1990-08-08' });
    h.setNow('2027-08-08T10:00:00Z');
    await run();
    h.setNow(new Date(Date.now() + 400 * 86_400_000));
    await run();
    assert.equal(
      await h.count(`SELECT count(*)::int AS n FROM campaign_effects e JOIN cards c ON c.id = e.card_id WHERE c.serial = $1`, [
        card.serial,
      ]),
      0,
    );
  });

  test('the timer runs the plays soon after start, and again; stop waits for a run in progress', async () => {
    const m = await merchant({ birthday: BIRTHDAY });
    const card = await h.join(m, { birthday: '1991-10-10' });
    h.setNow('2027-10-10T10:00:00Z');
    const lines: string[] = [];
    const jobs = new DailyJobs(h.deps, { firstRunMs: 10, everyMs: 20, log: (l) => lines.push(l) });
    jobs.start();
    const deadline = Date.now() + 5000;
    while ((await bonuses(card.serial)) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await jobs.stop();
    assert.equal(await bonuses(card.serial), 1);
    assert.ok(
      lines.some((l) => /1 birthday/.test(l)),
      lines.join('\n'),
    );
  });
});
