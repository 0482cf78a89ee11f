import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import '../../widget/index.ts';
import { define } from '../../common/define.ts';
import { FidelioWidget } from '../../widget/fidelio-widget.ts';
import { $, $$, focused, text } from './support/dom.ts';
import { API, type Answer, type Call, cardAnswer, json, never, problem, program, stubFetch } from './support/fetch.ts';

const KEY = 'fidelio:cafe-lune';
const SERIAL = 'abcdefghijklmnopqrstuvwxyz';

/** The demo program's public API, with `overrides` per "METHOD /path". */
function api(overrides: Record<string, Answer> = {}): Answer {
  const routes: Record<string, Answer> = {
    'GET /api/public/programs/cafe-lune': () => json(program),
    'POST /api/public/programs/cafe-lune/signup': (c: Call) =>
      json(cardAnswer({ serial: SERIAL, stamps: 1, customerName: (c.body as { name: string }).name }), 201),
    [`GET /api/public/cards/${SERIAL}`]: () => json(cardAnswer({ serial: SERIAL, stamps: 4 })),
    [`GET /api/public/cards/${SERIAL}/referral`]: () =>
      json({ code: 'CAMI42', url: 'https://cafe.test/?ref=CAMI42', invited: 0, joined: 0, rewarded: 0, offer: null }),
    ...overrides,
  };
  return (call) => (routes[`${call.method} ${call.url.pathname}`] ?? (() => problem(404, 'not_found')))(call);
}

async function widget(attrs = html`<fidelio-widget program="cafe-lune" api=${API} lang="en"></fidelio-widget>`) {
  const el = await fixture<FidelioWidget>(attrs);
  await waitUntil(() => $(el, 'form, fidelio-card, [role=alert]'), 'the widget has loaded');
  return el;
}

const input = (el: Element, name: string) => $<HTMLInputElement>(el, `[name=${name}]`)!;

function fill(el: Element, values: Record<string, string>) {
  for (const [name, value] of Object.entries(values)) input(el, name).value = value;
}

/** Presses Tab until `name`'s field has the focus. */
async function tabTo(name: string) {
  for (let i = 0; i < 20 && (focused() as HTMLInputElement | null)?.name !== name; i++) await sendKeys({ press: 'Tab' });
  expect((focused() as HTMLInputElement).name).to.equal(name);
}

