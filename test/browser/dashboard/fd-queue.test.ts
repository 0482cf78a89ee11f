import { expect, fixture, fixtureCleanup, html, waitUntil } from '@open-wc/testing';
import '../../../dashboard/fd-counter.ts';
import type { Program } from '../../../common/api.ts';
import type { FdCounter } from '../../../dashboard/fd-counter.ts';
import { type Item, Outbox, verdict } from '../../../dashboard/queue.ts';
import { $, $$, text } from '../support/dom.ts';
import { cafe, owner, shops, stamped } from './fixtures.ts';
import { type Answer, type Call, cardAnswer, json, problem, stubFetch } from '../support/fetch.ts';

// A database of this file's own: test files run side by side in one browser profile.
const DB = 'fidelio-outbox-test';
const SERIAL = 'abcdefghijklmnopqrstuv2345';
const OTHER = 'zyxwvutsrqponmlkjihgfedcb7';

const stamps: Program = { ...cafe, reward: { name: 'A free coffee', costMinor: 100 } };

/** Léa's card, no stamp yet (`c` changed). */
const lea = (c: Record<string, unknown> = {}) => cardAnswer({ serial: SERIAL, stamps: 0, customerName: 'Léa Petit', ...c }).card;
/** `GET /api/merchant/cards/:serial`: Léa's card. */
const card = () => ({ card: lea() });
/** `POST …/stamps`: Léa's card after the stamps (`c` changed). */
const afterStamp = (c: Record<string, unknown> = {}) => stamped(lea(c));
const down = () => Promise.reject(new TypeError('Failed to fetch'));
const posts = (calls: Call[]) => calls.filter((c) => c.method === 'POST');
const keys = (calls: Call[]) => posts(calls).map((c) => c.headers.get('idempotency-key')!);

function deleteDb(): Promise<void> {
  return new Promise((resolve, reject) => {
    const r = indexedDB.deleteDatabase(DB);
    r.onsuccess = () => resolve();
    r.onerror = () => reject(r.error);
    r.onblocked = () => reject(new Error('the test database is still open somewhere'));
  });
}

