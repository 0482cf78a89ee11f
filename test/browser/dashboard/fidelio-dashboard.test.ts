import { expect, fixture, html, nextFrame, waitUntil } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import type { LitElement } from 'lit';
import '../../../dashboard/fidelio-dashboard.ts';
import type { FdCounter } from '../../../dashboard/fd-counter.ts';
import type { FidelioDashboard } from '../../../dashboard/fidelio-dashboard.ts';
import { $, $$ } from '../support/dom.ts';
import { type Call, json, problem, stubFetch } from '../support/fetch.ts';
import type { Me } from '../../../common/api.ts';
import { cafe, kpis, owner, staff } from './fixtures.ts';

const program = cafe;

/** The session's two GETs (who is signed in, and the program), and what the screens opened here ask first. */
function signedIn(c: Call, me: Me = owner): Response {
  if (c.url.pathname === '/api/merchant/me') return json(me);
  if (c.url.pathname === '/api/merchant/program') return json({ program });
  if (c.url.pathname === '/api/merchant/kpis') return json(kpis());
  if (c.url.pathname === '/api/merchant/webhooks') return json({ webhooks: [] });
  return problem(404, 'not_found');
}
const SESSION = ['GET /api/merchant/me', 'GET /api/merchant/program'];
const calls = (stub: { calls: Call[] }) => stub.calls.map((c) => `${c.method} ${c.url.pathname}`);

const button = (el: FidelioDashboard, label: string) => $$<HTMLButtonElement>(el, 'button').find((b) => b.textContent!.trim() === label);

/** The cookie the server sets beside the session's at login: with it, the dashboard asks who is signed in. */
const HINT = 'fidelio_signed_in';
const hinted = () => document.cookie.split(';').some((c) => c.trim() === `${HINT}=1`);
function signedInBefore(on = true) {
  document.cookie = on ? `${HINT}=1; Path=/` : `${HINT}=; Max-Age=0; Path=/`;
}

