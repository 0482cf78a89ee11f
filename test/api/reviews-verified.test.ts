// Verified-member reviews: a review sent with the card of a member of the same merchant who had
// a visit (a stamp or a purchase) before writing it is `verified`; anything else is not. Decided
// when the review is written and stored; the public list and the moderation list carry it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Harness, type Merchant } from '../support/harness.ts';

let h: Harness;
let shop: Merchant;
let elsewhere: Merchant;

before(async () => {
  h = await Harness.start();
  shop = await h.signUpMerchant('Verified Café');
  elsewhere = await h.signUpMerchant('Elsewhere Bakery');
});
after(() => h.close());

const stamp = (m: Merchant, serial: string) => h.post(`/api/merchant/cards/${serial}/stamps`, { count: 1 }, { cookie: m.cookie });
const review = async (body: Record<string, unknown>) => {
  const res = await h.post(`/api/public/programs/${shop.program.slug}/reviews`, { rating: 5, text: 'Lovely.', ...body });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id as string;
};

async function stored(id: string) {
  const { rows } = await h.db.query<{ verified: boolean; serial: string | null }>(
    `SELECT r.verified, c.serial FROM reviews r LEFT JOIN cards c ON c.id = r.card_id WHERE r.id = $1`,
    [id],
  );
  return rows[0]!;
}

/** The review as the merchant's moderation list shows it. */
async function moderated(m: Merchant, id: string) {
  const res = await h.get('/api/merchant/reviews?limit=100', { cookie: m.cookie });
  assert.equal(res.status, 200);
  return (res.body.reviews as { id: string; verified: boolean }[]).find((r) => r.id === id);
}

describe('verified reviews', () => {
  it('from a card with a visit before the review: verified, in the public list and the moderation list', async () => {
    const card = await h.join(shop, { name: 'Vera Visitor' });
    assert.equal((await stamp(shop, card.serial)).status, 200);
    const id = await review({ cardSerial: card.serial, name: 'Vera' });
    assert.deepEqual(await stored(id), { verified: true, serial: card.serial });
    assert.equal((await moderated(shop, id))?.verified, true);

    const approve = await h.call('PATCH', `/api/merchant/reviews/${id}`, { body: { status: 'approved' }, cookie: shop.cookie });
    assert.equal(approve.status, 200);
    assert.equal(approve.body.review.verified, true);
    const list = await h.get(`/api/public/programs/${shop.program.slug}/reviews`);
    assert.equal(list.status, 200);
    const shown = list.body.reviews.find((r: { name: string }) => r.name === 'Vera');
    assert.deepEqual(Object.keys(shown).sort(), ['createdAt', 'name', 'rating', 'text', 'verified']);
    assert.equal(shown.verified, true);
  });

  it('from a card with no visit (a signup bonus is not a visit): not verified, still linked to the card', async () => {
    await h.setProgram(shop, { signupBonus: 1 });
    const card = await h.join(shop, { name: 'Nora New' });
    const id = await review({ cardSerial: card.serial });
    assert.deepEqual(await stored(id), { verified: false, serial: card.serial });
    assert.equal((await moderated(shop, id))?.verified, false);
    await h.setProgram(shop, { signupBonus: 0 });
  });

  it('a visit only after the review changes nothing: decided when it is written', async () => {
    const card = await h.join(shop, { name: 'Lena Later' });
    const id = await review({ cardSerial: card.serial });
    assert.equal((await stamp(shop, card.serial)).status, 200);
    assert.deepEqual(await stored(id), { verified: false, serial: card.serial });
    assert.equal((await moderated(shop, id))?.verified, false);
    // Her next review, after the visit, is verified.
    assert.equal((await stored(await review({ cardSerial: card.serial }))).verified, true);
  });

  it("from another merchant's card, even one with visits: not verified, and not linked to that card", async () => {
    const card = await h.join(elsewhere, { name: 'Otto Other' });
    assert.equal((await stamp(elsewhere, card.serial)).status, 200);
    const id = await review({ cardSerial: card.serial });
    assert.deepEqual(await stored(id), { verified: false, serial: null });
    assert.equal((await moderated(shop, id))?.verified, false);
    assert.equal(await moderated(elsewhere, id), undefined);
  });

  it('with no serial, or an unknown one: not verified', async () => {
    const none = await review({});
    assert.deepEqual(await stored(none), { verified: false, serial: null });
    const unknown = await review({ cardSerial: 'NOSUCHSERIAL' });
    assert.deepEqual(await stored(unknown), { verified: false, serial: null });
  });

  it('migration 012 decides the reviews already there by the same rule', async () => {
    const m = await h.signUpMerchant('Migrated Shop');
    const visited = await h.join(m, { name: 'Old Visitor' });
    const later = await h.join(m, { name: 'Late Visitor' });
    await stamp(m, visited.serial);
    await stamp(m, later.serial);
    // Reviews as they were before the column: none verified. `later`'s was written before its visit.
    const { rows } = await h.db.query<{ id: string; serial: string | null }>(
      `INSERT INTO reviews (merchant_id, card_id, rating, created_at)
       SELECT $1, c.id, 4, CASE WHEN c.serial = $3 THEN now() - interval '1 day' ELSE now() END
         FROM (VALUES ($2), ($3), (NULL)) v(serial) LEFT JOIN cards c ON c.serial = v.serial
       RETURNING id, (SELECT serial FROM cards WHERE id = card_id) AS serial`,
      [m.id, visited.serial, later.serial],
    );
    const sql = readFileSync(new URL('../../server/db/migrations/012_review_verified.sql', import.meta.url), 'utf8');
    await h.db.exec(sql.slice(sql.indexOf('UPDATE reviews')));
    const verified = Object.fromEntries(
      await Promise.all(rows.map(async (r) => [r.serial ?? 'none', (await stored(r.id)).verified] as const)),
    );
    assert.deepEqual(verified, { [visited.serial]: true, [later.serial]: false, none: false });
  });
});