describe('<fidelio-widget>', () => {
  let stub: ReturnType<typeof stubFetch>;
  beforeEach(() => localStorage.removeItem(KEY));
  afterEach(() => stub?.restore());

  it('is accessible, with the join form', async () => {
    stub = stubFetch(api());
    const el = await widget();
    await expect(el).to.be.accessible();
  });

  it('shows a loading state, then the program and its join form', async () => {
    let release!: () => void;
    const answer = api();
    stub = stubFetch((c) => (c.url.pathname.endsWith('/cafe-lune') ? new Promise((r) => (release = () => r(answer(c)))) : answer(c)));
    const el = await fixture<FidelioWidget>(html`<fidelio-widget program="cafe-lune" api=${API} lang="en"></fidelio-widget>`);
    expect($(el, '[role=status]')!.textContent).to.equal('Loading…');
    release();
    await waitUntil(() => $(el, 'form'), 'the form is shown');
    expect($(el, 'h2')!.textContent).to.equal('Carte Café Lune');
    expect(text(el)).to.contain('Collect 10 stamps and get: Un café offert.');
    for (const field of $$<HTMLInputElement>(el, 'input')) expect(field.labels, field.name).to.have.length(1);
    expect(input(el, 'terms').required).to.equal(true);
    expect(input(el, 'marketing').checked).to.equal(false);
    expect(input(el, 'marketing').required).to.equal(false);
  });

  it('points out missing fields without sending anything', async () => {
    stub = stubFetch(api());
    const el = await widget();
    $<HTMLButtonElement>(el, '[type=submit]')!.click();
    await el.updateComplete;
    expect($(el, '[role=alert]')!.textContent).to.equal('Please check the highlighted fields.');
    expect(input(el, 'name').getAttribute('aria-invalid')).to.equal('true');
    expect($(el, '#name-err')!.textContent).to.equal('Please fill in this field.');
    expect(input(el, 'name').getAttribute('aria-describedby')).to.equal('name-err');
    expect($(el, '#terms-err')!.textContent).to.equal('Please accept the terms to join.');
    expect(input(el, 'phone').getAttribute('aria-invalid')).to.equal('false');
    expect(focused()).to.equal(input(el, 'name'));
    expect(stub.calls.filter((c) => c.method === 'POST')).to.have.length(0);
  });

  it('asks for a real email address', async () => {
    stub = stubFetch(api());
    const el = await widget();
    fill(el, { name: 'Camille', email: 'not-an-email' });
    input(el, 'terms').click();
    $<HTMLButtonElement>(el, '[type=submit]')!.click();
    await el.updateComplete;
    expect($(el, '#email-err')!.textContent).to.equal('Example: name@example.com');
    expect(focused()).to.equal(input(el, 'email'));
  });

  it('joins with the keyboard alone, then shows the new card with its welcome gift', async () => {
    stub = stubFetch(api());
    const el = await widget();
    const joined = oneEvent(el, 'fidelio-join');
    await tabTo('name');
    await sendKeys({ type: 'Camille Martin' });
    await tabTo('email');
    await sendKeys({ type: 'camille@example.com' });
    await tabTo('terms');
    await sendKeys({ press: 'Space' });
    await tabTo('marketing');
    await sendKeys({ press: 'Tab' });
    expect(focused()?.getAttribute('type')).to.equal('submit');
    await sendKeys({ press: 'Enter' });

    const event = await joined;
    expect(event.detail.card.serial).to.equal(SERIAL);
    const post = stub.calls.find((c) => c.method === 'POST')!;
    expect(post.url.href).to.equal(`${API}/api/public/programs/cafe-lune/signup`);
    expect(post.body).to.deep.equal({
      name: 'Camille Martin',
      email: 'camille@example.com',
      consent: { terms: true, marketing: false },
      locale: 'en',
    });
    await waitUntil(() => $(el, 'fidelio-card'), 'the card replaces the form');
    const card = $(el, 'fidelio-card')!;
    await waitUntil(() => $(card, '[part=card]'), 'the card has rendered');
    expect($$(card, '.stamps .on')).to.have.length(1);
    expect(text(card)).to.contain('Includes your welcome gift: +1 stamp');
    expect(text(el)).to.contain('Welcome, Camille Martin! Your card is ready.');
    expect(focused()).to.equal($(el, '.welcome'));
    expect(localStorage.getItem(KEY)).to.equal(SERIAL);
  });

  it('sends the optional fields, the marketing consent and the ?ref= code of the page', async () => {
    const url = location.href;
    history.replaceState(null, '', '?ref=FRIEND42');
    try {
      stub = stubFetch(api());
      const el = await widget();
      fill(el, { name: 'Léa', email: 'lea@example.com', phone: '+33 6 12 34 56 78', birthday: '1990-04-21' });
      input(el, 'terms').click();
      input(el, 'marketing').click();
      $<HTMLButtonElement>(el, '[type=submit]')!.click();
      await waitUntil(() => stub.calls.some((c) => c.method === 'POST'), 'the form was sent');
      expect(stub.calls.find((c) => c.method === 'POST')!.body).to.deep.equal({
        name: 'Léa',
        email: 'lea@example.com',
        phone: '+33 6 12 34 56 78',
        birthday: '1990-04-21',
        consent: { terms: true, marketing: true },
        referralCode: 'FRIEND42',
        locale: 'en',
      });
    } finally {
      history.replaceState(null, '', url);
    }
  });

  it('says kindly that an email is already a member', async () => {
    stub = stubFetch(api({ 'POST /api/public/programs/cafe-lune/signup': () => problem(409, 'already_member') }));
    const el = await widget();
    fill(el, { name: 'Camille', email: 'camille@example.com' });
    input(el, 'terms').click();
    $<HTMLButtonElement>(el, '[type=submit]')!.click();
    await waitUntil(() => $(el, '[role=alert]'), 'a message is shown');
    expect($(el, '[role=alert]')!.textContent).to.equal('This email is already a member.');
    expect($(el, 'form')).to.not.equal(null);
    // The card comes back by e-mail, from the program's page on the server (the widget stays small).
    const recover = $<HTMLAnchorElement>(el, 'form a.link')!;
    expect(recover.textContent).to.equal('Already a member? Get your card by email');
    expect(recover.href).to.equal(`${API}/j/cafe-lune#recover`);
  });

  it('marks the fields the server refused', async () => {
    stub = stubFetch(
      api({
        'POST /api/public/programs/cafe-lune/signup': () =>
          problem(400, 'validation_failed', [{ path: 'email', message: 'Invalid email' }]),
      }),
    );
    const el = await widget();
    fill(el, { name: 'Camille', email: 'camille@localhost' });
    input(el, 'terms').click();
    $<HTMLButtonElement>(el, '[type=submit]')!.click();
    await waitUntil(() => input(el, 'email').getAttribute('aria-invalid') === 'true', 'the email is marked');
    expect($(el, '#email-err')!.textContent).to.equal('This value is not valid.');
  });

  it('says when the service is down, with one console line, and recovers on retry', async () => {
    let down = true;
    const warnings: unknown[][] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      stub = stubFetch(api({ 'GET /api/public/programs/cafe-lune': () => (down ? problem(500, 'internal_error') : json(program)) }));
      const el = await widget();
      expect($(el, '[role=alert]')!.textContent).to.contain('The loyalty service cannot be reached.');
      $(el, '[role=alert] button')!.click();
      await el.updateComplete;
      expect($(el, '[role=status]')!.textContent).to.equal('Loading…');
      await waitUntil(() => $(el, '[role=alert]'), 'the retry failed too');
      expect(stub.calls).to.have.length(2);
      expect(warnings.filter((w) => String(w[0]).startsWith('[fidelio]'))).to.have.length(1);
      down = false;
      $(el, '[role=alert] button')!.click();
      await waitUntil(() => $(el, 'form'), 'the form is shown');
    } finally {
      console.warn = warn;
    }
  });

  it('shows a retry message, never a blank box, when the API is slow', async () => {
    stub = stubFetch(never);
    const el = await fixture<FidelioWidget>(html`<fidelio-widget program="cafe-lune" api=${API} lang="en" timeout="50"></fidelio-widget>`);
    expect(text(el).trim()).to.equal('Loading…');
    await waitUntil(() => $(el, '[role=alert]'), 'the retry message is shown');
    expect(text(el)).to.contain('The loyalty service cannot be reached.').and.contain('Try again');
  });

  it('shows a returning visitor their card, with tabs to review and invite', async () => {
    localStorage.setItem(KEY, SERIAL);
    stub = stubFetch(api());
    const el = await widget();
    await waitUntil(() => $(el, 'fidelio-card'), 'the card is shown');
    expect($(el, 'form')).to.equal(null);
    expect($$(el, '[role=tab]').map((t) => t.textContent!.trim())).to.deep.equal(['My card', 'Review', 'Invite']);
    await expect(el).to.be.accessible();

    $(el, '#tab-card')!.focus();
    await sendKeys({ press: 'ArrowRight' });
    expect(focused()).to.equal($(el, '#tab-review'));
    expect($(el, '#tab-review')!.getAttribute('aria-selected')).to.equal('true');
    expect($(el, '#panel-card')!.hidden).to.equal(true);
    const review = $(el, '#panel-review fidelio-review')!;
    expect(review.getAttribute('card-serial')).to.equal(SERIAL);
    expect(review.getAttribute('google-review-url')).to.equal(program.googleReviewUrl);
    // Signed, by default, with the first name and the last name's initial, not the full name.
    expect(review.getAttribute('name')).to.equal('Camille M.');

    await sendKeys({ press: 'ArrowRight' });
    expect($(el, '#panel-invite fidelio-referral')!.getAttribute('serial')).to.equal(SERIAL);
    await sendKeys({ press: 'ArrowRight' });
    expect(focused()).to.equal($(el, '#tab-card'));
    await sendKeys({ press: 'ArrowLeft' });
    expect(focused()).to.equal($(el, '#tab-invite'));
  });

  it('shows the logo on the merchant’s colour (a white logo shows), centred with the title', async () => {
    localStorage.setItem(KEY, SERIAL);
    const withLogo = { ...program, merchant: { ...program.merchant, logoUrl: 'data:image/gif;base64,R0lGODlhAQABAAAAACw=' } };
    stub = stubFetch(api({ 'GET /api/public/programs/cafe-lune': () => json(withLogo) }));
    const el = await widget();
    await waitUntil(() => $(el, '.head img'), 'the logo is shown');
    expect(getComputedStyle($(el, '.head img')!).backgroundColor).to.equal('rgb(59, 47, 47)');
    const head = $(el, '.head')!.getBoundingClientRect();
    const first = $(el, '.head img')!.getBoundingClientRect();
    const last = $(el, '.head h2')!.getBoundingClientRect();
    expect(Math.abs(first.left - head.left - (head.right - last.right))).to.be.below(2);
  });

  it('says the launch-week bonus on the join form while the program has one', async () => {
    // The server writes the sentence, in each language: the widget shows the visitor's.
    const words = {
      en: 'Launch offer: 2 stamps extra when you join by March 10',
      fr: 'Offre de lancement : 2 tampons en plus pour toute inscription jusqu’au 10 mars',
    };
    const launching = {
      ...program,
      program: { ...program.program, launchBonus: { amount: 2, endsAt: '2027-03-10T12:00:00.000Z', text: words } },
    };
    stub = stubFetch(api({ 'GET /api/public/programs/cafe-lune': () => json(launching) }));
    const en = await widget();
    expect($(en, 'form .alert.ok')!.textContent!.trim()).to.equal('Launch offer: 2 stamps extra when you join by March 10');
    await expect(en).to.be.accessible();
    const fr = await widget(html`<fidelio-widget program="cafe-lune" api=${API} lang="fr"></fidelio-widget>`);
    expect($(fr, 'form .alert.ok')!.textContent!.trim()).to.equal(
      'Offre de lancement : 2 tampons en plus pour toute inscription jusqu’au 10 mars',
    );

    stub.restore();
    stub = stubFetch(
      api({ 'GET /api/public/programs/cafe-lune': () => json({ ...program, program: { ...program.program, launchBonus: null } }) }),
    );
    const none = await widget();
    expect($(none, 'form')).not.to.equal(null);
    expect($(none, 'form .alert.ok')).to.equal(null);
    expect(text(none)).not.to.contain('Launch offer');
  });

  it('shows the after-visit ask under the card until answered: a survey of its kind, or the review form', async () => {
    localStorage.setItem(KEY, SERIAL);
    const asking = (ask: unknown) => api({ [`GET /api/public/cards/${SERIAL}`]: () => json({ ...cardAnswer({ serial: SERIAL }), ask }) });
    stub = stubFetch(asking({ kind: 'csat' }));
    const el = await widget();
    await waitUntil(() => $(el, 'fidelio-card'), 'the card is shown');
    const survey = $(el, '#panel-card fidelio-card ~ fidelio-survey')!;
    expect(survey.getAttribute('kind')).to.equal('csat');
    expect(survey.getAttribute('card-serial')).to.equal(SERIAL);
    expect(survey.getAttribute('program')).to.equal('cafe-lune');
    await waitUntil(() => survey.shadowRoot?.textContent?.includes('How satisfied are you with your visit?'), 'the survey asks');
    await expect(el).to.be.accessible();

    stub.restore();
    stub = stubFetch(asking({ kind: 'review' }));
    const review = await widget();
    await waitUntil(() => $(review, 'fidelio-card'), 'the card is shown');
    const form = $(review, '#panel-card fidelio-card ~ fidelio-review')!;
    expect(form.getAttribute('card-serial')).to.equal(SERIAL);
    expect(form.getAttribute('google-review-url')).to.equal(program.googleReviewUrl);
    expect($(review, '#panel-card fidelio-survey')).to.equal(null);

    stub.restore();
    stub = stubFetch(asking(null));
    const none = await widget();
    await waitUntil(() => $(none, 'fidelio-card'), 'the card is shown');
    expect($(none, '#panel-card fidelio-survey, #panel-card fidelio-review')).to.equal(null);
  });

  it('offers the one-question survey under the thanks once a review is sent, where it was sent', async () => {
    localStorage.setItem(KEY, SERIAL);
    const reviewed = () => json({ id: 'r1', status: 'pending', googleReviewUrl: null }, 201);
    stub = stubFetch(api({ 'POST /api/public/programs/cafe-lune/reviews': reviewed }));
    const el = await widget();
    await waitUntil(() => $(el, 'fidelio-card'), 'the card is shown');
    $(el, '#tab-review')!.click();
    await el.updateComplete;
    const review = $(el, '#panel-review fidelio-review')!;
    await waitUntil(() => $(review, 'form'), 'the review form is shown');
    expect($(el, 'fidelio-survey')).to.equal(null, 'no survey before the review');

    $<HTMLInputElement>(review, '#rating5')!.click();
    $<HTMLButtonElement>(review, '[type=submit]')!.click();
    await waitUntil(() => $(el, '#panel-review fidelio-survey'), 'the survey follows the review');
    expect($(review, '.alert.ok')!.textContent).to.equal('Thank you! Your review will appear once approved.');
    const survey = $(el, '#panel-review fidelio-survey')!;
    // Right under the review's thanks, as the after-visit survey under the card is.
    expect(review.nextElementSibling).to.equal(survey);
    expect(Object.fromEntries(['api', 'lang', 'program', 'card-serial', 'kind'].map((a) => [a, survey.getAttribute(a)]))).to.deep.equal({
      api: API,
      lang: 'en',
      program: 'cafe-lune',
      'card-serial': SERIAL,
      kind: 'nps',
    });
    await waitUntil(() => survey.shadowRoot?.textContent?.includes('How likely are you to recommend us to a friend?'), 'it asks');
    expect($(el, '#panel-card fidelio-survey')).to.equal(null, 'not under the card as well');
    await expect(el).to.be.accessible();
  });

  it('follows the review form of the after-visit ask with the survey too, and none when the ask is a survey already', async () => {
    localStorage.setItem(KEY, SERIAL);
    const asking = (ask: unknown) =>
      api({
        [`GET /api/public/cards/${SERIAL}`]: () => json({ ...cardAnswer({ serial: SERIAL }), ask }),
        'POST /api/public/programs/cafe-lune/reviews': () => json({ id: 'r1', status: 'pending', googleReviewUrl: null }, 201),
      });
    const send = async (review: Element) => {
      await waitUntil(() => $(review, 'form'), 'the review form is shown');
      $<HTMLInputElement>(review, '#rating4')!.click();
      $<HTMLButtonElement>(review, '[type=submit]')!.click();
      await waitUntil(() => $(review, '.alert.ok'), 'the review was sent');
    };

    stub = stubFetch(asking({ kind: 'review' }));
    const el = await widget();
    await waitUntil(() => $(el, 'fidelio-card'), 'the card is shown');
    await send($(el, '#panel-card fidelio-review')!);
    await waitUntil(() => $(el, '#panel-card fidelio-review + fidelio-survey'), 'the survey follows the ask’s review');
    expect($(el, '#panel-card fidelio-survey')!.getAttribute('kind')).to.equal('nps');
    // The review tab's own form was not sent: nothing follows it.
    $(el, '#tab-review')!.click();
    await el.updateComplete;
    expect($(el, '#panel-review fidelio-survey')).to.equal(null);

    stub.restore();
    stub = stubFetch(asking({ kind: 'ces' }));
    const asked = await widget();
    await waitUntil(() => $(asked, 'fidelio-card'), 'the card is shown');
    $(asked, '#tab-review')!.click();
    await asked.updateComplete;
    await send($(asked, '#panel-review fidelio-review')!);
    await asked.updateComplete;
    // The card asks its own question already (CES): not a second survey.
    expect($$(asked, 'fidelio-survey').map((s) => s.getAttribute('kind'))).to.deep.equal(['ces']);
    expect($(asked, '#panel-review fidelio-survey')).to.equal(null);
  });

  it('hides the tabs a merchant turned off', async () => {
    localStorage.setItem(KEY, SERIAL);
    stub = stubFetch(
      api({ 'GET /api/public/programs/cafe-lune': () => json({ ...program, features: { ...program.features, referrals: false } }) }),
    );
    const el = await widget(html`<fidelio-widget program="cafe-lune" api=${API} lang="en" no-review></fidelio-widget>`);
    await waitUntil(() => $(el, 'fidelio-card'), 'the card is shown');
    expect($$(el, '[role=tab]')).to.have.length(0);
  });

  it('forgets a card that no longer exists, and one that is not the visitor’s', async () => {
    localStorage.setItem(KEY, 'zzzzzzzzzzzzzzzzzzzzzzzzzz');
    stub = stubFetch(api());
    const el = await widget();
    await waitUntil(() => $(el, 'form'), 'the form is shown');
    expect(localStorage.getItem(KEY)).to.equal(null);

    localStorage.setItem(KEY, SERIAL);
    const back = await widget();
    await waitUntil(() => $(back, 'fidelio-card'), 'the card is shown');
    $(back, '.link')!.click();
    await waitUntil(() => $(back, 'form'), 'the form is shown again');
    expect(localStorage.getItem(KEY)).to.equal(null);
    // Not them: they join, or get their own card back by e-mail.
    expect($<HTMLAnchorElement>(back, 'form a.link')!.href).to.equal(`${API}/j/cafe-lune#recover`);
  });

  it('speaks French from its lang attribute, else from the page', async () => {
    stub = stubFetch(api());
    const el = await widget(html`<fidelio-widget program="cafe-lune" api=${API} lang="fr"></fidelio-widget>`);
    expect($(el, '[type=submit]')!.textContent).to.equal("Je m'inscris");
    expect(input(el, 'name').labels![0]!.textContent).to.equal('Nom');

    document.documentElement.lang = 'fr-CA';
    try {
      const page = await widget(html`<fidelio-widget program="cafe-lune" api=${API}></fidelio-widget>`);
      expect(text(page)).to.contain('Cumulez 10 tampons');
    } finally {
      document.documentElement.lang = 'en';
    }
  });

  it("takes the merchant's colours (set through the CSSOM) unless the page sets its own, and the API's readable text colour", async () => {
    stub = stubFetch(api());
    const el = await widget();
    expect(el.getAttribute('style')).to.equal('--m: #3b2f2f; --mo: #ffffff;');
    expect(getComputedStyle($(el, '[type=submit]')!).backgroundColor).to.equal('rgb(59, 47, 47)');

    el.style.setProperty('--fidelio-primary', 'rgb(0, 100, 0)');
    expect(getComputedStyle($(el, '[type=submit]')!).backgroundColor).to.equal('rgb(0, 100, 0)');

    stub.restore();
    const pale = {
      ...program,
      merchant: { ...program.merchant, colors: { background: '#f3d9b1', foreground: '#ffffff', label: '#000000', text: '#000000' } },
    };
    stub = stubFetch(api({ 'GET /api/public/programs/cafe-lune': () => json(pale) }));
    const other = await widget();
    expect(getComputedStyle($(other, '[type=submit]')!).color).to.equal('rgb(0, 0, 0)');
  });

  it('keeps its looks on a page with `* { all: unset }` and a huge font, at 320px wide', async () => {
    const hostile = document.createElement('style');
    hostile.textContent = '* { all: unset } html { font-size: 48px; line-height: 3 } body { font: 40px serif; color: red }';
    document.head.append(hostile);
    await setViewport({ width: 320, height: 800 });
    try {
      stub = stubFetch(api());
      const el = await widget();
      const base = $(el, '[part=base]')!;
      const style = getComputedStyle(base);
      expect(style.display).to.equal('block');
      expect(style.fontSize).to.equal('16px');
      expect(style.color).to.equal('rgb(31, 35, 40)');
      expect(getComputedStyle(input(el, 'name')).fontSize).to.equal('16px');
      expect(getComputedStyle($(el, '[type=submit]')!).display).to.equal('inline-flex');
      expect(base.getBoundingClientRect().width).to.be.at.most(320);
      expect(base.scrollWidth).to.be.at.most(base.clientWidth);
    } finally {
      hostile.remove();
      await setViewport({ width: 800, height: 600 });
    }
  });

  it('keeps its height when the card replaces the form, on a phone and on a desktop', async () => {
    for (const width of [320, 1024]) {
      await setViewport({ width, height: 900 });
      localStorage.removeItem(KEY);
      stub?.restore();
      stub = stubFetch(api());
      const el = await widget();
      const base = $(el, '[part=base]')!;
      const before = base.getBoundingClientRect().height;
      fill(el, { name: 'Camille Martin', email: 'camille@example.com' });
      input(el, 'terms').click();
      $<HTMLButtonElement>(el, '[type=submit]')!.click();
      await waitUntil(() => $(el, 'fidelio-card'), 'the card is shown');
      const card = $(el, 'fidelio-card')!;
      await waitUntil(() => $(card, '[part=card]'), 'the card has rendered');
      expect(base.getBoundingClientRect().height, `at ${width}px`).to.equal(before);
    }
    await setViewport({ width: 800, height: 600 });
  });

  it('can be loaded twice on a page', async () => {
    expect(() => define('fidelio-widget', class extends HTMLElement {})).to.not.throw();
    expect(customElements.get('fidelio-widget')).to.equal(FidelioWidget);
    // @ts-expect-error: a second copy of the script, as if pasted twice (a query makes it a new module)
    await import('../../widget/index.ts?twice');
    expect(customElements.get('fidelio-widget')).to.equal(FidelioWidget);
  });
});

