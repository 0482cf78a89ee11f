import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../widget/index.ts';
import type { FidelioCard } from '../../widget/fidelio-card.ts';
import { $, $$, text } from './support/dom.ts';
import { API, cardAnswer, json, never, problem, stubFetch } from './support/fetch.ts';

describe('<fidelio-card>', () => {
  let fetchStub: ReturnType<typeof stubFetch> | undefined;
  afterEach(() => fetchStub?.restore());

  it('is accessible', async () => {
    const el = await fixture<FidelioCard>(html`<fidelio-card lang="en" .data=${cardAnswer()}></fidelio-card>`);
    await expect(el).to.be.accessible();
  });

  it('shows stamps as a grid of filled and empty stamps, with what is left to earn', async () => {
    const el = await fixture<FidelioCard>(html`<fidelio-card lang="en" .data=${cardAnswer({ stamps: 3 })}></fidelio-card>`);
    expect($$(el, '.stamps i')).to.have.length(10);
    expect($$(el, '.stamps .on')).to.have.length(3);
    expect(text(el)).to.contain('3 of 10 stamps').and.contain('7 more for your reward');
  });

  it('shows the rewards available with the reward name', async () => {
    const data = cardAnswer({ stamps: 2, rewardsAvailable: 2 });
    const el = await fixture<FidelioCard>(html`<fidelio-card lang="en" reward="A free coffee" .data=${data}></fidelio-card>`);
    expect(text(el)).to.contain('Rewards available: 2 (A free coffee)');
  });

  it('shows points and the tier, or a cashback balance in the currency', async () => {
    const points = cardAnswer({ programType: 'tiers', stamps: null, stampsRequired: null, points: 1250, tier: 'Gold' });
    const el = await fixture<FidelioCard>(html`<fidelio-card lang="en" .data=${points}></fidelio-card>`);
    expect(text(el)).to.contain('1,250 points').and.contain('Tier: Gold');
    expect($$(el, '.stamps')).to.have.length(0);

    const cashback = cardAnswer({ programType: 'cashback', stamps: null, stampsRequired: null, cashbackBalance: 1234 });
    const fr = await fixture<FidelioCard>(html`<fidelio-card lang="fr" currency="EUR" .data=${cashback}></fidelio-card>`);
    expect(text(fr))
      .to.match(/12,34\s€/)
      .and.contain('Cagnotte');
  });

  it('shows a welcome gift on a new card', async () => {
    const el = await fixture<FidelioCard>(html`<fidelio-card lang="en" bonus="1" .data=${cardAnswer({ stamps: 1 })}></fidelio-card>`);
    expect(text(el)).to.contain('Includes your welcome gift: +1 stamp');
  });

  it('has the QR code and the wallet badges linking where the API says', async () => {
    const data = cardAnswer();
    const el = await fixture<FidelioCard>(html`<fidelio-card lang="en" .data=${data}></fidelio-card>`);
    const qr = $<HTMLImageElement>(el, '[part=qr]')!;
    expect(qr.getAttribute('src')).to.equal(data.links.qr);
    expect(qr.alt).to.equal('QR code of your loyalty card');
    expect($(el, '[part=apple-wallet]')!.getAttribute('href')).to.equal(data.links.applePass);
    expect($(el, '[part=google-wallet]')!.getAttribute('href')).to.equal(data.links.googleSave);
    expect($(el, '[part=apple-wallet]')!.textContent!.replace(/\s+/g, ' ').trim()).to.equal('Add to Apple Wallet');
  });

  it('draws the two wallet badges as wide as each other', async () => {
    const el = await fixture<FidelioCard>(html`<fidelio-card lang="fr" .data=${cardAnswer()}></fidelio-card>`);
    const widths = ['apple-wallet', 'google-wallet'].map((p) => $(el, `[part=${p}]`)!.getBoundingClientRect().width);
    expect(Math.abs(widths[0]! - widths[1]!)).to.be.below(1);
  });

  it('offers only the wallets the server issues passes for', async () => {
    const apple = await fixture<FidelioCard>(
      html`<fidelio-card lang="en" .data=${cardAnswer({}, { apple: true, google: false })}></fidelio-card>`,
    );
    expect($(apple, '[part=apple-wallet]')).to.not.equal(null);
    expect($(apple, '[part=google-wallet]')).to.equal(null);
    const none = await fixture<FidelioCard>(
      html`<fidelio-card lang="en" .data=${cardAnswer({}, { apple: false, google: false })}></fidelio-card>`,
    );
    expect($$(none, '.wallets a')).to.have.length(0);
  });

  it('reaches both wallet badges with the keyboard', async () => {
    const el = await fixture<FidelioCard>(html`<fidelio-card lang="en" .data=${cardAnswer()}></fidelio-card>`);
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement?.getAttribute('part')).to.equal('apple-wallet');
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement?.getAttribute('part')).to.equal('google-wallet');
  });

  it('speaks French', async () => {
    const el = await fixture<FidelioCard>(html`<fidelio-card lang="fr" .data=${cardAnswer({ stamps: 4 })}></fidelio-card>`);
    expect(text(el)).to.contain('4 tampons sur 10').and.contain('Ajouter à Apple Wallet').and.contain('Présentez ce code en caisse');
  });

  it('fetches the card from its serial, showing a loading state first', async () => {
    let release!: (r: Response) => void;
    fetchStub = stubFetch(() => new Promise((resolve) => (release = resolve)));
    const el = await fixture<FidelioCard>(html`<fidelio-card lang="en" api=${API} serial="c_abc"></fidelio-card>`);
    expect($(el, '[role=status]')!.textContent).to.equal('Loading…');
    expect(fetchStub.calls[0]!.url.href).to.equal(`${API}/api/public/cards/c_abc`);
    release(json(cardAnswer({ serial: 'c_abc', stamps: 5 })));
    await waitUntil(() => $(el, '[part=card]'), 'the card is shown');
    expect($$(el, '.stamps .on')).to.have.length(5);
  });

  it('aborts the request in flight when asked for another card', async () => {
    const answers: Record<string, (r: Response) => void> = {};
    fetchStub = stubFetch((c) => new Promise((resolve) => (answers[c.url.pathname.split('/').pop()!] = resolve)));
    const el = await fixture<FidelioCard>(html`<fidelio-card lang="en" api=${API} serial="c_first"></fidelio-card>`);
    el.serial = 'c_second';
    await el.updateComplete;
    expect(fetchStub.calls.map((c) => c.signal!.aborted)).to.deep.equal([true, false]);
    answers.c_second!(json(cardAnswer({ serial: 'c_second', stamps: 2 })));
    answers.c_first!(json(cardAnswer({ serial: 'c_first', stamps: 9 })));
    await waitUntil(() => $(el, '[part=card]'), 'the card is shown');
    expect(text(el)).to.contain('c_second').and.not.contain('c_first');
    expect($$(el, '.stamps .on')).to.have.length(2);
  });

  it('says the service cannot be reached, and tries again on request', async () => {
    let down = true;
    fetchStub = stubFetch(() => (down ? problem(503, 'unavailable') : json(cardAnswer())));
    const el = await fixture<FidelioCard>(html`<fidelio-card lang="en" api=${API} serial="c_abc"></fidelio-card>`);
    await waitUntil(() => $(el, '[role=alert]'), 'an error is shown');
    expect($(el, '[role=alert]')!.textContent).to.contain('The loyalty service cannot be reached.');
    down = false;
    $(el, '[role=alert] button')!.click();
    await waitUntil(() => $(el, '[part=card]'), 'the card is shown after retrying');
    expect(fetchStub.calls).to.have.length(2);
  });

  it('gives up on a server that does not answer in time, with a retry button', async () => {
    fetchStub = stubFetch(never);
    const el = await fixture<FidelioCard>(html`<fidelio-card lang="en" api=${API} serial="c_abc" timeout="50"></fidelio-card>`);
    await waitUntil(() => $(el, '[role=alert]'), 'an error is shown');
    expect($(el, '[role=alert] button')!.textContent).to.equal('Try again');
  });

  it('says when the card does not exist, without a useless retry button', async () => {
    fetchStub = stubFetch(() => problem(404, 'not_found'));
    const el = await fixture<FidelioCard>(html`<fidelio-card lang="en" api=${API} serial="c_gone"></fidelio-card>`);
    await waitUntil(() => $(el, '[role=alert]'), 'an error is shown');
    expect($(el, '[role=alert]')!.textContent).to.contain('not found');
    expect($(el, '[role=alert] button')).to.equal(null);
  });
});
