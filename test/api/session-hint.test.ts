// The signed-in hint (`fidelio_signed_in=1`): set beside the session cookie at signup and login,
// cleared at logout, readable by the dashboard's script, and worth nothing on its own. The
// dashboard asks GET /me only when it is there, so a signed-out visit logs no failed request;
// GET /me keeps its 401 for API users.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cookieFrom, Harness, type Merchant } from '../support/harness.ts';
import { assertProblem } from '../support/problem.ts';

let h: Harness;
let m: Merchant;
before(async () => {
  h = await Harness.start();
  m = await h.signUpMerchant('Café du Canal');
});
after(() => h.close());

/** Each `Set-Cookie` line of an answer. */
const cookies = (headers: Headers): string[] => headers.getSetCookie();
const hintOf = (headers: Headers) => cookies(headers).find((c) => c.startsWith('fidelio_signed_in='));

describe('the signed-in hint cookie', () => {
  it('login sets it beside the session: 1, for the whole site, readable by scripts, as long-lived as the session', async () => {
    const res = await h.post('/api/merchant/login', { email: m.email, password: m.password });
    assert.equal(res.status, 200);
    const [session, hint] = cookies(res.headers);
    assert.match(session!, /^fidelio_session=/, 'the session first');
    assert.match(session!, /HttpOnly/);
    assert.match(hint!, /^fidelio_signed_in=1; /);
    assert.doesNotMatch(hint!, /HttpOnly/i);
    assert.match(hint!, /; Path=\/(;|$)/);
    assert.match(hint!, /; SameSite=Lax/);
    assert.match(hint!, /; Max-Age=1209600/);
    assert.doesNotMatch(hint!, /Domain=/i);
  });

  it('signup sets it too', async () => {
    const email = `hint-${Date.now()}@example.com`;
    const res = await h.post('/api/merchant/signup', { businessName: 'Fournil', email, password: 'correct horse battery' });
    assert.equal(res.status, 201);
    assert.match(hintOf(res.headers)!, /^fidelio_signed_in=1; /);
  });

  it('logout clears it with the session', async () => {
    const login = await h.post('/api/merchant/login', { email: m.email, password: m.password });
    const out = await h.post('/api/merchant/logout', undefined, { cookie: cookieFrom(login.headers) });
    assert.equal(out.status, 204);
    assert.match(hintOf(out.headers)!, /^fidelio_signed_in=; .*Max-Age=0/);
    assert.match(cookies(out.headers)[0]!, /^fidelio_session=;/);
  });

  it('a refused login sets no cookie at all', async () => {
    const wrong = await h.post('/api/merchant/login', { email: m.email, password: 'not the password' });
    assertProblem(wrong, 401, 'unauthorized');
    assert.deepEqual(cookies(wrong.headers), []);
    const foreign = await h.post('/api/merchant/login', { email: m.email, password: m.password }, { origin: 'https://evil.example' });
    assertProblem(foreign, 403, 'forbidden');
    assert.deepEqual(cookies(foreign.headers), []);
  });

  it('grants nothing: GET /me without a session is still a 401 for API users, hint or not', async () => {
    assertProblem(await h.get('/api/merchant/me'), 401, 'unauthorized');
    assertProblem(await h.get('/api/merchant/me', { cookie: 'fidelio_signed_in=1' }), 401, 'unauthorized');
    assertProblem(await h.get('/api/merchant/program', { cookie: 'fidelio_signed_in=1' }), 401, 'unauthorized');
  });

  it('is Secure behind https', async () => {
    const https = await Harness.start({ PUBLIC_URL: 'https://fidelio.example' });
    try {
      const owner = await https.signUpMerchant();
      const login = await https.post('/api/merchant/login', { email: owner.email, password: owner.password });
      assert.match(hintOf(login.headers)!, /; Secure/);
      const out = await https.post('/api/merchant/logout', undefined, { cookie: owner.cookie });
      assert.match(hintOf(out.headers)!, /^fidelio_signed_in=; .*Max-Age=0.*; Secure/);
    } finally {
      await https.close();
    }
  });
});
