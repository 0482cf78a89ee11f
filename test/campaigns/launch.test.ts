// The launch-week bonus (issue 13): extra for those who join between its start and its end, by
// the server's clock; shown in the public program while it runs; a window that ended a second
// ago gives nothing; a window without a start or an end, or ending before it starts, is refused.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TEST_DB } from '../support/db.ts';
import { Harness, type Merchant } from '../support/harness.ts';
import { assertProblem } from '../support/problem.ts';

const FROM = '2027-03-01T00:00:00+01:00';
const TO = '2027-03-08T00:00:00+01:00';

describe(`launch-week bonus (${TEST_DB})`, () => {
  let h: Harness;
  let m: Merchant;

  before(async () => {
    h = await Harness.start();
    m = await h.signUpMerchant('Boulangerie Soleil');
    await h.setProgram(m, {
      signupBonus: 1,
      campaigns: { ...m.program.campaigns, launchBonus: { enabled: true, amount: 2, from: FROM, to: TO } },
    });
  });
  after(() => h?.close());

  const kinds = async (serial: string) =>
    (
      await h.db.query<{ kind: string; stamps: number }>(
        'SELECT l.kind, l.stamps FROM ledger l JOIN cards c ON c.id = l.card_id WHERE c.serial = $1 ORDER BY l.id',
        [serial],
      )
    ).rows;
  const publicProgram = async () => (await h.call('GET', `/api/public/programs/${m.program.slug}`)).body.program;

  test('joining during the launch: the signup bonus and the launch bonus, each on its own ledger row', async () => {
    h.setNow('2027-03-03T12:00:00Z');
    const card = await h.join(m);
    assert.equal(card.stamps, 3);
    assert.deepEqual(await kinds(card.serial), [
      { kind: 'signup_bonus', stamps: 1 },
      { kind: 'launch_bonus', stamps: 2 },
    ]);
    assert.deepEqual((await publicProgram()).launchBonus, {
      amount: 2,
      endsAt: '2027-03-07T23:00:00.000Z',
      text: {
        en: 'Launch offer: 2 stamps extra when you join by March 7',
        fr: 'Offre de lancement : 2 tampons en plus pour toute inscription jusqu’au 7 mars',
      },
    });
  });

  test('a launch that ended a second ago, or has not begun: the signup bonus only, and nothing shown', async () => {
    for (const now of ['2027-03-07T22:59:59.001Z', '2027-03-07T23:00:00.000Z', '2027-02-28T22:59:59.999Z']) {
      h.setNow(now);
      const card = await h.join(m);
      const running = now === '2027-03-07T22:59:59.001Z';
      assert.equal(card.stamps, running ? 3 : 1, now);
      assert.equal((await publicProgram()).launchBonus === null, !running, now);
    }
  });

  test('a window ending before it starts, or without its dates, is refused; turned off it is kept as written', async () => {
    for (const launchBonus of [
      { enabled: true, amount: 2, from: TO, to: FROM },
      { enabled: true, amount: 2, from: null, to: TO },
      { enabled: true, amount: 2, from: 'next monday', to: TO },
    ]) {
      const res = await h.call('PUT', '/api/merchant/program', {
        cookie: m.cookie,
        body: { ...m.program, campaigns: { ...m.program.campaigns, launchBonus } },
      });
      assertProblem(res, 400, 'validation_failed');
      assert.ok(
        res.body.errors.some((e: { path: string }) => e.path.startsWith('campaigns.launchBonus')),
        JSON.stringify(res.body.errors),
      );
    }
    const off = { enabled: false, amount: 2, from: null, to: null };
    await h.setProgram(m, { campaigns: { ...m.program.campaigns, launchBonus: off } });
    assert.deepEqual(m.program.campaigns.launchBonus, off);
  });
});
