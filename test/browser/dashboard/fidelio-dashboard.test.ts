import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { LitElement } from 'lit';
import '../../../dashboard/fidelio-dashboard.ts';
import type { FdCounter } from '../../../dashboard/fd-counter.ts';
import type { FidelioDashboard } from '../../../dashboard/fidelio-dashboard.ts';
import { $, $$ } from '../support/dom.ts';
import { type Call, json, problem, stubFetch } from '../support/fetch.ts';
import type { Me } from '../../../common/api.ts';
import { cafe, owner, staff } from './fixtures.ts';

const program = cafe;

/** The session's two GETs: who is signed in, and the program. */
const signedIn = (c: Call, me: Me = owner) => (c.url.pathname === '/api/merchant/me' ? json(me) : json({ program }));
const SESSION = ['GET /api/merchant/me', 'GET /api/merchant/program'];
const calls = (stub: { calls: Call[] }) => stub.calls.map((c) => `${c.method} ${c.url.pathname}`);

const button = (el: FidelioDashboard, label: string) => $$<HTMLButtonElement>(el, 'button').find((b) => b.textContent!.trim() === label);

describe('<fidelio-dashboard>', () => {
  let fetchStub: ReturnType<typeof stubFetch> | undefined;
  afterEach(() => {
    fetchStub?.restore();
    history.replaceState(null, '', location.pathname + location.search);
    localStorage.removeItem('fidelio-dashboard-lang');
  });

  it('shows the login form without a session, then the counter once logged in', async () => {
    let session = false;
    fetchStub = stubFetch((c) => {
      if (c.url.pathname === '/api/merchant/login') {
        session = true;
        return json({ merchant: { id: 'm1' } });
      }
      return session ? signedIn(c) : problem(401, 'unauthorized');
    });
    const el = await fixture<FidelioDashboard>(html`<fidelio-dashboard lang="en"></fidelio-dashboard>`);
    await waitUntil(() => $(el, 'fd-login'), 'the login form is shown');
    expect(calls(fetchStub)).to.deep.equal(SESSION);
    await expect(el).to.be.accessible();
    const login = $(el, 'fd-login')!;
    await (login as LitElement).updateComplete;
    $<HTMLInputElement>(login, '#email')!.value = 'owner@example.com';
    $<HTMLInputElement>(login, '#password')!.value = 'correct horse battery';
    $<HTMLFormElement>(login, 'form')!.requestSubmit();
    await waitUntil(() => $(el, 'fd-counter'), 'the counter is shown');
    expect($(el, 'header')!.textContent).to.contain('Carte Café Lune');
    expect($<FdCounter>(el, 'fd-counter')!.program).to.deep.equal(program);
    expect(calls(fetchStub)).to.deep.equal([...SESSION, 'POST /api/merchant/login', ...SESSION]);
  });

  it('logs out, back to the login form', async () => {
    let session = true;
    fetchStub = stubFetch((c) => {
      if (c.url.pathname === '/api/merchant/logout') {
        session = false;
        return new Response(null, { status: 204 });
      }
      return session ? signedIn(c) : problem(401, 'unauthorized');
    });
    const el = await fixture<FidelioDashboard>(html`<fidelio-dashboard lang="en"></fidelio-dashboard>`);
    await waitUntil(() => $(el, 'fd-counter'), 'the counter is shown');
    button(el, 'Log out')!.click();
    await waitUntil(() => $(el, 'fd-login'), 'the login form is shown');
    expect(calls(fetchStub)).to.deep.equal([...SESSION, 'POST /api/merchant/logout', ...SESSION]);
    expect(button(el, 'Log out')).to.equal(undefined);
  });

  it('says the session ended when the counter meets a 401', async () => {
    let session = true;
    fetchStub = stubFetch((c) => (session ? signedIn(c) : problem(401, 'unauthorized')));
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
    fetchStub = stubFetch((c) => (down ? Promise.reject(new TypeError('Failed to fetch')) : signedIn(c)));
    const el = await fixture<FidelioDashboard>(html`<fidelio-dashboard lang="en"></fidelio-dashboard>`);
    await waitUntil(() => $(el, '[role=alert]'), 'an error is shown');
    down = false;
    button(el, 'Try again')!.click();
    await waitUntil(() => $(el, 'fd-counter'), 'the counter is shown');
  });

  it('signs up a new merchant from the login screen, then opens the counter', async () => {
    let session = false;
    fetchStub = stubFetch((c) => {
      if (c.url.pathname === '/api/merchant/signup') {
        session = true;
        return json({ merchant: { id: 'm1' }, program }, 201);
      }
      return session ? signedIn(c) : problem(401, 'unauthorized');
    });
    const el = await fixture<FidelioDashboard>(html`<fidelio-dashboard lang="en"></fidelio-dashboard>`);
    await waitUntil(() => $(el, 'fd-login'), 'the login form is shown');
    const login = $(el, 'fd-login')! as LitElement;
    await login.updateComplete;
    $$<HTMLAnchorElement>(login, 'a')
      .find((a) => a.textContent!.includes('Create an account'))!
      .click();
    await login.updateComplete;
    expect($(login, 'h1')!.textContent).to.contain('Create your loyalty program');
    await expect(el).to.be.accessible();
    $<HTMLInputElement>(login, '#businessName')!.value = 'Café Lune';
    $<HTMLInputElement>(login, '#email')!.value = 'owner@example.com';
    $<HTMLInputElement>(login, '#password')!.value = 'correct horse battery';
    $<HTMLFormElement>(login, 'form')!.requestSubmit();
    await waitUntil(() => $(el, 'fd-counter'), 'the counter is shown');
    const post = fetchStub.calls.find((c) => c.method === 'POST')!;
    expect([post.url.pathname, post.body]).to.deep.equal([
      '/api/merchant/signup',
      { email: 'owner@example.com', password: 'correct horse battery', businessName: 'Café Lune' },
    ]);
  });

  it('signup with an email already taken says so and stays on the form', async () => {
    fetchStub = stubFetch((c) => (c.url.pathname === '/api/merchant/signup' ? problem(409, 'conflict') : problem(401, 'unauthorized')));
    const el = await fixture<FidelioDashboard>(html`<fidelio-dashboard lang="fr"></fidelio-dashboard>`);
    await waitUntil(() => $(el, 'fd-login'), 'the login form is shown');
    const login = $(el, 'fd-login')! as LitElement;
    login.setAttribute('signup', '');
    await login.updateComplete;
    $<HTMLInputElement>(login, '#businessName')!.value = 'Café Lune';
    $<HTMLInputElement>(login, '#email')!.value = 'owner@example.com';
    $<HTMLInputElement>(login, '#password')!.value = 'correct horse battery';
    $<HTMLFormElement>(login, 'form')!.requestSubmit();
    await waitUntil(() => $(login, '[role=alert]'), 'an error is shown');
    expect($(login, '[role=alert]')!.textContent).to.contain('Un compte existe déjà');
    expect($(el, 'fd-counter')).to.equal(null);
  });

  it('the owner sees every screen in the menu; a screen opens from its link (its code loaded then)', async () => {
    fetchStub = stubFetch((c) => signedIn(c));
    const el = await fixture<FidelioDashboard>(html`<fidelio-dashboard lang="en"></fidelio-dashboard>`);
    await waitUntil(() => $(el, 'fd-counter'), 'the counter is shown');
    const links = $$<HTMLAnchorElement>(el, 'nav a');
    expect(links.map((a) => a.getAttribute('href'))).to.deep.equal([
      '#counter',
      '#customers',
      '#program',
      '#design',
      '#messages',
      '#reviews',
      '#kpis',
      '#embed',
      '#staff',
      '#webhooks',
      '#import',
    ]);
    expect(links[0]!.getAttribute('aria-current')).to.equal('page');
    links.find((a) => a.textContent === 'Program')!.click();
    await waitUntil(() => $(el, 'fd-program'), 'the program screen is shown');
    const screen = $(el, 'fd-program') as LitElement & { program: unknown; me: unknown };
    expect(customElements.get('fd-program')).to.not.equal(undefined);
    expect([screen.program, screen.me, screen.getAttribute('lang')]).to.deep.equal([program, owner, 'en']);
    expect($(el, 'nav a[aria-current=page]')!.textContent).to.equal('Program');
    await expect(el).to.be.accessible();
  });

  it('staff see the counter and customers only; an owner page by its address says it is for the owner', async () => {
    fetchStub = stubFetch((c) => signedIn(c, staff));
    location.hash = '#kpis';
    const el = await fixture<FidelioDashboard>(html`<fidelio-dashboard lang="en"></fidelio-dashboard>`);
    await waitUntil(() => $(el, 'nav'), 'the menu is shown');
    expect($$<HTMLAnchorElement>(el, 'nav a').map((a) => a.getAttribute('href'))).to.deep.equal(['#counter', '#customers']);
    expect($(el, '[role=alert]')!.textContent).to.contain('Only the owner');
    expect($(el, 'fd-kpis')).to.equal(null);
    location.hash = '#counter';
    await waitUntil(() => $(el, 'fd-counter'), 'the counter is shown');
  });

  it('a saved program (fd-program-changed) shows in the header', async () => {
    fetchStub = stubFetch((c) => signedIn(c));
    const el = await fixture<FidelioDashboard>(html`<fidelio-dashboard lang="en"></fidelio-dashboard>`);
    await waitUntil(() => $(el, 'fd-counter'), 'the counter is shown');
    $(el, 'fd-counter')!.dispatchEvent(
      new CustomEvent('fd-program-changed', { detail: { ...program, name: 'Lune & Co' }, bubbles: true, composed: true }),
    );
    await el.updateComplete;
    expect($(el, 'header strong')!.textContent).to.equal('Lune & Co');
  });
});
