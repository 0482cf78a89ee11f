// Several shops (issue 14): locations in the program (ids given by the server), staff accounts and
// till keys tied to one, every ledger row records where it happened, the Figures filter by shop.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Harness, type Merchant } from '../support/harness.ts';
import { assertProblem } from '../support/problem.ts';

let h: Harness;
let m: Merchant;
before(async () => {
  h = await Harness.start();
  m = await h.signUpMerchant('Two Shops');
});
after(() => h.close());

const where = async (serial: string) =>
  (
    await h.db.query<{ kind: string; location_id: string | null }>(
      `SELECT l.kind, l.location_id FROM ledger l JOIN cards c ON c.id = l.card_id WHERE c.serial = $1 ORDER BY l.id`,
      [serial],
    )
  ).rows;

describe('shops', () => {
  it('the program keeps its shops with an id each, made from the name; ids stay when saved again; passes carry their coordinates', async () => {
    await h.setProgram(m, {
      locations: [
        { name: 'Rue Oberkampf', address: '12 rue Oberkampf, Paris', latitude: 48.865, longitude: 2.378 },
        { name: 'Gare de Lyon', address: null, latitude: 48.844, longitude: 2.373, relevantText: 'Your card is ready' },
        { name: 'Rue Oberkampf', address: 'the other one', latitude: 48.866, longitude: 2.379 },
      ],
    });
    assert.deepEqual(
      m.program.locations.map((l: any) => l.id),
      ['rue-oberkampf', 'gare-de-lyon', 'rue-oberkampf-2'],
    );
    await h.setProgram(m, { locations: [m.program.locations[1], m.program.locations[0]] });
    assert.deepEqual(
      m.program.locations.map((l: any) => l.id),
      ['gare-de-lyon', 'rue-oberkampf'],
    );
    const dup = await h.put(
      '/api/merchant/program',
      { ...m.program, locations: [m.program.locations[0], m.program.locations[0]] },
      { cookie: m.cookie },
    );
    assertProblem(dup, 400, 'validation_failed');
    const badLat = await h.put(
      '/api/merchant/program',
      { ...m.program, locations: [{ name: 'Sea', latitude: 91, longitude: 0 }] },
      { cookie: m.cookie },
    );
    assertProblem(badLat, 400, 'validation_failed');
    assert.equal(badLat.body.errors[0].path, 'locations.0.latitude');
  });

  it('a visit records its shop: the account’s or key’s own, else the one the counter names; an unknown shop is a 400 that writes nothing', async () => {
    const card = await h.join(m);
    // The owner (every shop) names one.
    assert.equal(
      (await h.post(`/api/merchant/cards/${card.serial}/stamps`, { locationId: 'gare-de-lyon' }, { cookie: m.cookie })).status,
      200,
    );
    // Staff of Oberkampf: theirs, whatever the body says.
    const email = `oberkampf-${Date.now()}@example.com`;
    const added = await h.post(
      '/api/merchant/staff',
      { email, password: 'staff password 1', locationId: 'rue-oberkampf' },
      { cookie: m.cookie },
    );
    assert.equal(added.status, 201);
    assert.equal(added.body.locationId, 'rue-oberkampf');
    const login = await h.post('/api/merchant/login', { email, password: 'staff password 1' });
    const staffCookie = /fidelio_session=[^;]+/.exec(login.headers.get('set-cookie')!)![0];
    const me = await h.get('/api/merchant/me', { cookie: staffCookie });
    assert.equal(me.body.locationId, 'rue-oberkampf');
    await h.post(`/api/merchant/cards/${card.serial}/stamps`, { locationId: 'gare-de-lyon' }, { cookie: staffCookie });
    // A till key of the Gare de Lyon shop.
    const key = await h.post('/api/merchant/api-keys', { name: 'Gare till', locationId: 'gare-de-lyon' }, { cookie: m.cookie });
    assert.equal(key.body.locationId, 'gare-de-lyon');
    await h
      .post(`/api/merchant/cards/${card.serial}/redemptions`, {}, { headers: { authorization: `Bearer ${key.body.key}` } })
      .then((r) => assert.equal(r.status, 409));
    await h.post(`/api/merchant/cards/${card.serial}/stamps`, { count: 8 }, { headers: { authorization: `Bearer ${key.body.key}` } });
    // Not said: none (two shops, nobody named one).
    await h.post(`/api/merchant/cards/${card.serial}/stamps`, {}, { cookie: m.cookie });
    assert.deepEqual(await where(card.serial), [
      { kind: 'stamp', location_id: 'gare-de-lyon' },
      { kind: 'stamp', location_id: 'rue-oberkampf' },
      { kind: 'stamp', location_id: 'gare-de-lyon' },
      { kind: 'reward_earned', location_id: 'gare-de-lyon' },
      { kind: 'stamp', location_id: null },
    ]);
    const unknown = await h.post(`/api/merchant/cards/${card.serial}/stamps`, { locationId: 'nowhere' }, { cookie: m.cookie });
    assertProblem(unknown, 400, 'validation_failed');
    assert.equal(unknown.body.errors[0].path, 'locationId');
    assert.equal((await where(card.serial)).length, 5, 'nothing written');
    assertProblem(
      await h.post('/api/merchant/api-keys', { name: 'x', locationId: 'nowhere' }, { cookie: m.cookie }),
      400,
      'validation_failed',
    );
    assertProblem(
      await h.post(
        '/api/merchant/staff',
        { email: 'x@example.com', password: 'staff password 1', locationId: 'nowhere' },
        { cookie: m.cookie },
      ),
      400,
      'validation_failed',
    );
  });

  it('a program with one shop records it without being told', async () => {
    const solo = await h.signUpMerchant('One Shop');
    await h.setProgram(solo, { locations: [{ name: 'Le Comptoir', latitude: 45.76, longitude: 4.83 }] });
    const card = await h.join(solo);
    await h.post(`/api/merchant/cards/${card.serial}/stamps`, {}, { cookie: solo.cookie });
    assert.deepEqual(await where(card.serial), [{ kind: 'stamp', location_id: 'le-comptoir' }]);
  });

  it('the Figures filter by shop: visits and spend of that shop only; an unknown shop is a 400', async () => {
    const shop = await h.signUpMerchant('Figures Shops');
    await h.setProgram(shop, {
      locations: [
        { name: 'North', latitude: 50, longitude: 3 },
        { name: 'South', latitude: 43, longitude: 5 },
      ],
    });
    const card = await h.join(shop);
    for (const [loc, n] of [
      ['north', 3],
      ['south', 1],
    ] as const) {
      for (let i = 0; i < n; i++) {
        await h.post(`/api/merchant/cards/${card.serial}/stamps`, { locationId: loc, purchaseAmount: 500 }, { cookie: shop.cookie });
      }
    }
    const kpis = async (q: string) => (await h.get(`/api/merchant/kpis${q}`, { cookie: shop.cookie })).body;
    const all = await kpis('');
    const north = await kpis('?location=north');
    const south = await kpis('?location=south');
    const visits = (k: any) => k.series.points.reduce((n: number, p: any) => n + p.visits, 0);
    const spend = (k: any) => k.series.points.reduce((n: number, p: any) => n + p.spendMinor, 0);
    assert.deepEqual([visits(all), visits(north), visits(south)], [4, 3, 1]);
    assert.deepEqual([spend(all), spend(north), spend(south)], [2000, 1500, 500]);
    assert.equal(north.activeMembers, 1);
    // Members are the program's, which every shop shares.
    assert.equal(north.members, all.members);
    assertProblem(await h.get('/api/merchant/kpis?location=east', { cookie: shop.cookie }), 400, 'validation_failed');
  });
});
