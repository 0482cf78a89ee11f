// Giving back (issue 13): an amount per stamp and a share of the spend, to a cause the owner
// names — on the pass's back and the card page ("Ensemble nous avons donné … à …"), in the KPI
// answer for a period, and in the CSV export; nothing of it when the program does not give.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TEST_DB } from '../support/db.ts';
import { Harness, type Merchant } from '../support/harness.ts';
import { openPass } from '../support/pkpass.ts';

const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe(`giving back (${TEST_DB})`, () => {
  let h: Harness;

  before(async () => {
    h = await Harness.start();
  });
  after(() => h?.close());

  async function merchant(giving: Record<string, unknown>, changes: Record<string, unknown> = {}): Promise<Merchant> {
    const m = await h.signUpMerchant('Café Lune');
    await h.setProgram(m, {
      ...changes,
      campaigns: {
        ...m.program.campaigns,
        giving: { enabled: true, cause: 'la Banque alimentaire', perStampMinor: 0, percentOfSpend: 0, ...giving },
      },
    });
    return m;
  }
  const post = async (m: Merchant, serial: string, what: 'stamps' | 'purchases', body: unknown) => {
    const res = await h.call('POST', `/api/merchant/cards/${serial}/${what}`, { body, cookie: m.cookie });
    assert.equal(res.status, 200, res.text);
  };
  const backField = async (serial: string, key: string) => {
    const res = await h.app.request(`/passes/apple/${serial}.pkpass`);
    assert.equal(res.status, 200);
    const p = openPass(new Uint8Array(await res.arrayBuffer())).pass;
    return (p.storeCard.backFields as { key: string; value: string; changeMessage?: string }[]).find((f) => f.key === key);
  };
  const kpis = async (m: Merchant, from = '2026-01-01', to = '2030-12-31') =>
    (await h.call('GET', `/api/merchant/kpis?from=${from}&to=${to}`, { cookie: m.cookie })).body;

  test('per stamp: the total of every member on the pass (no notification) and the card page, in the member’s language', async () => {
    const m = await merchant({ perStampMinor: 50 });
    const a = await h.join(m, { locale: 'fr' });
    const b = await h.join(m, { locale: 'en' });
    await post(m, a.serial, 'stamps', { count: 3 });
    await post(m, b.serial, 'stamps', { count: 2, purchaseAmountMinor: 1000 });
    const field = await backField(a.serial, 'giving');
    assert.equal(plain(field!.value), 'Ensemble nous avons donné 2,50 € à la Banque alimentaire');
    assert.equal(field!.changeMessage, undefined);
    assert.equal(plain((await backField(b.serial, 'giving'))!.value), 'Together we have given €2.50 to la Banque alimentaire');
    const page = await h.call('GET', `/c/${a.serial}`);
    assert.match(plain(page.text), /<p class="giving">Ensemble nous avons donné 2,50 € à la Banque alimentaire<\/p>/);

    const k = await kpis(m);
    assert.deepEqual(k.giving, { cause: 'la Banque alimentaire', owedMinor: 250, currency: 'EUR' });
    assert.deepEqual(
      (await kpis(m, '2026-01-01', '2026-01-31')).giving,
      { cause: 'la Banque alimentaire', owedMinor: 0, currency: 'EUR' },
      'nothing in January',
    );
  });

  test('a share of the spend on a points program; the KPI counts the period only; the CSV lists each member’s part', async () => {
    const m = await merchant({ percentOfSpend: 2 }, { type: 'points' });
    const a = await h.join(m);
    const b = await h.join(m);
    await post(m, a.serial, 'purchases', { amount: 1250 });
    // A purchase from before the period (written back then): in the all-time total, not the period's.
    await h.db.query(
      `INSERT INTO ledger (merchant_id, card_id, kind, points, amount_minor, currency, created_at)
       SELECT merchant_id, id, 'purchase', 50, 5000, 'EUR', now() - interval '400 days' FROM cards WHERE serial = $1`,
      [b.serial],
    );
    const today = new Date().toISOString().slice(0, 10);
    assert.equal((await kpis(m, today, today)).giving.owedMinor, 25, '2 % of 12.50');
    assert.equal((await kpis(m, '2024-06-01', today)).giving.owedMinor, 125, '2 % of 62.50');
    const csv = (await h.call('GET', '/api/merchant/export/customers.csv', { cookie: m.cookie })).text;
    const [head, ...rows] = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    const col = head!.split(',').indexOf('given_minor');
    assert.ok(col > 0, head);
    assert.deepEqual(rows.map((r) => r.split(',')[col]).sort(), ['100', '25']);
  });

  test('a program that does not give: nothing on the pass, the page, the KPIs or the CSV', async () => {
    const m = await h.signUpMerchant('Plain Café');
    const card = await h.join(m);
    await post(m, card.serial, 'stamps', { count: 1 });
    assert.equal(await backField(card.serial, 'giving'), undefined);
    assert.doesNotMatch((await h.call('GET', `/c/${card.serial}`)).text, /class="giving"/);
    assert.equal((await kpis(m)).giving, null);
    assert.doesNotMatch((await h.call('GET', '/api/merchant/export/customers.csv', { cookie: m.cookie })).text, /given_minor/);
  });

  test('turned on without a cause: refused', async () => {
    const m = await h.signUpMerchant('No Cause');
    const res = await h.call('PUT', '/api/merchant/program', {
      cookie: m.cookie,
      body: {
        ...m.program,
        campaigns: { ...m.program.campaigns, giving: { enabled: true, cause: '', perStampMinor: 10, percentOfSpend: 0 } },
      },
    });
    assert.equal(res.status, 400);
    assert.ok(
      res.body.errors.some((e: { path: string }) => e.path === 'campaigns.giving.cause'),
      JSON.stringify(res.body.errors),
    );
  });
});