/** Waits for an async condition. */
async function until(what: string, ok: () => Promise<boolean>, ms = 4000) {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`Timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const item = (key: string): Omit<Item, 'id' | 'at'> => ({
  key,
  method: 'POST',
  path: `cards/${SERIAL}/stamps`,
  body: { count: 1 },
  label: key,
});

const button = (el: FdCounter, label: string) => $$<HTMLButtonElement>(el, 'button').find((b) => b.textContent!.trim() === label);

describe('the outbox (IndexedDB)', () => {
  let boxes: Outbox[] = [];
  const open = () => {
    const box = new Outbox(DB);
    boxes.push(box);
    return box;
  };
  beforeEach(deleteDb);
  afterEach(() => {
    boxes.forEach((b) => b.close());
    boxes = [];
  });

  it('keeps its items, oldest first, across a re-opening, and each key once', async () => {
    const a = open();
    expect(await a.enqueue(item('k1'))).to.equal(true);
    expect(await a.enqueue(item('k2'))).to.equal(true);
    expect(await a.enqueue(item('k1'))).to.equal(false);
    a.close();
    const pending = await open().pending();
    expect(pending.map((i) => i.key)).to.deep.equal(['k1', 'k2']);
    expect(pending[0]).to.include({ method: 'POST', path: `cards/${SERIAL}/stamps`, label: 'k1' });
    expect(pending[0]!.body).to.deep.equal({ count: 1 });
  });

  it('tells when it changes', async () => {
    const box = open();
    let changes = 0;
    box.addEventListener('change', () => changes++);
    await box.enqueue(item('k1'));
    await box.flush(async () => 'done');
    expect(changes).to.equal(2);
  });

  it('stops a flush at a network error and keeps the rest, in order', async () => {
    const box = open();
    for (const k of ['a', 'b', 'c', 'd']) await box.enqueue(item(k));
    const sent: string[] = [];
    const r = await box.flush(async (i) => {
      sent.push(i.key);
      if (i.key === 'b') throw new TypeError('Failed to fetch');
      return 'done';
    });
    expect(sent).to.deep.equal(['a', 'b']);
    expect(r.done.map((i) => i.key)).to.deep.equal(['a']);
    expect(r.kept?.key).to.equal('b');
    expect((await box.pending()).map((i) => i.key)).to.deep.equal(['b', 'c', 'd']);
    // A 'keep' verdict (5xx, 429…) stops it the same way.
    const again: string[] = [];
    await box.flush(async (i) => (again.push(i.key), i.key === 'c' ? 'keep' : 'done'));
    expect(again).to.deep.equal(['b', 'c']);
    expect((await box.pending()).map((i) => i.key)).to.deep.equal(['c', 'd']);
  });

  it('removes a dropped item and goes on with the next', async () => {
    const box = open();
    for (const k of ['a', 'b', 'c']) await box.enqueue(item(k));
    const r = await box.flush(async (i) => (i.key === 'a' ? 'drop' : 'done'));
    expect(r.dropped.map((i) => i.key)).to.deep.equal(['a']);
    expect(r.done.map((i) => i.key)).to.deep.equal(['b', 'c']);
    expect(await box.pending()).to.have.length(0);
  });

  it('runs one flush at a time, even from two connections (two tabs)', async () => {
    const a = open();
    const b = open();
    for (const k of ['a', 'b', 'c']) await a.enqueue(item(k));
    const sent: string[] = [];
    const send = async (i: Item) => {
      sent.push(i.key);
      await new Promise((r) => setTimeout(r, 10));
      return 'done' as const;
    };
    await Promise.all([a.flush(send), a.flush(send), b.flush(send)]);
    expect(sent).to.deep.equal(['a', 'b', 'c']);
  });

  it('sorts answers: 2xx done; no answer, 401, 408, 429, 5xx kept; other 4xx dropped', () => {
    expect([200, 201, 204].map(verdict)).to.deep.equal(['done', 'done', 'done']);
    expect([0, 401, 408, 429, 500, 503].map(verdict)).to.deep.equal(['keep', 'keep', 'keep', 'keep', 'keep', 'keep']);
    expect([400, 403, 404, 409, 422].map(verdict)).to.deep.equal(['drop', 'drop', 'drop', 'drop', 'drop']);
  });
});

describe('<fd-counter> offline', () => {
  let fetchStub: ReturnType<typeof stubFetch> | undefined;
  let boxes: Outbox[] = [];
  let answer: Answer = () => json(afterStamp());

  beforeEach(deleteDb);
  afterEach(() => {
    fixtureCleanup();
    fetchStub?.restore();
    boxes.forEach((b) => b.close());
    boxes = [];
    delete (navigator as { onLine?: boolean }).onLine;
  });

  /** A counter with its own outbox on the test database (a new one is like a reload), the card shown. */
  async function counter(opts: { lang?: string; lookup?: boolean } = {}) {
    const box = new Outbox(DB);
    boxes.push(box);
    const el = await fixture<FdCounter>(
      html`<fd-counter lang=${opts.lang ?? 'en'} timeout="500" .program=${stamps} .outbox=${box}></fd-counter>`,
    );
    if (opts.lookup !== false) {
      const input = $<HTMLInputElement>(el, '#serial')!;
      input.value = SERIAL;
      input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
      await waitUntil(() => $(el, '[part=card]'), 'the card is shown');
    }
    return { el, box };
  }

  /** Taps "+1 stamp" and waits until the tap is handled (the button is enabled again). */
  async function stamp(el: FdCounter) {
    button(el, '+1 stamp')!.click();
    await el.updateComplete;
    await waitUntil(() => button(el, '+1 stamp')!.getAttribute('aria-disabled') === 'false', 'the tap is handled');
  }

  beforeEach(() => {
    answer = () => json(afterStamp());
    fetchStub = stubFetch((c) => (c.method === 'GET' ? json(card()) : answer(c)));
  });

  it('saves a stamp that got no answer, with its key, and says so', async () => {
    answer = down;
    const { el, box } = await counter();
    await stamp(el);
    await waitUntil(() => text(el).includes('1 pending'), 'the stamp is saved offline');
    expect($(el, '[role=status] [part=saved]')!.textContent!.replace(/\s+/g, ' ')).to.contain(
      'Stamp saved offline. The server cannot be reached: it will be sent by itself once the connection is back (1 pending).',
    );
    expect($(el, '[role=alert]'), 'saved, not an error').to.equal(null);
    expect($(el, '[part=waiting]')!.textContent).to.equal('+1 stamp waiting to be sent');
    expect(text(el)).to.contain('Waiting to be sent: 1').and.contain('+1 stamp — Léa Petit');
    const [queued] = await box.pending();
    expect(queued!.key).to.equal(keys(fetchStub!.calls)[0]);
    expect(queued!.path).to.equal(`cards/${SERIAL}/stamps`);
    await expect(el).to.be.accessible();
  });

  it('20 stamps offline, the page reloaded, the network back: exactly 20, each key once', async () => {
    answer = down;
    const first = await counter();
    for (let i = 0; i < 20; i++) await stamp(first.el);
    await waitUntil(() => text(first.el).includes('Waiting to be sent: 20'), '20 are pending');
    const queued = await first.box.pending();
    expect(queued).to.have.length(20);
    expect(new Set(queued.map((i) => i.key)).size).to.equal(20);
    for (const i of queued) expect(i.body).to.deep.equal({ count: 1 });

    // Reload: the element and its connection go, new ones come; the network is back.
    fixtureCleanup();
    first.box.close();
    fetchStub!.calls.length = 0;
    let balance = 0;
    const landed = new Set<string>();
    answer = (c) => {
      const key = c.headers.get('idempotency-key')!;
      if (!landed.has(key)) (landed.add(key), balance++);
      return json(afterStamp({ stamps: balance }));
    };
    const { el, box } = await counter({ lookup: false });
    await until('the outbox is sent', async () => (await box.pending()).length === 0);
    await waitUntil(() => !text(el).includes('Waiting to be sent'), 'nothing is pending on screen');
    expect(posts(fetchStub!.calls)).to.have.length(20);
    expect(keys(fetchStub!.calls)).to.deep.equal(queued.map((i) => i.key));
    expect(balance).to.equal(20);
  });

  it('queues at once while the browser is offline, and sends on "online"', async () => {
    const { el, box } = await counter();
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
    await stamp(el);
    await stamp(el);
    expect(posts(fetchStub!.calls)).to.have.length(0);
    expect((await box.pending()).length).to.equal(2);
    await waitUntil(() => text(el).includes('(2 pending)'), 'both are saved offline');
    delete (navigator as { onLine?: boolean }).onLine;
    let n = 0;
    answer = () => json(afterStamp({ stamps: ++n }));
    dispatchEvent(new Event('online'));
    await waitUntil(() => text(el).includes('Everything saved offline has been sent.'), 'the outbox is sent');
    expect(text(el)).to.contain('2 / 10');
    expect(posts(fetchStub!.calls)).to.have.length(2);
    expect((await box.pending()).length).to.equal(0);
  });

  it('queues behind waiting stamps after a network error, and sends them in order when it is back', async () => {
    answer = down;
    const { el, box } = await counter();
    await stamp(el);
    await stamp(el);
    await stamp(el);
    const queued = (await box.pending()).map((i) => i.key);
    expect(queued).to.have.length(3);
    let n = 0;
    answer = () => json(afterStamp({ stamps: ++n }));
    button(el, 'Send now')!.click();
    await until('the outbox is sent', async () => (await box.pending()).length === 0);
    const sent = keys(fetchStub!.calls);
    expect(sent.slice(-3)).to.deep.equal(queued);
    await waitUntil(() => text(el).includes('3 / 10'), 'the balance is shown');
  });

  it('drops a write the server refuses (unknown card) and shows it as not sent', async () => {
    answer = down;
    const { el, box } = await counter();
    await stamp(el);
    await stamp(el);
    answer = () => (posts(fetchStub!.calls).length === 3 ? problem(404, 'not_found') : json(afterStamp({ stamps: 1 })));
    button(el, 'Try again')!.click();
    await until('the outbox is sent', async () => (await box.pending()).length === 0);
    await waitUntil(() => $(el, '[part=failed]'), 'the refused write is shown');
    expect($(el, '[part=failed]')!.textContent!.replace(/\s+/g, ' ')).to.contain(
      'Not sent: +1 stamp — Léa Petit. No card with this number.',
    );
    expect(posts(fetchStub!.calls)).to.have.length(4);
    button(el, 'OK')!.click();
    await el.updateComplete;
    expect($(el, '[part=failed]')).to.equal(null);
  });

  it('keeps a write the server cannot take now (503), and sends it later', async () => {
    answer = () => problem(503, 'unavailable');
    const { el, box } = await counter();
    await stamp(el);
    // A 503 is an answer: not queued by the write itself, shown with a retry.
    expect((await box.pending()).length).to.equal(0);
    answer = down;
    button(el, 'Try again')!.click();
    await until('the stamp is queued', async () => (await box.pending()).length === 1);
    answer = () => problem(503, 'unavailable');
    button(el, 'Send now')!.click();
    await waitUntil(() => posts(fetchStub!.calls).length === 3, 'sent again');
    expect((await box.pending()).length).to.equal(1);
    answer = () => json(afterStamp({ stamps: 1 }));
    button(el, 'Send now')!.click();
    await until('the outbox is sent', async () => (await box.pending()).length === 0);
  });

  it('resends a write that landed but whose answer was lost with the same key: the server counts it once', async () => {
    let balance = 0;
    const landed = new Set<string>();
    let loseAnswer = true;
    answer = (c) => {
      const key = c.headers.get('idempotency-key')!;
      if (!landed.has(key)) (landed.add(key), balance++);
      if (loseAnswer) return down();
      return json(afterStamp({ stamps: balance }));
    };
    const { el, box } = await counter();
    await stamp(el);
    expect(balance).to.equal(1);
    await waitUntil(() => text(el).includes('(1 pending)'), 'saved offline');
    loseAnswer = false;
    button(el, 'Try again')!.click();
    await until('the outbox is sent', async () => (await box.pending()).length === 0);
    const sent = keys(fetchStub!.calls);
    expect(sent).to.have.length(2);
    expect(sent[1]).to.equal(sent[0]);
    expect(balance).to.equal(1);
    await waitUntil(() => text(el).includes('1 / 10'), 'the balance is shown once');
  });

  it('keeps a write cut short by looking up another card', async () => {
    let release!: (r: Response) => void;
    answer = () => new Promise((resolve) => (release = resolve));
    const { el, box } = await counter();
    button(el, '+1 stamp')!.click();
    await waitUntil(() => posts(fetchStub!.calls).length === 1, 'the stamp is sent');
    const input = $<HTMLInputElement>(el, '#serial')!;
    input.value = OTHER;
    input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    await until('the stamp is queued', async () => (await box.pending()).length === 1);
    expect((await box.pending())[0]!.key).to.equal(keys(fetchStub!.calls)[0]);
    release(json(afterStamp()));
  });

  it('speaks French', async () => {
    answer = down;
    const { el } = await counter({ lang: 'fr' });
    button(el, '+1 tampon')!.click();
    await waitUntil(() => text(el).includes('en attente'), 'saved offline');
    expect(text(el))
      .to.contain('Tampon enregistré hors ligne. Le serveur est injoignable : envoi automatique au retour de la connexion (1 en attente).')
      .and.contain('+1 tampon en attente d’envoi')
      .and.contain('En attente d’envoi : 1')
      .and.contain('+1 tampon — Léa Petit')
      .and.contain('Envoyer maintenant');
  });
});

describe('<fd-counter> offline, with shops', () => {
  let fetchStub: ReturnType<typeof stubFetch> | undefined;
  let box: Outbox | undefined;
  beforeEach(deleteDb);
  afterEach(() => {
    fixtureCleanup();
    fetchStub?.restore();
    box?.close();
    localStorage.removeItem('fidelio.counter.location');
  });

  it('queues the write with its shop, and sends the same body once the network is back', async () => {
    let online = false;
    fetchStub = stubFetch((c) => (c.method === 'GET' ? json(card()) : online ? json(afterStamp({ stamps: 1 })) : down()));
    localStorage.setItem('fidelio.counter.location', 'lyon');
    box = new Outbox(DB);
    const el = await fixture<FdCounter>(
      html`<fd-counter
        lang="en"
        timeout="500"
        .program=${{ ...stamps, locations: shops }}
        .me=${{ ...owner, locationId: null }}
        .outbox=${box}
      ></fd-counter>`,
    );
    const input = $<HTMLInputElement>(el, '#serial')!;
    input.value = SERIAL;
    input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    await waitUntil(() => $(el, '[part=card]'), 'the card is shown');
    button(el, '+1 stamp')!.click();
    await waitUntil(() => text(el).includes('1 pending'), 'the stamp is saved offline');
    const [queued] = await box.pending();
    expect(queued!.body).to.deep.equal({ count: 1, locationId: 'lyon' });

    online = true;
    button(el, 'Send now')!.click();
    await until('the outbox is sent', async () => (await box!.pending()).length === 0);
    const sent = posts(fetchStub.calls);
    expect(sent).to.have.length(2);
    expect(sent[1]!.body).to.deep.equal({ count: 1, locationId: 'lyon' });
    expect(sent[1]!.headers.get('idempotency-key')).to.equal(sent[0]!.headers.get('idempotency-key'));
  });
});
