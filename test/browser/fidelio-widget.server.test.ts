// The widget against a real fidelio server (started by web-test-runner.config.mjs with the demo
// program `cafe-lune`: 10 stamps, a 1-stamp signup bonus): join → card → reload → review.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../widget/index.ts';
import type { FidelioWidget } from '../../widget/fidelio-widget.ts';
import { $, $$, text } from './support/dom.ts';

const API = window.FIDELIO_API;
const KEY = 'fidelio:cafe-lune';
/** The server answers quickly, but a cold PGlite under a parallel test run can take seconds. */
const SLOW = { timeout: 15_000 };

async function widget() {
  const el = await fixture<FidelioWidget>(html`<fidelio-widget program="cafe-lune" api=${API} lang="en" timeout="15000"></fidelio-widget>`);
  await waitUntil(() => $(el, 'form, fidelio-card, [role=alert]'), 'the widget has loaded', SLOW);
  return el;
}

async function join(el: FidelioWidget, name: string, email: string) {
  $<HTMLInputElement>(el, '[name=name]')!.focus();
  await sendKeys({ type: name });
  $<HTMLInputElement>(el, '[name=email]')!.focus();
  await sendKeys({ type: email });
  $<HTMLInputElement>(el, '[name=terms]')!.click();
  $<HTMLButtonElement>(el, '[type=submit]')!.click();
}

async function cardOf(el: FidelioWidget) {
  await waitUntil(() => $(el, 'fidelio-card'), 'the card is shown', SLOW);
  const card = $(el, 'fidelio-card')!;
  await waitUntil(() => $(card, '[part=card]'), 'the card has rendered', SLOW);
  return card;
}

describe('<fidelio-widget> with the fidelio server', () => {
  const email = `wtr-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
  before(() => localStorage.removeItem(KEY));
  after(() => localStorage.removeItem(KEY));

  it('joins, shows the new card with its signup bonus, and shows it again on the next visit', async () => {
    const el = await widget();
    expect($(el, 'h2')!.textContent).to.equal('Carte Café Lune');
    await join(el, 'Wendy Test', email);
    const card = await cardOf(el);

    const serial = localStorage.getItem(KEY)!;
    expect(serial).to.match(/^[a-z2-7]{26}$/);
    expect($$(card, '.stamps i')).to.have.length(10);
    expect($$(card, '.stamps .on')).to.have.length(1);
    expect(text(card)).to.contain('Wendy Test').and.contain('Includes your welcome gift: +1 stamp');
    expect($(card, '[part=apple-wallet]')!.getAttribute('href')).to.equal(`${API}/passes/apple/${serial}.pkpass`);
    expect($(card, '[part=google-wallet]')!.getAttribute('href')).to.equal(`${API}/passes/google/${serial}`);
    const qr = $<HTMLImageElement>(card, '[part=qr]')!;
    expect(qr.getAttribute('src')).to.equal(`${API}/api/public/cards/${serial}/qr.svg`);
    await waitUntil(() => qr.complete, 'the QR code has loaded', SLOW);
    expect(qr.naturalWidth, 'the QR code is an image').to.be.greaterThan(0);

    const stored = await (await fetch(`${API}/api/public/cards/${serial}`)).json();
    expect(stored.card).to.include({ serial, customerName: 'Wendy Test', stamps: 1 });

    const again = await widget();
    expect($(again, 'form')).to.equal(null);
    const back = await cardOf(again);
    expect($$(back, '.stamps .on')).to.have.length(1);
    expect(text(back)).to.not.contain('welcome gift');
  });

  it('says kindly that the email is already a member', async () => {
    localStorage.removeItem(KEY);
    const el = await widget();
    await join(el, 'Wendy Again', email.toUpperCase());
    await waitUntil(() => $(el, 'form [role=alert]'), 'a message is shown', SLOW);
    expect($(el, 'form [role=alert]')!.textContent).to.equal('This email is already a member.');
  });

  it("takes a member's review and shows their invitation link", async () => {
    localStorage.removeItem(KEY);
    const fresh = await widget();
    await join(fresh, 'Rita Review', `r-${email}`);
    await cardOf(fresh);

    $(fresh, '#tab-review')!.click();
    await fresh.updateComplete;
    const review = $(fresh, 'fidelio-review')!;
    await waitUntil(() => $(review, 'form'), 'the review form is shown');
    $<HTMLInputElement>(review, '#rating2')!.click();
    $<HTMLTextAreaElement>(review, 'textarea')!.value = '<img src=x onerror=alert(1)> Cold coffee';
    $<HTMLButtonElement>(review, '[type=submit]')!.click();
    await waitUntil(() => $(review, '.ok'), 'the review was taken', SLOW);

    $(fresh, '#tab-invite')!.click();
    await fresh.updateComplete;
    const referral = $(fresh, 'fidelio-referral')!;
    await waitUntil(() => $(referral, '#link'), 'the link is shown', SLOW);
    expect($<HTMLInputElement>(referral, '#link')!.value).to.match(/[?&]ref=[A-Za-z0-9]+/);
    expect(text(referral)).to.match(/Invited ?0 ?Joined ?0 ?Rewarded ?0/);
  });
});
