// The counter after a redemption and after a referred friend's first visit (issue 16, "from real
// use"): "Reward redeemed. [Undo]" for a few seconds, not a modal, and a visit that paid a
// referral bonus says so.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../dashboard/fd-counter.ts';
import type { Program } from '../../../common/api.ts';
import type { FdCounter } from '../../../dashboard/fd-counter.ts';
import { $, $$, focused, text } from '../support/dom.ts';
import { type Answer, type Call, cardAnswer, json, problem, stubFetch } from '../support/fetch.ts';
import { cafe, pointsCafe } from './fixtures.ts';

const SERIAL = 'abcdefghijklmnopqrstuv2345';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const REDEMPTION = '0b5c3e2a-6f1d-4c8e-9a7b-2d4e6f8a0c1e';

const card = (c: Record<string, unknown> = {}) => cardAnswer({ serial: SERIAL, stamps: 4, customerName: 'Léa Petit', ...c }).card;
const redeemed = (c: Record<string, unknown> = {}) => ({
  card: card({ rewardsAvailable: 0, ...c }),
  redeemed: { id: REDEMPTION, rewardId: null, name: 'A free coffee' },
});
const undone = () => ({ card: card({ rewardsAvailable: 1 }), undone: { id: REDEMPTION, rewardId: null, name: 'A free coffee' } });

/** The counter with a card holding a reward; `post` answers every write (the undo among them). */
async function counter(post: Answer, opts: { lang?: string; program?: Program; card?: Record<string, unknown>; undoFor?: number } = {}) {
  const stub = stubFetch((c) => (c.method === 'GET' ? json({ card: card({ rewardsAvailable: 1, ...opts.card }) }) : post(c)));
  const el = await fixture<FdCounter>(
    html`<fd-counter lang=${opts.lang ?? 'en'} .program=${opts.program ?? cafe} .undoFor=${opts.undoFor ?? 8_000}></fd-counter>`,
  );
  const input = $<HTMLInputElement>(el, '#serial')!;
  input.value = SERIAL;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  await waitUntil(() => $(el, '[part=card]'), 'the card is shown');
  return { el, stub };
}

const button = (el: FdCounter, label: string) => $$<HTMLButtonElement>(el, 'button').find((b) => b.textContent!.trim() === label);
const posts = (stub: { calls: Call[] }) => stub.calls.filter((c) => c.method === 'POST');
const isUndo = (c: Call) => c.url.pathname.endsWith('/undo');
/** The bar's live region, as read (spaces, no-break ones too, as one). */
const status = (el: FdCounter) => $(el, '[role=status]')!.textContent!.replace(/\s+/g, ' ').trim();

