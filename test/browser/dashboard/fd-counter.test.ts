import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../dashboard/fd-counter.ts';
import type { Me, Program } from '../../../common/api.ts';
import { type FdCounter, SEARCH_DELAY_MS, SHOP_KEY } from '../../../dashboard/fd-counter.ts';
import { serialFrom } from '../../../dashboard/serial.ts';
import { $, $$, text } from '../support/dom.ts';
import { cafe, customer, owner, pointsCafe, purchased, redeemed, shops, staff, stamped } from './fixtures.ts';
import { type Answer, cardAnswer, json, never, problem, stubFetch } from '../support/fetch.ts';
import { pictureStream, realCardQr } from '../support/qr-stream.ts';
import { afterTimersOf } from '../support/timers.ts';

const SERIAL = 'abcdefghijklmnopqrstuv2345';
/** For the waits of the search and the scanner: a busy machine can be slower than waitUntil's default second. */
const SLOW = { timeout: 5_000 };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const stamps: Program = { ...cafe, reward: { name: 'A free coffee', costMinor: 100 } };
const points: Program = pointsCafe;

/** Léa's card, 7 stamps of 10 (`c` changed). */
const lea = (c: Record<string, unknown> = {}) => cardAnswer({ serial: SERIAL, stamps: 7, customerName: 'Léa Petit', ...c }).card;
/** `GET /api/merchant/cards/:serial`: Léa's card. */
const card = (c: Record<string, unknown> = {}) => ({ card: lea(c) });

/** The counter with a card looked up: `answer` decides what the writes get. */
async function counter(opts: { program?: Program; lang?: string; card?: Record<string, unknown>; write?: Answer } = {}) {
  const stub = stubFetch((c) =>
    c.method === 'GET' ? json(card(opts.card)) : (opts.write ?? (() => json(stamped(lea({ stamps: 8 })))))(c),
  );
  const el = await fixture<FdCounter>(html`<fd-counter lang=${opts.lang ?? 'en'} .program=${opts.program ?? stamps}></fd-counter>`);
  type(el, SERIAL);
  await waitUntil(() => $(el, '[part=card]'), 'the card is shown');
  return { el, stub };
}

/** Types (or pastes) into the serial field. */
function type(el: FdCounter, value: string) {
  const input = $<HTMLInputElement>(el, '#serial')!;
  input.value = value;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
}

const button = (el: FdCounter, label: string) => $$<HTMLButtonElement>(el, 'button').find((b) => b.textContent!.trim() === label);

