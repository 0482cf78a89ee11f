import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { LitElement } from 'lit';
import '../../../dashboard/fidelio-dashboard.ts';
import type { FdCounter } from '../../../dashboard/fd-counter.ts';
import type { FidelioDashboard } from '../../../dashboard/fidelio-dashboard.ts';
import { $, $$ } from '../support/dom.ts';
import { json, problem, stubFetch } from '../support/fetch.ts';

const program = {
  slug: 'cafe-lune',
  name: 'Carte Café Lune',
  type: 'stamps',
  currency: 'EUR',
  stampsRequired: 10,
  reward: { name: 'Café' },
  rewards: [],
};

const button = (el: FidelioDashboard, label: string) => $$<HTMLButtonElement>(el, 'button').find((b) => b.textContent!.trim() === label);

describe('<fidelio-dashboard>', () => {
  let fetchStub: ReturnType<typeof stubFetch> | undefined;
  afterEach(() => {
    fetchStub?.restore();
    localStorage.removeItem('fidelio-dashboard-lang');
  });

  it('shows the login form without a session, then the counter once logged in', async () => {
    let session = false;
    fetchStub = stubFetch((c) => {
      if (c.url.pathname === '/api/merchant/login') {
        session = true;
        return json({ merchant: { id: 'm1' } });
      }
      return session ? json({ program }) : problem(401, 'unauthorized');
    });
    const el = await fixture<FidelioDashboard>(html`<fidelio-dashboard lang="en"></fidelio-dashboard>`);
    await waitUntil(() => $(el, 'fd-login'), 'the login form is shown');
    expect(fetchStub.calls.map((c) => `${c.method} ${c.url.pathname}`)).to.deep.equal(['GET /api/merchant/program']);
    await expect(el).to.be.accessible();
    const login = $(el, 'fd-login')!;
    await (login as LitElement).updateComplete;
    $<HTMLInputElement>(login, '#email')!.value = 'owner@example.com';
    $<HTMLInputElement>(login, '#password')!.value = 'correct horse battery';
    $<HTMLFormElement>(login, 'form')!.requestSubmit();
    await waitUntil(() => $(el, 'fd-counter'), 'the counter is shown');
    expect($(el, 'header')!.textContent).to.contain('Carte Café Lune');
    expect($<FdCounter>(el, 'fd-counter')!.program).to.deep.equal(program);
    expect(fetchStub.calls.map((c) => `${c.method} ${c.url.pathname}`)).to.deep.equal([
      'GET /api/merchant/program',
      'POST /api/merchant/login',
      'GET /api/merchant/program',
    ]);
  });

  it('logs out, back to the login form', async () => {
    let session = true;
    fetchStub = stubFetch((c) => {
      if (c.url.pathname === '/api/merchant/logout') {
        session = false;
        return new Response(null, { status: 204 });
      }
      return session ? json({ program }) : problem(401, 'unauthorized');
    });
    const el = await fixture<FidelioDashboard>(html`<fidelio-dashboard lang="en"></fidelio-dashboard>`);
    await waitUntil(() => $(el, 'fd-counter'), 'the counter is shown');
    button(el, 'Log out')!.click();
    await waitUntil(() => $(el, 'fd-login'), 'the login form is shown');
    expect(fetchStub.calls.map((c) => `${c.method} ${c.url.pathname}`)).to.deep.equal([
      'GET /api/merchant/program',
      'POST /api/merchant/logout',
      'GET /api/merchant/program',
    ]);
    expect(button(el, 'Log out')).to.equal(undefined);
  });

  it('says the session ended when the counter meets a 401', async () => {
    let session = true;
    fetchStub = stubFetch(() => (session ? json({ program }) : problem(401, 'unauthorized')));
    const el = await fixture<FidelioDashboard>(html`<fidelio-dashboard lang="en"></fidelio-dashboard>`);
    await waitUntil(() => $(el, 'fd-counter'), 'the counter is shown');
    session = false;
    $(el, 'fd-counter')!.dispatchEvent(new CustomEvent('fd-signed-out', { bubbles: true, composed: true }));
    await waitUntil(() => $(el, 'fd-login'), 'the login form is shown');
    expect($(el, '[role=alert]')!.textContent).to.contain('Your session has ended');
  });

  it('switches between English and French, and passes the language down', async () => {
    fetchStub = stubFetch(() => problem(401, 'unauthorized'));
    const el = await fixture<FidelioDashboard>(html`<fidelio-dashboard lang="en"></fidelio-dashboard>`);
    await waitUntil(() => $(el, 'fd-login'), 'the login form is shown');
    button(el, 'Français')!.click();
    await el.updateComplete;
    expect($(el, 'fd-login')!.getAttribute('lang')).to.equal('fr');
    expect(button(el, 'English')).to.not.equal(undefined);
    expect(localStorage.getItem('fidelio-dashboard-lang')).to.equal('fr');
    expect(document.documentElement.lang).to.equal('fr');
    document.documentElement.lang = 'en';
  });

  it('offers a retry when the server cannot be reached', async () => {
    let down = true;
    fetchStub = stubFetch(() => (down ? Promise.reject(new TypeError('Failed to fetch')) : json({ program })));
    const el = await fixture<FidelioDashboard>(html`<fidelio-dashboard lang="en"></fidelio-dashboard>`);
    await waitUntil(() => $(el, '[role=alert]'), 'an error is shown');
    down = false;
    button(el, 'Try again')!.click();
    await waitUntil(() => $(el, 'fd-counter'), 'the counter is shown');
  });
});