describe('<fd-counter> undo of a redemption', () => {
  let stub: ReturnType<typeof stubFetch> | undefined;
  afterEach(() => stub?.restore());

  it('says "Reward redeemed." with Undo, which gives the reward back and says so', async () => {
    let release!: (r: Response) => void;
    const c = await counter((call) => (isUndo(call) ? new Promise((resolve) => (release = resolve)) : json(redeemed())));
    stub = c.stub;
    const { el } = c;
    button(el, 'Redeem reward')!.click();
    await waitUntil(() => button(el, 'Undo'), 'Undo is offered');
    expect(status(el)).to.equal('Reward redeemed. Undo');
    expect(text(el)).to.not.contain('Rewards available');
    expect($(el, '[role=dialog]')).to.equal(null);
    await expect(el).to.be.accessible();

    const undo = button(el, 'Undo')!;
    undo.click();
    undo.click(); // a second tap while it is sent sends nothing more
    await el.updateComplete;
    expect(button(el, 'Undoing…')!.getAttribute('aria-disabled')).to.equal('true');
    const undos = posts(stub).filter(isUndo);
    expect(undos).to.have.length(1);
    expect(undos[0]!.url.pathname).to.equal(`/api/merchant/cards/${SERIAL}/redemptions/${REDEMPTION}/undo`);
    expect(undos[0]!.headers.get('idempotency-key')).to.match(UUID);
    expect(undos[0]!.headers.get('idempotency-key')).to.not.equal(posts(stub)[0]!.headers.get('idempotency-key'));
    expect(undos[0]!.body).to.equal(undefined);

    release(json(undone()));
    await waitUntil(() => $(el, '[part=undone]'), 'the undo is confirmed');
    expect(status(el)).to.equal('Undone: the reward is available again.');
    expect(text(el)).to.contain('Rewards available: 1');
    expect(button(el, 'Undo')).to.equal(undefined);
    expect(button(el, 'Redeem reward')!.getAttribute('aria-disabled')).to.equal('false');
  });

  it('takes Undo away after a few seconds, and gives the focus to the bar’s buttons', async () => {
    const c = await counter(() => json(redeemed()), { undoFor: 400 });
    stub = c.stub;
    const { el } = c;
    button(el, 'Redeem reward')!.click();
    await waitUntil(() => button(el, 'Undo'), 'Undo is offered');
    button(el, 'Undo')!.focus();
    await waitUntil(() => !button(el, 'Undo'), 'Undo is gone', { timeout: 3_000 });
    expect(status(el)).to.equal('Reward redeemed.');
    expect(focused()).to.equal(button(el, '+1 stamp'));
    expect(posts(stub).filter(isUndo)).to.have.length(0);
  });

  it('is not offered after a stamp, and goes away with the next write', async () => {
    const c = await counter((call) =>
      call.url.pathname.endsWith('/stamps')
        ? json({ card: card({ stamps: 5, rewardsAvailable: 1 }), rewardEarned: false, rewardsEarned: 0, referralBonus: 0 })
        : json(redeemed()),
    );
    stub = c.stub;
    const { el } = c;
    button(el, '+1 stamp')!.click();
    await waitUntil(() => text(el).includes('Stamp added.'), 'the stamp is confirmed');
    expect(button(el, 'Undo')).to.equal(undefined);
    button(el, 'Redeem reward')!.click();
    await waitUntil(() => button(el, 'Undo'), 'Undo is offered');
    button(el, '+1 stamp')!.click();
    await waitUntil(() => text(el).includes('Stamp added.'), 'the stamp is confirmed');
    expect(button(el, 'Undo')).to.equal(undefined);
  });

  it('says when it is too late (409), without a retry', async () => {
    const c = await counter((call) => (isUndo(call) ? problem(409, 'conflict') : json(redeemed())));
    stub = c.stub;
    const { el } = c;
    button(el, 'Redeem reward')!.click();
    await waitUntil(() => button(el, 'Undo'), 'Undo is offered');
    button(el, 'Undo')!.click();
    await waitUntil(() => $(el, '[role=alert]'), 'the refusal is shown');
    expect($(el, '[role=alert]')!.textContent).to.contain('Too late to undo: a reward used can be given back within 10 minutes.');
    expect(button(el, 'Try again')).to.equal(undefined);
    expect(button(el, 'Undo')).to.equal(undefined);
  });

  it('after a network error, tries again with the same key', async () => {
    let down = true;
    const c = await counter((call) =>
      isUndo(call) ? (down ? Promise.reject(new TypeError('Failed to fetch')) : json(undone())) : json(redeemed()),
    );
    stub = c.stub;
    const { el } = c;
    button(el, 'Redeem reward')!.click();
    await waitUntil(() => button(el, 'Undo'), 'Undo is offered');
    button(el, 'Undo')!.click();
    await waitUntil(() => button(el, 'Try again'), 'a retry is offered');
    down = false;
    button(el, 'Try again')!.click();
    await waitUntil(() => $(el, '[part=undone]'), 'the undo is confirmed');
    const keys = posts(stub)
      .filter(isUndo)
      .map((u) => u.headers.get('idempotency-key'));
    expect(keys).to.have.length(2);
    expect(keys[0]).to.equal(keys[1]);
  });

  it('works with the keyboard, and speaks French', async () => {
    const c = await counter((call) => (isUndo(call) ? json(undone()) : json(redeemed())), { lang: 'fr' });
    stub = c.stub;
    const { el } = c;
    button(el, 'Utiliser la récompense')!.click();
    await waitUntil(() => button(el, 'Annuler'), 'Annuler is offered');
    expect(status(el)).to.equal('Récompense utilisée. Annuler');
    button(el, 'Annuler')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => $(el, '[part=undone]'), 'the undo is confirmed');
    expect(status(el)).to.equal('Utilisation annulée : la récompense est de nouveau disponible.');
  });

  it('a points reward redeemed from the catalog can be undone too', async () => {
    const pointsCard = { programType: 'points', stamps: null, stampsRequired: null, rewardsAvailable: null, points: 25 };
    const c = await counter(
      (call) =>
        isUndo(call)
          ? json({ card: card({ ...pointsCard }), undone: { id: REDEMPTION, rewardId: 'croissant', name: 'Croissant' } })
          : json({ card: card({ ...pointsCard, points: 5 }), redeemed: { id: REDEMPTION, rewardId: 'croissant', name: 'Croissant' } }),
      { program: pointsCafe, card: pointsCard },
    );
    stub = c.stub;
    const { el } = c;
    button(el, 'Redeem: Croissant')!.click();
    await waitUntil(() => button(el, 'Undo'), 'Undo is offered');
    button(el, 'Undo')!.click();
    await waitUntil(() => $(el, '[part=undone]'), 'the undo is confirmed');
    expect(text(el)).to.contain('25 points');
  });
});