describe('<fidelio-dashboard>', () => {
  let fetchStub: ReturnType<typeof stubFetch> | undefined;
  afterEach(() => {
    fetchStub?.restore();
    history.replaceState(null, '', location.pathname + location.search);
    localStorage.removeItem('fidelio-dashboard-lang');
    signedInBefore(false);
  });

  it('shows the login form without a session, asking nothing, then the counter once logged in', async () => {
    let session = false;
    fetchStub = stubFetch((c) => {
      if (c.url.pathname === '/api/merchant/login') {
        session = true;
        return json({ merchant: owner.merchant });
      }
      return session ? signedIn(c) : problem(401, 'unauthorized');
    });
    const el = await fixture<FidelioDashboard>(html`<fidelio-dashboard lang="en"></fidelio-dashboard>`);
    await waitUntil(() => $(el, 'fd-login'), 'the login form is shown');
    expect(calls(fetchStub), 'no GET /me that would fail with a 401').to.deep.equal([]);
    await expect(el).to.be.accessible();
    const login = $(el, 'fd-login')!;
    await (login as LitElement).updateComplete;
    $<HTMLInputElement>(login, '#email')!.value = 'owner@example.com';
    $<HTMLInputElement>(login, '#password')!.value = 'correct horse battery';
    $<HTMLFormElement>(login, 'form')!.requestSubmit();
    await waitUntil(() => $(el, 'fd-counter'), 'the counter is shown');
    expect($(el, 'header')!.textContent).to.contain('Carte Café Lune');
    expect($<FdCounter>(el, 'fd-counter')!.program).to.deep.equal(program);
    expect(calls(fetchStub)).to.deep.equal(['POST /api/merchant/login', ...SESSION]);
  });

  it('a signed-out start sends no request at all: nothing fails with a 4xx in the console', async () => {
    // Each request is recorded as it is made. Without the hint the shell decides as it connects,
    // before its first render, to show the login form and ask nothing: once the form is shown, any
    // request it would have made is already there.
    fetchStub = stubFetch(() => problem(401, 'unauthorized'));
    const el = await fixture<FidelioDashboard>(html`<fidelio-dashboard lang="fr"></fidelio-dashboard>`);
    await waitUntil(() => $(el, 'fd-login'), 'the login form is shown');
    await ($(el, 'fd-login') as LitElement).updateComplete;
    expect(calls(fetchStub)).to.deep.equal([]);
  });

  it('a hint that outlived its session: one 401, then the login form, and the hint is dropped', async () => {
    signedInBefore();
    fetchStub = stubFetch(() => problem(401, 'unauthorized'));
    const el = await fixture<FidelioDashboard>(html`<fidelio-dashboard lang="en"></fidelio-dashboard>`);
    await waitUntil(() => $(el, 'fd-login'), 'the login form is shown');
    expect(calls(fetchStub)).to.deep.equal(SESSION);
    expect(hinted()).to.equal(false);
    expect($(el, '[role=alert]')).to.equal(null);
  });

  it('logs out, back to the login form, without asking again who is signed in', async () => {
    signedInBefore();
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
    expect(calls(fetchStub)).to.deep.equal([...SESSION, 'POST /api/merchant/logout']);
    expect(button(el, 'Log out')).to.equal(undefined);
    expect(hinted()).to.equal(false);
  });

  it('says the session ended when the counter meets a 401', async () => {
    signedInBefore();
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
    signedInBefore();
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
        return json({ merchant: owner.merchant, program }, 201);
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
    signedInBefore();
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
    signedInBefore();
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
    signedInBefore();
    fetchStub = stubFetch((c) => signedIn(c));
    const el = await fixture<FidelioDashboard>(html`<fidelio-dashboard lang="en"></fidelio-dashboard>`);
    await waitUntil(() => $(el, 'fd-counter'), 'the counter is shown');
    $(el, 'fd-counter')!.dispatchEvent(
      new CustomEvent('fd-program-changed', { detail: { ...program, name: 'Lune & Co' }, bubbles: true, composed: true }),
    );
    await el.updateComplete;
    expect($(el, 'header strong')!.textContent).to.equal('Lune & Co');
  });

  describe('on a phone (390 × 844)', () => {
    before(() => setViewport({ width: 390, height: 844 }));
    after(() => setViewport({ width: 800, height: 600 }));

    it('shows the whole program name, on two lines if need be', async () => {
      signedInBefore();
      fetchStub = stubFetch((c) =>
        c.url.pathname === '/api/merchant/me' ? json(owner) : json({ program: { ...program, name: 'Carte Café Lune du Canal' } }),
      );
      const el = await fixture<FidelioDashboard>(html`<fidelio-dashboard lang="fr"></fidelio-dashboard>`);
      await waitUntil(() => $(el, 'fd-counter'), 'the counter is shown');
      const title = $(el, 'header strong')!;
      expect(title.textContent).to.equal('Carte Café Lune du Canal');
      expect(title.scrollWidth, 'nothing cut').to.be.at.most(title.clientWidth);
      expect(getComputedStyle(title).textOverflow).to.not.equal('ellipsis');
      expect(title.getBoundingClientRect().right).to.be.at.most(390);
    });

    it('the menu strip shows it scrolls: a fade and an arrow at the end hiding links, then at the start', async () => {
      signedInBefore();
      fetchStub = stubFetch((c) => signedIn(c));
      const el = await fixture<FidelioDashboard>(html`<fidelio-dashboard lang="fr"></fidelio-dashboard>`);
      await waitUntil(() => $(el, 'fd-counter'), 'the counter is shown');
      const nav = $(el, 'nav')!;
      const shown = (end: 'start' | 'end') => getComputedStyle($(el, `.more.${end}`)!).opacity === '1';
      expect(nav.scrollWidth, 'the links do not fit').to.be.above(nav.clientWidth);
      await waitUntil(() => shown('end') && !shown('start'), 'the end fades out');
      expect($(el, '.more.end')!.textContent).to.equal('›');
      expect($(el, '.more.end')!.getAttribute('aria-hidden')).to.equal('true');
      const fade = $(el, '.more.end')!.getBoundingClientRect();
      expect(fade.right).to.be.at.most(390);
      nav.scrollLeft = nav.scrollWidth;
      await waitUntil(() => shown('start') && !shown('end'), 'at the end of the strip, the start fades out');
      // "Apparence", no longer "Carte" (the card's look, not the counter's card).
      expect($$(el, 'nav a').map((a) => a.textContent))
        .to.include('Apparence')
        .and.not.include('Carte');
    });

    it('scrolls the strip to the open screen’s link when it is out of sight', async () => {
      signedInBefore();
      fetchStub = stubFetch((c) => signedIn(c));
      location.hash = '#webhooks';
      const el = await fixture<FidelioDashboard>(html`<fidelio-dashboard lang="fr"></fidelio-dashboard>`);
      await waitUntil(() => $(el, 'nav a[aria-current=page]'), 'the menu is shown');
      const strip = $(el, 'nav')!.getBoundingClientRect();
      const link = $(el, 'nav a[aria-current=page]')!.getBoundingClientRect();
      expect(link.left).to.be.at.least(strip.left);
      expect(link.right).to.be.at.most(strip.right);
      await waitUntil(() => getComputedStyle($(el, '.more.start')!).opacity === '1', 'links hidden at the start, said so');
    });

    it('no fade when every link fits', async () => {
      signedInBefore();
      fetchStub = stubFetch((c) => signedIn(c, staff));
      const el = await fixture<FidelioDashboard>(html`<fidelio-dashboard lang="fr"></fidelio-dashboard>`);
      await waitUntil(() => $(el, 'fd-counter'), 'the counter is shown');
      // The strip's ResizeObserver reports in the frame after the menu is shown, before the next
      // frame's callbacks: two frames on, what it measured is rendered.
      await nextFrame();
      await nextFrame();
      await el.updateComplete;
      expect($(el, '.menu')!.className.split(/\s+/)).to.not.include('start').and.not.include('end');
    });
  });

  describe('unsaved changes', () => {
    let asked: string[] = [];
    let answer = false;
    const confirm = window.confirm;
    beforeEach(() => {
      asked = [];
      window.confirm = (message?: string) => (asked.push(message ?? ''), answer);
    });
    afterEach(() => (window.confirm = confirm));

    /** The program editor open, its name changed and not saved. */
    async function editing() {
      signedInBefore();
      fetchStub = stubFetch((c) => signedIn(c));
      location.hash = '#program';
      const el = await fixture<FidelioDashboard>(html`<fidelio-dashboard lang="fr"></fidelio-dashboard>`);
      await waitUntil(() => $(el, 'fd-program') && $($(el, 'fd-program')!, '#f-name'), 'the program editor is shown');
      const name = $<HTMLInputElement>($(el, 'fd-program')!, '#f-name')!;
      name.value = 'Carte Café Lune bis';
      name.dispatchEvent(new InputEvent('input'));
      await ($(el, 'fd-program') as LitElement).updateComplete;
      return el;
    }

    const link = (el: FidelioDashboard, href: string) => $<HTMLAnchorElement>(el, `nav a[href="${href}"]`)!;

    it('a menu link asks first; "Cancel" keeps the screen and its changes', async () => {
      const el = await editing();
      answer = false;
      link(el, '#counter').click();
      // A link to a fragment changes the address as it is clicked: refused, it has not moved.
      await el.updateComplete;
      expect(asked).to.deep.equal(['Quitter cette page sans enregistrer vos modifications ?']);
      expect(location.hash).to.equal('#program');
      expect($<HTMLInputElement>($(el, 'fd-program')!, '#f-name')!.value).to.equal('Carte Café Lune bis');
      answer = true;
      link(el, '#counter').click();
      await waitUntil(() => $(el, 'fd-counter'), 'the counter is shown');
      expect(asked).to.have.length(2);
    });

    it('so do the Back button (the address goes back) and logging out', async () => {
      const el = await editing();
      answer = false;
      location.hash = '#kpis';
      // Asked as the address changed, and put back there and then.
      await waitUntil(() => asked.length === 1, 'asked');
      await el.updateComplete;
      expect(location.hash).to.equal('#program');
      expect($(el, 'fd-program')).to.not.equal(null);
      button(el, 'Se déconnecter')!.click();
      expect(asked).to.have.length(2);
      expect(calls(fetchStub!)).to.not.include('POST /api/merchant/logout');
    });

    it('asks nothing when nothing changed', async () => {
      signedInBefore();
      fetchStub = stubFetch((c) => signedIn(c));
      location.hash = '#program';
      const el = await fixture<FidelioDashboard>(html`<fidelio-dashboard lang="en"></fidelio-dashboard>`);
      await waitUntil(() => $(el, 'fd-program'), 'the program editor is shown');
      link(el, '#counter').click();
      await waitUntil(() => $(el, 'fd-counter'), 'the counter is shown');
      expect(asked).to.deep.equal([]);
    });
  });
});
