// The owner's texts in the other language (issue 16, "translations beyond labels"): a French
// café gives its reward and terms in English too, and each member's passes (Apple and Google)
// read them in the member's language; without them, every member reads the program's own.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TEST_DB } from '../support/db.ts';
import { Harness, type Merchant } from '../support/harness.ts';
import { openPass } from '../support/pkpass.ts';
import { assertProblem } from '../support/problem.ts';

let h: Harness;
let m: Merchant;
before(async () => {
  h = await Harness.start();
  m = await h.signUpMerchant('Café Lune');
  await h.setProgram(m, { locale: 'fr', reward: { name: 'Un café offert', costMinor: 100 }, terms: 'Valable du lundi au vendredi.' });
});
after(() => h.close());

/** The Apple pass of a card: its reward field and its terms. */
async function applePass(serial: string) {
  const res = await h.app.request(`/passes/apple/${serial}.pkpass`);
  assert.equal(res.status, 200);
  const { pass } = openPass(Buffer.from(await res.arrayBuffer()));
  const field = (area: string, key: string) => pass.storeCard[area].find((f: { key: string }) => f.key === key)?.value;
  return { reward: field('secondaryFields', 'reward'), terms: field('backFields', 'terms') };
}

/** The Google object's terms module, from the save link's JWT (the development key signs it in full). */
async function googleTerms(serial: string) {
  const res = await h.get(`/passes/google/${serial}`);
  assert.equal(res.status, 302);
  const jwt = res.headers.get('location')!.split('/').at(-1)!;
  const claims = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());
  return claims.payload.loyaltyObjects[0].textModulesData.find((t: { id: string }) => t.id === 'terms').body;
}

describe(`program translations (${TEST_DB})`, () => {
  it('a new program has none, and its members all read the program’s own texts', async () => {
    assert.deepEqual(m.program.translations, { en: { rewardName: null, terms: null }, fr: { rewardName: null, terms: null } });
    const en = await h.join(m, { locale: 'en' });
    assert.deepEqual(await applePass(en.serial), { reward: 'Un café offert', terms: 'Valable du lundi au vendredi.' });
  });

  it('an English member reads the English reward and terms on both passes; a French member the French ones', async () => {
    const saved = await h.setProgram(m, {
      translations: { en: { rewardName: '  A free coffee ', terms: 'Monday to Friday only.' }, fr: { rewardName: null, terms: null } },
    });
    assert.deepEqual(saved.translations.en, { rewardName: 'A free coffee', terms: 'Monday to Friday only.' });
    const en = await h.join(m, { locale: 'en' });
    const fr = await h.join(m, { locale: 'fr' });
    assert.deepEqual(await applePass(en.serial), { reward: 'A free coffee', terms: 'Monday to Friday only.' });
    assert.deepEqual(await applePass(fr.serial), { reward: 'Un café offert', terms: 'Valable du lundi au vendredi.' });
    assert.equal(await googleTerms(en.serial), 'Monday to Friday only.');
    assert.equal(await googleTerms(fr.serial), 'Valable du lundi au vendredi.');
  });

  it('the entry of the program’s own language is not read; no terms of their own: the default terms name the translated reward', async () => {
    await h.setProgram(m, {
      terms: null,
      translations: { en: { rewardName: 'A free coffee', terms: null }, fr: { rewardName: 'Ignoré', terms: 'Ignorées' } },
    });
    const en = await h.join(m, { locale: 'en' });
    const fr = await h.join(m, { locale: 'fr' });
    assert.deepEqual(await applePass(en.serial), {
      reward: 'A free coffee',
      terms: 'Collect 10 stamps to get: A free coffee. Extra stamps count toward the next card.',
    });
    assert.deepEqual(await applePass(fr.serial), {
      reward: 'Un café offert',
      terms: 'Cumulez 10 tampons et obtenez : Un café offert. Les tampons en plus comptent pour la carte suivante.',
    });
  });

  it('refuses an empty or overlong translation with the field’s path; a program saved without any gets none', async () => {
    for (const [texts, path] of [
      [{ rewardName: '   ', terms: null }, 'translations.en.rewardName'],
      [{ rewardName: 'x'.repeat(101), terms: null }, 'translations.en.rewardName'],
      [{ rewardName: null, terms: 'x'.repeat(2001) }, 'translations.en.terms'],
    ] as const) {
      const res = await h.put(
        '/api/merchant/program',
        { ...m.program, translations: { ...m.program.translations, en: texts } },
        { cookie: m.cookie },
      );
      assertProblem(res, 400, 'validation_failed');
      assert.ok(
        res.body.errors.some((e: { path: string }) => e.path === path),
        JSON.stringify(res.body.errors),
      );
    }
    const { translations: _, ...without } = m.program;
    const res = await h.put('/api/merchant/program', without, { cookie: m.cookie });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.program.translations.en, { rewardName: null, terms: null });
  });
});