describe('<fd-counter> referral bonus', () => {
  let stub: ReturnType<typeof stubFetch> | undefined;
  afterEach(() => stub?.restore());

  const stamped = (referralBonus: number) => () =>
    json({ card: card({ stamps: 3, rewardsAvailable: 0 }), rewardEarned: false, rewardsEarned: 0, referralBonus });

  it('says why a first stamp shows 1 → 3', async () => {
    const c = await counter(stamped(2), { card: { stamps: 0, rewardsAvailable: 0 } });
    stub = c.stub;
    button(c.el, '+1 stamp')!.click();
    await waitUntil(() => $(c.el, '[part=done]'), 'the stamp is confirmed');
    expect(status(c.el)).to.equal('Stamp added. +2 bonus stamps: a referred friend’s first visit.');
  });

  it('in French, one stamp or more', async () => {
    const c = await counter(stamped(2), { lang: 'fr', card: { stamps: 0, rewardsAvailable: 0 } });
    stub = c.stub;
    button(c.el, '+1 tampon')!.click();
    await waitUntil(() => $(c.el, '[part=done]'), 'the stamp is confirmed');
    expect(status(c.el)).to.equal('Tampon ajouté. +2 tampons offerts : première visite d’un ami parrainé.');
    stub.restore();
    const one = await counter(stamped(1), { lang: 'fr', card: { stamps: 0, rewardsAvailable: 0 } });
    stub = one.stub;
    button(one.el, '+1 tampon')!.click();
    await waitUntil(() => $(one.el, '[part=done]'), 'the stamp is confirmed');
    expect(status(one.el)).to.equal('Tampon ajouté. +1 tampon offert : première visite d’un ami parrainé.');
  });

  it('says nothing more without a bonus', async () => {
    const c = await counter(stamped(0), { card: { stamps: 0, rewardsAvailable: 0 } });
    stub = c.stub;
    button(c.el, '+1 stamp')!.click();
    await waitUntil(() => $(c.el, '[part=done]'), 'the stamp is confirmed');
    expect(status(c.el)).to.equal('Stamp added.');
  });

  it('points and cashback: in their unit', async () => {
    const pointsCard = { programType: 'points', stamps: null, stampsRequired: null, rewardsAvailable: null, points: 0 };
    const p = await counter(() => json({ card: card({ ...pointsCard, points: 62 }), tierChanged: false, referralBonus: 50 }), {
      lang: 'fr',
      program: pointsCafe,
      card: pointsCard,
    });
    stub = p.stub;
    await typeAmount(p.el, '12');
    button(p.el, 'Enregistrer l’achat')!.click();
    await waitUntil(() => $(p.el, '[part=done]'), 'the purchase is confirmed');
    expect(status(p.el)).to.equal('Achat enregistré. +50 points offerts : première visite d’un ami parrainé.');
    stub.restore();

    const cashCard = { programType: 'cashback', stamps: null, stampsRequired: null, rewardsAvailable: null, cashbackBalance: 0 };
    const k = await counter(() => json({ card: card({ ...cashCard, cashbackBalance: 370 }), tierChanged: false, referralBonus: 250 }), {
      lang: 'fr',
      program: { ...cafe, type: 'cashback', cashbackPercent: 10 },
      card: cashCard,
    });
    stub = k.stub;
    await typeAmount(k.el, '12');
    button(k.el, 'Enregistrer l’achat')!.click();
    await waitUntil(() => $(k.el, '[part=done]'), 'the purchase is confirmed');
    expect(status(k.el)).to.equal('Achat enregistré. +2,50 € dans la cagnotte : première visite d’un ami parrainé.');
  });
});

async function typeAmount(el: FdCounter, value: string) {
  const amount = $<HTMLInputElement>(el, '#amount')!;
  amount.value = value;
  amount.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  await el.updateComplete;
}
