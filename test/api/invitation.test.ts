// Issue 16, "The customer": a friend who opens a member's link (`?ref=CODE`) is told who invites
// them and what joining brings (the program answer's `invitation`, asked with the same `?ref=`),
// and a member's referral answer says what the friend and the member earn (`offer`), in the
// widget's language. Both say what the rules do: the signup bonus on joining, the referral
// rewards on the friend's first visit (checked here against a real first stamp).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Harness, type Merchant } from '../support/harness.ts';
import { assertProblem } from '../support/problem.ts';

let h: Harness;
/** A French stamps café: 1 stamp on joining; a referral brings the friend 2 stamps, the member 3. */
let cafe: Merchant;
/** Camille Martin-Dupont's card and code, in `cafe`. */
let camille: { serial: string; code: string };

/** Euros as French writes them (the space before € is whatever no-break space this ICU uses). */
const euros = (n: number) => new Intl.NumberFormat('fr', { style: 'currency', currency: 'EUR' }).format(n);

const codeOf = async (serial: string) =>
  (await h.db.query<{ referral_code: string }>('SELECT referral_code FROM cards WHERE serial = $1', [serial])).rows[0]!.referral_code;

async function member(m: Merchant, name: string) {
  const { serial } = await h.join(m, { name });
  return { serial, code: await codeOf(serial) };
}

before(async () => {
  h = await Harness.start();
  cafe = await h.signUpMerchant('Café Invitation');
  await h.setProgram(cafe, { locale: 'fr', signupBonus: 1, referral: { referrerReward: 3, refereeReward: 2, monthlyCap: 10 } });
  camille = await member(cafe, 'Camille Martin-Dupont');
});
after(() => h.close());

const program = (m: Merchant, query = '', headers?: Record<string, string>) =>
  h.get(`/api/public/programs/${m.program.slug}${query}`, { headers });

