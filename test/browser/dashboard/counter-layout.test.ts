// The counter on a phone, in the whole dashboard (header, menu, then the counter): what a write
// says must show above the bar of buttons stuck to the bottom of the screen, not under it.
import { expect, fixture, fixtureCleanup, html, waitUntil } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import '../../../dashboard/fidelio-dashboard.ts';
import type { FdCounter } from '../../../dashboard/fd-counter.ts';
import type { FidelioDashboard } from '../../../dashboard/fidelio-dashboard.ts';
import { Outbox } from '../../../dashboard/queue.ts';
import { $, $$ } from '../support/dom.ts';
import { type Answer, cardAnswer, json, stubFetch } from '../support/fetch.ts';
import { cafe, owner, stamped } from './fixtures.ts';

const SERIAL = 'abcdefghijklmnopqrstuv2345';
const DB = 'fidelio-outbox-layout-test';
/** Léa's card, 9 stamps of 10 (`c` changed). */
const lea = (c: Record<string, unknown> = {}) => cardAnswer({ serial: SERIAL, stamps: 9, customerName: 'Léa Petit', ...c }).card;

function deleteDb(): Promise<void> {
  return new Promise((resolve, reject) => {
    const r = indexedDB.deleteDatabase(DB);
    r.onsuccess = () => resolve();
    r.onerror = () => reject(r.error);
    r.onblocked = () => reject(new Error('the test database is still open somewhere'));
  });
}

/** The dashboard on the counter, signed in, with a card looked up; `write` answers the stamps. */
async function counterWith(write: Answer, box: Outbox) {
  document.cookie = 'fidelio_signed_in=1; Path=/';
  const stub = stubFetch((c) => {
    if (c.url.pathname === '/api/merchant/me') return json(owner);
    if (c.url.pathname === '/api/merchant/program') return json({ program: cafe });
    return c.method === 'GET' ? json({ card: lea() }) : write(c);
  });
  const shell = await fixture<FidelioDashboard>(html`<fidelio-dashboard lang="fr"></fidelio-dashboard>`);
  await waitUntil(() => $(shell, 'fd-counter'), 'the counter is shown');
  const el = $<FdCounter>(shell, 'fd-counter')!;
  el.outbox = box;
  await el.updateComplete;
  const input = $<HTMLInputElement>(el, '#serial')!;
  input.value = SERIAL;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  await waitUntil(() => $(el, '[part=card]'), 'the card is shown');
  return { el, stub };
}

/** The deepest element of the counter whose text holds `words`. */
function holding(el: FdCounter, words: string): HTMLElement {
  const found = $$(el, '*').filter((e) => e.textContent!.replace(/\s+/g, ' ').includes(words));
  const deepest = found.find((e) => !found.some((other) => other !== e && e.contains(other)));
  if (!deepest) throw new Error(`nothing says “${words}”`);
  return deepest;
}

/** The box around the bar's buttons ("+1 tampon", "Utiliser la récompense"), where the thumb goes. */
function bar(el: FdCounter): DOMRect {
  const boxes = $$(el, '.actions > .btn, [part=buttons] > .btn').map((b) => b.getBoundingClientRect());
  const top = Math.min(...boxes.map((b) => b.top));
  const bottom = Math.max(...boxes.map((b) => b.bottom));
  return new DOMRect(0, top, innerWidth, bottom - top);
}

/** On screen, clear of the bar, and on top at its middle (nothing covers it). */
function expectSeen(el: FdCounter, target: HTMLElement, what: string) {
  const r = target.getBoundingClientRect();
  const b = bar(el);
  expect(r.top, `${what}: below the top of the screen`).to.be.at.least(0);
  expect(r.bottom, `${what}: above the bottom of the screen`).to.be.at.most(innerHeight);
  expect(r.bottom <= b.top || r.top >= b.bottom, `${what} (${r.top}–${r.bottom}) clear of the bar (${b.top}–${b.bottom})`).to.equal(true);
  const hit = el.shadowRoot!.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  expect(hit === target || target.contains(hit) || hit?.contains(target), `${what}: nothing on top of it`).to.equal(true);
}