describe('<fd-counter>', () => {
  let fetchStub: ReturnType<typeof stubFetch> | undefined;
  afterEach(() => fetchStub?.restore());

  it('is accessible, with a card shown', async () => {
    const { el, stub } = await counter();
    fetchStub = stub;
    await expect(el).to.be.accessible();
  });

  it('keeps "Find the card" disabled, and asks nothing, until the serial is valid', async () => {
    fetchStub = stubFetch(() => json(card()));
    const el = await fixture<FdCounter>(html`<fd-counter lang="en" .program=${stamps}></fd-counter>`);
    const find = () => button(el, 'Find the card')!;
    expect(find().disabled).to.equal(true);
    for (const bad of ['abc', `${SERIAL}a`, 'abcdefghijklmnopqrstuv2341', 'abcdefghijklmnopqrstuv-345']) {
      type(el, bad);
      await el.updateComplete;
      expect(find().disabled, bad).to.equal(true);
    }
    expect(fetchStub.calls).to.have.length(0);
  });

  it('looks up a pasted serial at once (spaces and capitals are fine) and shows the balance', async () => {
    fetchStub = stubFetch(() => json(card()));
    const el = await fixture<FdCounter>(html`<fd-counter lang="en" .program=${stamps}></fd-counter>`);
    type(el, ' ABCDE FGHIJ KLMNO PQRST UV2345 ');
    await waitUntil(() => $(el, '[part=card]'), 'the card is shown');
    expect(fetchStub.calls).to.have.length(1);
    expect(fetchStub.calls[0]!.method).to.equal('GET');
    expect(fetchStub.calls[0]!.url.pathname).to.equal(`/api/merchant/cards/${SERIAL}`);
    expect(fetchStub.calls[0]!.url.origin).to.equal(location.origin);
    expect(text(el)).to.contain('Léa Petit').and.contain('7 / 10 stamps');
    expect(button(el, 'Find the card')!.disabled).to.equal(false);
  });

  it('can be used with the keyboard: type the serial, Enter, then +1', async () => {
    fetchStub = stubFetch((c) => json(c.method === 'POST' ? stamped(lea({ stamps: 8 })) : card()));
    const el = await fixture<FdCounter>(html`<fd-counter lang="en" .program=${stamps}></fd-counter>`);
    $<HTMLInputElement>(el, '#serial')!.focus();
    await sendKeys({ type: SERIAL.slice(0, 25) });
    await sendKeys({ type: SERIAL.slice(25) });
    await waitUntil(() => $(el, '[part=card]'), 'the card is shown');
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement?.textContent!.trim()).to.equal('+1 stamp');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => text(el).includes('8 / 10'), 'the new balance is shown');
  });

  it('stamps once for a double tap, with an Idempotency-Key, and shows the new balance', async () => {
    let release!: (r: Response) => void;
    const { el, stub } = await counter({ write: () => new Promise((resolve) => (release = resolve)) });
    fetchStub = stub;
    const plus = button(el, '+1 stamp')!;
    plus.click();
    plus.click();
    await el.updateComplete;
    expect(plus.getAttribute('aria-disabled')).to.equal('true');
    plus.click();
    const writes = stub.calls.filter((c) => c.method === 'POST');
    expect(writes).to.have.length(1);
    expect(writes[0]!.url.pathname).to.equal(`/api/merchant/cards/${SERIAL}/stamps`);
    expect(writes[0]!.body).to.deep.equal({ count: 1 });
    expect(writes[0]!.headers.get('content-type')).to.equal('application/json');
    expect(writes[0]!.headers.get('idempotency-key')).to.match(UUID);
    release(json(stamped(lea({ stamps: 8 }))));
    await waitUntil(() => text(el).includes('8 / 10'), 'the new balance is shown');
    expect(text(el)).to.contain('Stamp added.').and.not.contain('Reward earned!');
    expect(button(el, '+1 stamp')!.getAttribute('aria-disabled')).to.equal('false');
  });

  it('draws a new key for the next stamp, and says when a reward is earned', async () => {
    const { el, stub } = await counter({
      card: { stamps: 9 },
      write: () => json(stamped(lea({ stamps: 0, rewardsAvailable: 1 }), { rewardEarned: true, rewardsEarned: 1 })),
    });
    fetchStub = stub;
    button(el, '+1 stamp')!.click();
    await waitUntil(() => text(el).includes('Reward earned!'), 'the reward is announced');
    expect(text(el)).to.contain('0 / 10').and.contain('Rewards available: 1');
    button(el, '+1 stamp')!.click();
    await waitUntil(() => stub.calls.filter((c) => c.method === 'POST').length === 2, 'a second stamp is sent');
    const [a, b] = stub.calls.filter((c) => c.method === 'POST').map((c) => c.headers.get('idempotency-key'));
    expect(a).to.not.equal(b);
  });

  it('after a network error, retries the same stamp with the same key', async () => {
    let down = true;
    const { el, stub } = await counter({
      write: () => (down ? Promise.reject(new TypeError('Failed to fetch')) : json(stamped(lea({ stamps: 8 })))),
    });
    fetchStub = stub;
    button(el, '+1 stamp')!.click();
    // Not an error: saved on the device, with the reason, and sent again with its key.
    await waitUntil(() => $(el, '[part=saved]'), 'the stamp is saved offline');
    expect($(el, '[part=saved]')!.textContent).to.contain('Stamp saved offline.').and.contain('The server cannot be reached');
    expect($(el, '[role=alert]')).to.equal(null);
    expect(text(el)).to.contain('7 / 10').and.contain('+1 stamp waiting to be sent');
    down = false;
    button(el, 'Try again')!.click();
    await waitUntil(() => text(el).includes('8 / 10'), 'the stamp landed');
    const writes = stub.calls.filter((c) => c.method === 'POST');
    expect(writes).to.have.length(2);
    expect(writes[1]!.headers.get('idempotency-key')).to.equal(writes[0]!.headers.get('idempotency-key'));
    expect(writes[1]!.body).to.deep.equal(writes[0]!.body);
  });

  it('retries with the same key after a write that did not answer in time', async () => {
    let slow = true;
    const stub = stubFetch((c) => (c.method === 'GET' ? json(card()) : slow ? never() : json(stamped(lea({ stamps: 8 })))));
    fetchStub = stub;
    const el = await fixture<FdCounter>(html`<fd-counter lang="en" timeout="50" .program=${stamps}></fd-counter>`);
    type(el, SERIAL);
    await waitUntil(() => $(el, '[part=card]'), 'the card is shown');
    button(el, '+1 stamp')!.click();
    await waitUntil(() => button(el, 'Try again'), 'a retry is offered');
    slow = false;
    button(el, 'Try again')!.click();
    await waitUntil(() => text(el).includes('8 / 10'), 'the stamp landed');
    const keys = stub.calls.filter((c) => c.method === 'POST').map((c) => c.headers.get('idempotency-key'));
    expect(keys).to.have.length(2);
    expect(keys[0]).to.equal(keys[1]);
  });

  it('says "No card with this number." for an unknown (or another merchant\'s) card, without a retry', async () => {
    fetchStub = stubFetch(() => problem(404, 'not_found'));
    const el = await fixture<FdCounter>(html`<fd-counter lang="en" .program=${stamps}></fd-counter>`);
    type(el, SERIAL);
    await waitUntil(() => $(el, '[role=alert]'), 'an error is shown');
    expect($(el, '[role=alert]')!.textContent).to.contain('No card with this number.');
    expect(button(el, 'Try again')).to.equal(undefined);
    expect($(el, '[part=card]')).to.equal(null);
  });

  it('redeems an available reward, and says so when the balance is not enough', async () => {
    const { el, stub } = await counter({ card: { stamps: 2, rewardsAvailable: 1 }, write: () => problem(409, 'insufficient_balance') });
    fetchStub = stub;
    button(el, 'Redeem reward')!.click();
    await waitUntil(() => $(el, '[role=alert]'), 'an error is shown');
    const write = stub.calls.find((c) => c.method === 'POST')!;
    expect(write.url.pathname).to.equal(`/api/merchant/cards/${SERIAL}/redemptions`);
    expect(write.headers.get('idempotency-key')).to.match(UUID);
    expect($(el, '[role=alert]')!.textContent).to.contain('Not enough on this card for this reward.');
    expect(button(el, 'Try again')).to.equal(undefined);
  });

  it('records a purchase amount in minor units for a points program', async () => {
    const pointsCard = { programType: 'points', stamps: null, stampsRequired: null, rewardsAvailable: null, points: 25 };
    const { el, stub } = await counter({
      program: points,
      lang: 'fr',
      card: pointsCard,
      write: () => json(purchased(lea({ ...pointsCard, points: 37 }))),
    });
    fetchStub = stub;
    expect(text(el)).to.contain('25 points');
    const add = button(el, 'Enregistrer l’achat')!;
    expect(add.getAttribute('aria-disabled')).to.equal('true');
    add.click();
    expect(stub.calls.filter((c) => c.method === 'POST')).to.have.length(0);
    const amount = $<HTMLInputElement>(el, '#amount')!;
    amount.value = '12,50';
    amount.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    await el.updateComplete;
    expect(add.getAttribute('aria-disabled')).to.equal('false');
    add.click();
    await waitUntil(() => text(el).includes('37 points'), 'the new balance is shown');
    const write = stub.calls.find((c) => c.method === 'POST')!;
    expect(write.url.pathname).to.equal(`/api/merchant/cards/${SERIAL}/purchases`);
    expect(write.body).to.deep.equal({ amount: 1250 });
    expect(text(el)).to.contain('Achat enregistré.').and.contain('Utiliser : Croissant');
    expect(amount.value).to.equal('');
  });

  it('speaks French', async () => {
    const { el, stub } = await counter({ lang: 'fr', card: { rewardsAvailable: 1 } });
    fetchStub = stub;
    expect(text(el))
      .to.contain('Numéro de carte')
      .and.contain('7 / 10 tampons')
      .and.contain('Récompenses disponibles : 1')
      .and.contain('+1 tampon')
      .and.contain('Utiliser la récompense');
  });

  it('tells the app when the session has ended', async () => {
    const { el, stub } = await counter({ write: () => problem(401, 'unauthorized') });
    fetchStub = stub;
    setTimeout(() => button(el, '+1 stamp')!.click());
    await oneEvent(el, 'fd-signed-out');
  });

  describe('finding a customer by name or email', () => {
    const found = (n: number) => ({
      customers: [
        customer('c1', 'Léa Petit', 'lea@example.com', { serial: SERIAL, stamps: 7 }),
        customer('c2', 'Léo Martin', 'leo@example.com', { serial: 'zzzzzzzzzzzzzzzzzzzzzzzzzz', stamps: 2 }),
      ].slice(0, n),
      nextCursor: null,
    });

    function search(el: FdCounter, value: string) {
      const input = $<HTMLInputElement>(el, '#search')!;
      input.value = value;
      input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    }

    it('lists the customers found, and looks up the card of the one chosen', async () => {
      fetchStub = stubFetch((c) => (c.url.pathname.endsWith('/customers') ? json(found(2)) : json(card())));
      const el = await fixture<FdCounter>(html`<fd-counter lang="en" .program=${stamps}></fd-counter>`);
      expect($(el, 'label[for=search]')!.textContent).to.equal('Find by name or email');
      search(el, 'l');
      // The search the letter would have started has had its turn.
      await afterTimersOf(SEARCH_DELAY_MS);
      expect(fetchStub.calls, 'one letter is not searched').to.have.length(0);
      search(el, 'Lé');
      await waitUntil(() => $(el, '.found'), 'the customers found are listed', SLOW);
      expect(fetchStub.calls).to.have.length(1);
      const asked = fetchStub.calls[0]!.url;
      expect(asked.pathname).to.equal('/api/merchant/customers');
      expect(asked.searchParams.get('q')).to.equal('Lé');
      expect(asked.searchParams.get('limit')).to.equal('5');
      expect($$(el, '.found button').map((b) => b.textContent!.replace(/\s+/g, ' ').trim())).to.deep.equal([
        'Léa Petit lea@example.com',
        'Léo Martin leo@example.com',
      ]);
      await expect(el).to.be.accessible();

      $$<HTMLButtonElement>(el, '.found button')[0]!.click();
      await waitUntil(() => $(el, '[part=card]'), 'the chosen card is shown', SLOW);
      expect(fetchStub.calls[1]!.url.pathname).to.equal(`/api/merchant/cards/${SERIAL}`);
      expect($<HTMLInputElement>(el, '#serial')!.value, 'the serial shows as if typed').to.equal(SERIAL);
      expect($(el, '.found'), 'the list is gone').to.equal(null);
      expect(text(el)).to.contain('Léa Petit').and.contain('7 / 10 stamps');
    });

    it('searches once typing pauses, and says when nobody matches', async () => {
      fetchStub = stubFetch(() => json(found(0)));
      const el = await fixture<FdCounter>(html`<fd-counter lang="fr" .program=${stamps}></fd-counter>`);
      for (const q of ['no', 'nob', 'nobo', 'nobody']) search(el, q);
      await waitUntil(() => text(el).includes('Aucun client ne correspond à « nobody ».'), 'nobody matches', SLOW);
      expect(fetchStub.calls.map((c) => c.url.searchParams.get('q'))).to.deep.equal(['nobody']);
    });

    it('shows a failed search, and tells the app when the session has ended', async () => {
      fetchStub = stubFetch(() => problem(401, 'unauthorized'));
      const el = await fixture<FdCounter>(html`<fd-counter lang="en" .program=${stamps}></fd-counter>`);
      setTimeout(() => search(el, 'lea'));
      await oneEvent(el, 'fd-signed-out');
      await waitUntil(() => $(el, '[role=alert]'), 'the error is shown', SLOW);
    });
  });

  describe('scanning a card', () => {
    it('reads the serial in a QR code, or in a link to a card or a pass', () => {
      expect(serialFrom(SERIAL)).to.equal(SERIAL);
      expect(serialFrom(` ${SERIAL.toUpperCase()}\n`)).to.equal(SERIAL);
      expect(serialFrom(`https://fidelio.example/api/public/cards/${SERIAL}`)).to.equal(SERIAL);
      expect(serialFrom(`https://fidelio.example/api/public/cards/${SERIAL}/qr.svg`)).to.equal(SERIAL);
      expect(serialFrom(`https://fidelio.example/passes/apple/${SERIAL}.pkpass`)).to.equal(SERIAL);
      for (const other of ['https://cafe.example/menu', 'hello', `${SERIAL}1`, `https://x.example/?serial=${SERIAL}`, ''])
        expect(serialFrom(other), other).to.equal(null);
    });

    it('looks up the card whose QR code the camera reads, as if typed', async function (this: { timeout(ms: number): void }) {
      this.timeout(20_000);
      const qr = await realCardQr();
      const picture = await pictureStream(qr.svg);
      try {
        fetchStub = stubFetch(() => json(card({ serial: qr.serial })));
        const el = await fixture<FdCounter>(
          html`<fd-counter lang="en" .program=${stamps} .camera=${() => Promise.resolve(picture.stream)}></fd-counter>`,
        );
        button(el, 'Scan a card')!.click();
        await waitUntil(() => $(el, 'fd-scanner'), 'the scanner has loaded', { timeout: 10_000 });
        await waitUntil(() => $(el, '[part=card]'), 'the scanned card is shown', { timeout: 10_000 });
        expect(fetchStub.calls.map((c) => c.url.pathname)).to.deep.equal([`/api/merchant/cards/${qr.serial}`]);
        expect($<HTMLInputElement>(el, '#serial')!.value).to.equal(qr.serial);
        expect($(el, 'fd-scanner'), 'the camera view is closed').to.equal(null);
        expect(
          picture.stream.getTracks().every((t) => t.readyState === 'ended'),
          'the camera is off',
        ).to.equal(true);
        expect(text(el)).to.contain('Léa Petit');
      } finally {
        picture.stop();
      }
    });

    it('gives the focus back to "Scan a card" when the camera is closed, and keeps the serial field usable', async function (this: {
      timeout(ms: number): void;
    }) {
      this.timeout(15_000);
      fetchStub = stubFetch(() => json(card()));
      const refused = () => Promise.reject(new DOMException('no', 'NotAllowedError'));
      const el = await fixture<FdCounter>(html`<fd-counter lang="en" .program=${stamps} .camera=${refused}></fd-counter>`);
      button(el, 'Scan a card')!.click();
      await waitUntil(() => $(el, 'fd-scanner') && $($(el, 'fd-scanner')!, '[role=alert]'), 'the refusal is shown', { timeout: 10_000 });
      await expect(el).to.be.accessible();
      type(el, SERIAL);
      await waitUntil(() => $(el, '[part=card]'), 'a typed serial still works', SLOW);
      $$<HTMLButtonElement>($(el, 'fd-scanner')!, 'button')
        .find((b) => b.textContent!.trim() === 'Close the camera')!
        .click();
      await waitUntil(() => !$(el, 'fd-scanner'), 'the camera view is closed', SLOW);
      await el.updateComplete;
      expect(el.shadowRoot!.activeElement?.id).to.equal('scan');
    });
  });
});