describe('GET /api/public/programs/:slug?ref=CODE', () => {
  it('names the member who invites, by first name, with what joining brings, in both languages', async () => {
    const res = await program(cafe, `?ref=${camille.code}`);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.invitation, {
      firstName: 'Camille',
      text: {
        en: 'Camille invites you: you get 1 stamp when you join and 2 stamps on your first visit.',
        fr: 'Camille vous invite : vous recevez 1 tampon à l’inscription et 2 tampons à votre première visite.',
      },
    });
    // The rest of the answer is the program's, as without the code.
    const { invitation: _, ...rest } = res.body;
    assert.deepEqual(rest, (await program(cafe)).body);
    // It names a member: no shared cache keeps it.
    assert.equal(res.headers.get('cache-control'), 'private, max-age=60');
  });

  it('never gives more of the name than its first word', async () => {
    for (const name of ['Camille Martin-Dupont', '  Léa\tde La Tour  ', 'Zoé  Smith Jones']) {
      const m = await member(cafe, name);
      const res = await program(cafe, `?ref=${m.code}`);
      const first = name.trim().split(/\s+/)[0]!;
      assert.equal(res.body.invitation.firstName, first);
      for (const rest of name.trim().split(/\s+/).slice(1))
        assert.ok(!res.text.includes(rest), `"${rest}" of "${name}" is not in ${res.text}`);
    }
  });

  it('says only what there is: the signup bonus alone, the referral reward alone, or nothing', async () => {
    const shop = await h.signUpMerchant('Invitation Units');
    const rita = await member(shop, 'Rita Referrer');
    const text = async () => (await program(shop, `?ref=${rita.code}`)).body.invitation.text;

    await h.setProgram(shop, { signupBonus: 2, referral: { referrerReward: 1, refereeReward: 0, monthlyCap: 10 } });
    assert.deepEqual(await text(), {
      en: 'Rita invites you: you get 2 stamps when you join.',
      fr: 'Rita vous invite : vous recevez 2 tampons à l’inscription.',
    });
    await h.setProgram(shop, { signupBonus: 0, referral: { referrerReward: 0, refereeReward: 1, monthlyCap: 10 } });
    assert.deepEqual(await text(), {
      en: 'Rita invites you: you get 1 stamp on your first visit.',
      fr: 'Rita vous invite : vous recevez 1 tampon à votre première visite.',
    });
    await h.setProgram(shop, { signupBonus: 0, referral: { referrerReward: 0, refereeReward: 0, monthlyCap: 10 } });
    assert.deepEqual(await text(), { en: 'Rita invites you.', fr: 'Rita vous invite.' });

    // In the program's unit: points, and cashback as money.
    await h.setProgram(shop, {
      type: 'points',
      pointsPerUnit: 1,
      rewards: [{ id: 'mug', name: 'Mug', points: 500, costMinor: 300 }],
      signupBonus: 1,
      referral: { referrerReward: 0, refereeReward: 50, monthlyCap: 10 },
    });
    assert.deepEqual(await text(), {
      en: 'Rita invites you: you get 1 point when you join and 50 points on your first visit.',
      fr: 'Rita vous invite : vous recevez 1 point à l’inscription et 50 points à votre première visite.',
    });
    await h.setProgram(shop, {
      type: 'cashback',
      cashbackPercent: 5,
      signupBonus: 0,
      referral: { referrerReward: 0, refereeReward: 500, monthlyCap: 10 },
    });
    assert.deepEqual(await text(), {
      en: 'Rita invites you: you get €5.00 on your first visit.',
      fr: `Rita vous invite : vous recevez ${euros(5)} à votre première visite.`,
    });
  });

  it('without ?ref= there is no invitation, and the answer stays publicly cacheable', async () => {
    const res = await program(cafe);
    assert.equal(res.status, 200);
    assert.equal('invitation' in res.body, false);
    assert.equal(res.headers.get('cache-control'), 'public, max-age=60');
  });

  describe('a code that invites nobody: the program all the same, no invitation, no error', () => {
    let other: { serial: string; code: string };
    before(async () => {
      const elsewhere = await h.signUpMerchant('Another Café');
      other = await member(elsewhere, 'Olga Other');
    });

    const cases: [string, () => string][] = [
      ['a well-formed code that is nobody’s', () => 'aaaaaaaaaa'],
      ['the code of a member of another program', () => other.code],
      ['a member’s code in capitals', () => camille.code.toUpperCase()],
      ['a member’s code with more after it', () => `${camille.code}x`],
      ['a member’s code with spaces around it', () => ` ${camille.code} `],
      ['an empty code', () => ''],
      ['5,000 characters', () => 'a'.repeat(5000)],
      ['markup', () => '"><script>alert(1)</script>'],
      ['SQL', () => "' OR 1=1 --"],
      ['a NUL character', () => 'aaaaa\u0000aaaa'],
      ['emoji', () => '🎉🎉🎉🎉🎉'],
    ];
    for (const [name, ref] of cases) {
      it(name, async () => {
        const res = await program(cafe, `?ref=${encodeURIComponent(ref())}`);
        assert.equal(res.status, 200, res.text);
        assert.equal('invitation' in res.body, false, res.text);
        assert.equal(res.body.program.name, cafe.program.name);
        assert.ok(!res.text.includes('alert(1)'));
      });
    }

    it('the code twice (?ref=…&ref=…)', async () => {
      const res = await program(cafe, `?ref=${camille.code}&ref=${camille.code}`);
      assert.equal(res.status, 200, res.text);
      assert.equal('invitation' in res.body, false);
    });

    it('an unknown program is still not found, with or without a code', async () => {
      assertProblem(await h.get(`/api/public/programs/no-such-program?ref=${camille.code}`), 404, 'not_found');
    });
  });
});