describe('<fd-counter> on a phone (390 × 844)', () => {
  let fetchStub: ReturnType<typeof stubFetch> | undefined;
  let box: Outbox;
  before(() => setViewport({ width: 390, height: 844 }));
  after(() => setViewport({ width: 800, height: 600 }));
  beforeEach(async () => {
    await deleteDb();
    box = new Outbox(DB);
    scrollTo(0, 0);
  });
  afterEach(() => {
    fixtureCleanup();
    fetchStub?.restore();
    box.close();
    document.cookie = 'fidelio_signed_in=; Max-Age=0; Path=/';
    delete (navigator as { onLine?: boolean }).onLine;
  });

  it('"Récompense gagnée !" on the stamp that earns it shows above the bar, in a live region', async () => {
    const { el, stub } = await counterWith(
      () => json(stamped(lea({ stamps: 0, rewardsAvailable: 1 }), { rewardEarned: true, rewardsEarned: 1 })),
      box,
    );
    fetchStub = stub;
    $$<HTMLButtonElement>(el, 'button')
      .find((b) => b.textContent!.trim() === '+1 tampon')!
      .click();
    await waitUntil(() => el.shadowRoot!.textContent!.includes('Récompense gagnée !'), 'the reward is announced');
    await el.updateComplete;
    const said = holding(el, 'Récompense gagnée !').closest('p')!;
    expect(said.textContent!.replace(/\s+/g, ' ').trim()).to.equal('Récompense gagnée ! Tampon ajouté.');
    expect(said.closest('[role=status]'), 'announced').to.not.equal(null);
    expectSeen(el, said, 'the confirmation');
  });

  it('a stamp saved offline reads as saved (not an error), above the bar, with "Réessayer"; the card shows it pending', async () => {
    const { el, stub } = await counterWith(() => Promise.reject(new TypeError('Failed to fetch')), box);
    fetchStub = stub;
    const plus = () => $$<HTMLButtonElement>(el, 'button').find((b) => b.textContent!.trim() === '+1 tampon')!;
    plus().click();
    await waitUntil(() => el.shadowRoot!.textContent!.includes('(1 en attente)'), 'the stamp is saved offline');
    await waitUntil(() => plus().getAttribute('aria-disabled') === 'false', 'the tap is handled');
    plus().click();
    await waitUntil(() => el.shadowRoot!.textContent!.includes('(2 en attente)'), 'the second stamp is saved offline');
    await el.updateComplete;

    const saved = holding(el, 'Tampon enregistré hors ligne.').closest('.alert') as HTMLElement;
    expect(saved.textContent!.replace(/\s+/g, ' ')).to.contain(
      'Tampon enregistré hors ligne. Le serveur est injoignable : envoi automatique au retour de la connexion (2 en attente).',
    );
    expect(saved.closest('[role=status]'), 'announced politely').to.not.equal(null);
    expect(saved.closest('[role=alert]'), 'not as an error').to.equal(null);
    expect(saved.classList.contains('ok'), 'styled as saved').to.equal(true);
    expect(getComputedStyle(saved).backgroundColor).to.not.equal('rgb(255, 245, 245)');
    expectSeen(el, saved, 'the offline message');
    const retry = [...saved.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Réessayer')!;
    expectSeen(el, retry, '"Réessayer"');
    expect($(el, '[part=waiting]')!.textContent).to.equal('+2 tampons en attente d’envoi');
    expect($(el, '[part=card]')!.contains($(el, '[part=waiting]'))).to.equal(true);

    // The list of what waits: scrolled to the end of the page, above the bar too.
    scrollTo(0, document.documentElement.scrollHeight);
    await new Promise((r) => requestAnimationFrame(r));
    const pending = $(el, '[part=pending]')!;
    expect(pending.textContent!.replace(/\s+/g, ' ')).to.contain('En attente d’envoi : 2').and.contain('+1 tampon — Léa Petit');
    expectSeen(el, pending, 'the list of what waits');
  });
});