describe('<fidelio-widget> opened from a member’s link (?ref=)', () => {
  const CODE = 'abcdefghij';
  const invited = {
    ...program,
    invitation: {
      firstName: 'Camille',
      text: {
        en: 'Camille invites you: you get 1 stamp when you join and 2 stamps on your first visit.',
        fr: 'Camille vous invite : vous recevez 1 tampon à l’inscription et 2 tampons à votre première visite.',
      },
    },
  };
  const page = location.href;
  let stub: ReturnType<typeof stubFetch>;
  /** Whatever the widget asked of `scrollIntoView`, in order (then done as asked). */
  let scrolls: unknown[];
  const realScroll = HTMLElement.prototype.scrollIntoView;
  const realMatchMedia = window.matchMedia;
  /**
   * The visitor's motion preference, as the widget reads it (`matchMedia`): set in the page, since
   * WebDriver (WebKit, Firefox) has no command to emulate the media feature.
   */
  const prefersLessMotion = (less: boolean) => {
    window.matchMedia = (query: string) => {
      const list = realMatchMedia.call(window, query);
      if (!/prefers-reduced-motion/.test(query)) return list;
      return Object.create(list, { matches: { value: less } }) as MediaQueryList;
    };
  };

  beforeEach(() => {
    localStorage.removeItem(KEY);
    history.replaceState(null, '', `?ref=${CODE}`);
    scrolls = [];
    prefersLessMotion(false);
    FidelioWidget.prototype.scrollIntoView = function (this: HTMLElement, arg?: boolean | ScrollIntoViewOptions) {
      scrolls.push(arg);
      realScroll.call(this, arg);
    };
  });
  afterEach(() => {
    stub?.restore();
    history.replaceState(null, '', page);
    delete (FidelioWidget.prototype as Partial<HTMLElement>).scrollIntoView;
    window.scrollTo(0, 0);
    window.matchMedia = realMatchMedia;
  });

  /** The widget below a page's worth of the merchant's own content, as on a phone. */
  async function belowTheFold(lang = 'en') {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div>
        <div style="height: 2000px">The café’s own page</div>
        <fidelio-widget program="cafe-lune" api=${API} lang=${lang}></fidelio-widget>
      </div>`,
    );
    const el = wrapper.querySelector('fidelio-widget')!;
    await waitUntil(() => $(el, 'form, fidelio-card, [role=alert]'), 'the widget has loaded');
    return el;
  }

  it('asks the program with the code, and says above its form who invites and what joining brings', async () => {
    stub = stubFetch(api({ 'GET /api/public/programs/cafe-lune': () => json(invited) }));
    const el = await widget();
    const asked = stub.calls.find((c) => c.url.pathname === '/api/public/programs/cafe-lune')!;
    expect(asked.url.search).to.equal(`?ref=${CODE}`);
    const first = $(el, 'form > :first-child')!;
    expect(first.matches('.alert.ok')).to.equal(true, 'the first thing of the form');
    expect(first.textContent).to.equal(invited.invitation.text.en);
    expect(text(el)).to.contain('Collect 10 stamps and get: Un café offert.');
    await expect(el).to.be.accessible();

    const fr = await widget(html`<fidelio-widget program="cafe-lune" api=${API} lang="fr"></fidelio-widget>`);
    expect($(fr, 'form > .alert.ok')!.textContent).to.equal(invited.invitation.text.fr);
  });

  it('sends an odd code as one parameter, and says nothing when the server names nobody', async () => {
    const odd = 'x&lang=de#top';
    history.replaceState(null, '', `?ref=${encodeURIComponent(odd)}`);
    stub = stubFetch(api());
    const el = await widget();
    const asked = stub.calls.find((c) => c.url.pathname === '/api/public/programs/cafe-lune')!;
    expect([...asked.url.searchParams]).to.deep.equal([['ref', odd]]);
    expect($(el, 'form .alert')).to.equal(null);
    expect(scrolls).to.deep.equal([]);

    history.replaceState(null, '', page);
    const none = await widget();
    expect(stub.calls.filter((c) => c.url.pathname === '/api/public/programs/cafe-lune').at(-1)!.url.search).to.equal('');
    expect($(none, 'form .alert')).to.equal(null);
  });

  it('comes into view once, smoothly', async () => {
    stub = stubFetch(api({ 'GET /api/public/programs/cafe-lune': () => json(invited) }));
    const el = await belowTheFold();
    expect(scrolls).to.deep.equal([{ behavior: 'smooth' }]);
    await waitUntil(() => Math.abs(el.getBoundingClientRect().top) < 2, 'the widget is at the top of the window', { timeout: 3000 });
    // Typing, errors, re-renders: it does not pull the page back again.
    window.scrollTo(0, 0);
    $<HTMLButtonElement>(el, '[type=submit]')!.click();
    await el.updateComplete;
    expect($(el, '[role=alert]')).to.not.equal(null);
    expect(scrolls).to.have.length(1);
  });

  it('jumps, without a smooth scroll, for a visitor who asks for less motion', async () => {
    prefersLessMotion(true);
    stub = stubFetch(api({ 'GET /api/public/programs/cafe-lune': () => json(invited) }));
    const el = await belowTheFold('fr');
    expect(scrolls).to.deep.equal([{ behavior: 'auto' }]);
    expect(Math.abs(el.getBoundingClientRect().top)).to.be.below(2);
  });

  it('leaves a member where they are: their card, no invitation, no scroll', async () => {
    localStorage.setItem(KEY, SERIAL);
    stub = stubFetch(api({ 'GET /api/public/programs/cafe-lune': () => json(invited) }));
    const el = await belowTheFold();
    await waitUntil(() => $(el, 'fidelio-card'), 'the card is shown');
    expect(text(el)).not.to.contain('invites you');
    expect(scrolls).to.deep.equal([]);
    expect(window.scrollY).to.equal(0);
  });
});