describe('GET /api/public/cards/:serial/referral: what both earn, in words', () => {
  const referral = (serial: string, query = '', headers?: Record<string, string>) =>
    h.get(`/api/public/cards/${serial}/referral${query}`, { headers });

  const FR = 'Votre ami reçoit 1 tampon à l’inscription et 2 tampons à sa première visite ; vous recevez 3 tampons à sa première visite.';
  const EN = 'Your friend gets 1 stamp when they join and 2 stamps on their first visit; you get 3 stamps on their first visit.';

  it('in the language asked with ?lang=, else the Accept-Language, else English', async () => {
    const offer = async (query: string, headers?: Record<string, string>) => {
      const res = await referral(camille.serial, query, headers);
      assert.equal(res.status, 200, res.text);
      return res.body.offer;
    };
    assert.equal(await offer('?lang=fr'), FR);
    assert.equal(await offer('?lang=en'), EN);
    assert.equal(await offer('', { 'accept-language': 'fr-FR,fr;q=0.9,en;q=0.8' }), FR);
    assert.equal(await offer('?lang=en', { 'accept-language': 'fr' }), EN, '?lang= wins: the widget’s language, not the browser’s');
    assert.equal(await offer(''), EN, 'the program is French, but nobody asked for French');
  });

  it('is true: the friend has the signup bonus on joining, then both are paid on the friend’s first visit', async () => {
    const rita = await member(cafe, 'Rita Referrer');
    const friend = await h.join(cafe, { name: 'Fred Friend', referralCode: rita.code });
    assert.equal(friend.stamps, 1, 'on joining: the signup bonus only');
    assert.equal((await h.get(`/api/public/cards/${rita.serial}`)).body.card.stamps, 1, 'the member: nothing yet');
    const first = await h.post(`/api/merchant/cards/${friend.serial}/stamps`, {}, { cookie: cafe.cookie });
    assert.equal(first.body.card.stamps, 1 + 1 + 2, 'first visit: its stamp and the 2 of the referral');
    assert.equal((await h.get(`/api/public/cards/${rita.serial}`)).body.card.stamps, 1 + 3, 'the member: 3 on the friend’s first visit');
  });

  it('says only what there is, in the program’s unit; null when nobody earns anything', async () => {
    const shop = await h.signUpMerchant('Referral Words');
    const { serial } = await member(shop, 'Wanda Words');
    const offers = async () => ({
      en: (await referral(serial, '?lang=en')).body.offer,
      fr: (await referral(serial, '?lang=fr')).body.offer,
    });
    await h.setProgram(shop, { signupBonus: 0, referral: { referrerReward: 2, refereeReward: 0, monthlyCap: 10 } });
    assert.deepEqual(await offers(), {
      en: 'You get 2 stamps on your friend’s first visit.',
      fr: 'Vous recevez 2 tampons à la première visite de votre ami.',
    });
    await h.setProgram(shop, { signupBonus: 0, referral: { referrerReward: 0, refereeReward: 1, monthlyCap: 10 } });
    assert.deepEqual(await offers(), {
      en: 'Your friend gets 1 stamp on their first visit.',
      fr: 'Votre ami reçoit 1 tampon à sa première visite.',
    });
    await h.setProgram(shop, { signupBonus: 0, referral: { referrerReward: 0, refereeReward: 0, monthlyCap: 10 } });
    assert.deepEqual(await offers(), { en: null, fr: null });
    await h.setProgram(shop, {
      type: 'cashback',
      cashbackPercent: 5,
      signupBonus: 200,
      referral: { referrerReward: 1000, refereeReward: 0, monthlyCap: 10 },
    });
    assert.deepEqual(await offers(), {
      en: 'Your friend gets €2.00 when they join; you get €10.00 on their first visit.',
      fr: `Votre ami reçoit ${euros(2)} à l’inscription ; vous recevez ${euros(10)} à sa première visite.`,
    });
  });

  it('refuses a language it does not speak, by its code', async () => {
    for (const lang of ['de', 'FR', '', 'fr-FR']) {
      assertProblem(await referral(camille.serial, `?lang=${encodeURIComponent(lang)}`), 400, 'validation_failed', ['lang']);
    }
  });
});
