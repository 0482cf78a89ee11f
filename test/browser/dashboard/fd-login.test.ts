import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../dashboard/fd-login.ts';
import type { FdLogin } from '../../../dashboard/fd-login.ts';
import { $, $$ } from '../support/dom.ts';
import { json, problem, stubFetch } from '../support/fetch.ts';

/** Fills the form with the keyboard and submits it with Enter. */
async function logIn(el: FdLogin, email = 'owner@example.com', password = 'correct horse battery') {
  $<HTMLInputElement>(el, '#email')!.focus();
  await sendKeys({ type: email });
  await sendKeys({ press: 'Tab' });
  await sendKeys({ type: password });
  await sendKeys({ press: 'Enter' });
}

const alert = (el: FdLogin) => $(el, '[role=alert]')?.textContent!.trim();

describe('<fd-login>', () => {
  let fetchStub: ReturnType<typeof stubFetch> | undefined;
  afterEach(() => fetchStub?.restore());

  it('is accessible', async () => {
    const el = await fixture<FdLogin>(html`<fd-login lang="en"></fd-login>`);
    await expect(el).to.be.accessible();
  });

  it('logs in with the keyboard, posting to the same origin, and says so', async () => {
    fetchStub = stubFetch(() => json({ merchant: { id: 'm1', name: 'Café Lune', email: 'owner@example.com' } }));
    const el = await fixture<FdLogin>(html`<fd-login lang="en"></fd-login>`);
    const signedIn = oneEvent(el, 'fd-signed-in');
    await logIn(el);
    await signedIn;
    const [call] = fetchStub.calls;
    expect(call!.method).to.equal('POST');
    expect(call!.url.href).to.equal(`${location.origin}/api/merchant/login`);
    expect(call!.body).to.deep.equal({ email: 'owner@example.com', password: 'correct horse battery' });
  });

  it("shows the server's message for wrong credentials", async () => {
    fetchStub = stubFetch(() =>
      json(
        {
          type: 'urn:fidelio:problem:unauthorized',
          title: 'Unauthorized',
          status: 401,
          code: 'unauthorized',
          detail: 'Email or password is incorrect.',
        },
        401,
      ),
    );
    const el = await fixture<FdLogin>(html`<fd-login lang="en"></fd-login>`);
    await logIn(el, 'owner@example.com', 'wrong password');
    await waitUntil(() => alert(el), 'an error is shown');
    expect(alert(el)).to.equal('Email or password is incorrect.');
  });

  it('says how long to wait after too many attempts, from Retry-After', async () => {
    fetchStub = stubFetch(() => {
      const res = problem(429, 'rate_limited');
      res.headers.set('retry-after', '42');
      return res;
    });
    const el = await fixture<FdLogin>(html`<fd-login lang="en"></fd-login>`);
    await logIn(el);
    await waitUntil(() => alert(el), 'an error is shown');
    expect(alert(el)).to.equal('Too many attempts: try again in 42 s.');
  });

  it('says when the server cannot be reached', async () => {
    fetchStub = stubFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    const el = await fixture<FdLogin>(html`<fd-login lang="en"></fd-login>`);
    await logIn(el);
    await waitUntil(() => alert(el), 'an error is shown');
    expect(alert(el)).to.contain('The server cannot be reached.');
  });

  it('speaks French', async () => {
    fetchStub = stubFetch(() => {
      const res = problem(429, 'rate_limited');
      res.headers.set('retry-after', '30');
      return res;
    });
    const el = await fixture<FdLogin>(html`<fd-login lang="fr"></fd-login>`);
    expect($$(el, 'label').map((l) => l.textContent)).to.deep.equal(['E-mail', 'Mot de passe']);
    expect($(el, 'button')!.textContent!.trim()).to.equal('Se connecter');
    await logIn(el);
    await waitUntil(() => alert(el), 'an error is shown');
    expect(alert(el)).to.equal('Trop de tentatives : réessayez dans 30 s.');
  });
});