describe('<fd-counter>: the shop', () => {
  let fetchStub: ReturnType<typeof stubFetch> | undefined;
  beforeEach(() => localStorage.removeItem(SHOP_KEY));
  afterEach(() => {
    fetchStub?.restore();
    localStorage.removeItem(SHOP_KEY);
  });

  const everyShop: Me = { ...owner, locationId: null };
  const atLyon: Me = { ...staff, locationId: 'lyon' };
  const withShops = (p: Program = stamps): Program => ({ ...p, locations: shops });

  /** The counter for `me`, a card looked up; every write answers the card with 8 stamps. */
  async function shopCounter(opts: { me?: Me; program?: Program; card?: Record<string, unknown>; lang?: string } = {}) {
    fetchStub = stubFetch((c) => {
      if (c.method === 'GET') return json(card(opts.card));
      const after = lea({ ...opts.card, stamps: 8 });
      const path = c.url.pathname;
      return json(path.endsWith('/stamps') ? stamped(after) : path.endsWith('/purchases') ? purchased(after) : redeemed(after));
    });
    const el = await fixture<FdCounter>(
      html`<fd-counter lang=${opts.lang ?? 'en'} .program=${opts.program ?? withShops()} .me=${opts.me ?? everyShop}></fd-counter>`,
    );
    type(el, SERIAL);
    await waitUntil(() => $(el, '[part=card]'), 'the card is shown');
    return el;
  }

  const posts = () => fetchStub!.calls.filter((c) => c.method === 'POST');
  const select = (el: FdCounter) => $<HTMLSelectElement>(el, '#shop');

  it('offers the shops, the first by default, and is accessible', async () => {
    const el = await shopCounter();
    const s = select(el)!;
    expect($(el, 'label[for=shop]')!.textContent!.trim()).to.equal('Shop');
    expect([...s.options].map((o) => [o.value, o.textContent!.trim()])).to.deep.equal([
      ['bastille', 'Bastille'],
      ['lyon', 'Lyon Croix-Rousse'],
    ]);
    expect(s.value).to.equal('bastille');
    await expect(el).to.be.accessible();
  });

  it('sends the shop with a stamp; another shop chosen is sent and remembered on the device', async () => {
    const el = await shopCounter();
    button(el, '+1 stamp')!.click();
    await waitUntil(() => posts().length === 1);
    expect(posts()[0]!.url.pathname).to.equal(`/api/merchant/cards/${SERIAL}/stamps`);
    expect(posts()[0]!.body).to.deep.equal({ count: 1, locationId: 'bastille' });
    await waitUntil(() => text(el).includes('8 / 10'));

    const s = select(el)!;
    s.value = 'lyon';
    s.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(localStorage.getItem(SHOP_KEY)).to.equal('lyon');
    button(el, '+1 stamp')!.click();
    await waitUntil(() => posts().length === 2);
    expect(posts()[1]!.body).to.deep.equal({ count: 1, locationId: 'lyon' });
  });

  it('starts on the remembered shop, or the first when the remembered one is gone', async () => {
    localStorage.setItem(SHOP_KEY, 'lyon');
    const el = await shopCounter();
    expect(select(el)!.value).to.equal('lyon');
    fetchStub!.restore();
    localStorage.setItem(SHOP_KEY, 'closed-shop');
    const other = await shopCounter();
    expect(select(other)!.value).to.equal('bastille');
    button(other, '+1 stamp')!.click();
    await waitUntil(() => posts().length === 1);
    expect(posts()[0]!.body).to.deep.equal({ count: 1, locationId: 'bastille' });
  });

  it('sends the shop with a purchase and a redemption', async () => {
    const pointsCard = { programType: 'points', stamps: null, stampsRequired: null, rewardsAvailable: null, points: 25 };
    localStorage.setItem(SHOP_KEY, 'lyon');
    const el = await shopCounter({ program: withShops(points), card: pointsCard });
    const amount = $<HTMLInputElement>(el, '#amount')!;
    amount.value = '4.20';
    amount.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    await el.updateComplete;
    button(el, 'Add purchase')!.click();
    await waitUntil(() => posts().length === 1);
    expect(posts()[0]!.url.pathname).to.equal(`/api/merchant/cards/${SERIAL}/purchases`);
    expect(posts()[0]!.body).to.deep.equal({ amount: 420, locationId: 'lyon' });
    await waitUntil(() => button(el, 'Redeem: Croissant')?.getAttribute('aria-disabled') === 'false');
    button(el, 'Redeem: Croissant')!.click();
    await waitUntil(() => posts().length === 2);
    expect(posts()[1]!.url.pathname).to.equal(`/api/merchant/cards/${SERIAL}/redemptions`);
    expect(posts()[1]!.body).to.deep.equal({ rewardId: 'croissant', locationId: 'lyon' });
  });

  it('shows the shop of an account tied to one, with no select, and sends no shop', async () => {
    localStorage.setItem(SHOP_KEY, 'bastille');
    const el = await shopCounter({ me: atLyon });
    expect(select(el)).to.equal(null);
    expect($(el, '[part=shop]')!.textContent!.trim()).to.equal('Shop: Lyon Croix-Rousse');
    button(el, '+1 stamp')!.click();
    await waitUntil(() => posts().length === 1);
    expect(posts()[0]!.body).to.deep.equal({ count: 1 });
    await expect(el).to.be.accessible();
  });

  it('has no select and sends no shop without shops; speaks French', async () => {
    const el = await shopCounter({ program: stamps });
    expect(select(el)).to.equal(null);
    expect($(el, '[part=shop]')).to.equal(null);
    button(el, '+1 stamp')!.click();
    await waitUntil(() => posts().length === 1);
    expect(posts()[0]!.body).to.deep.equal({ count: 1 });
    fetchStub!.restore();

    const fr = await shopCounter({ lang: 'fr' });
    expect($(fr, 'label[for=shop]')!.textContent!.trim()).to.equal('Boutique');
    expect(text(fr)).to.contain('Ce choix est mémorisé sur cet appareil.');
    fetchStub!.restore();
    const tied = await shopCounter({ lang: 'fr', me: atLyon });
    expect($(tied, '[part=shop]')!.textContent!.trim()).to.equal('Boutique : Lyon Croix-Rousse');
  });
});
