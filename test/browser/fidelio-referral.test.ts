import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../widget/index.ts';
import type { FidelioReferral } from '../../widget/fidelio-referral.ts';
import { $, focused, text } from './support/dom.ts';
import { API, type Call, json, problem, stubFetch } from './support/fetch.ts';

const SERIAL = 'abcdefghijklmnopqrstuvwxyz';
/** What both earn: the server's sentence, in the language the element asks for (`?lang=`). */
const OFFER = {
  en: 'Your friend gets 1 stamp when they join; you get 2 stamps on their first visit.',
  fr: 'Votre ami reçoit 1 tampon à l’inscription ; vous recevez 2 tampons à sa première visite.',
};
const REFERRAL = { code: 'CAMI42', url: 'https://cafe-lune.test/?ref=CAMI42', invited: 3, joined: 2, rewarded: 1, offer: OFFER.en };
/** The referral answer, its sentence in the language asked. */
const answer = (call: Call) => json({ ...REFERRAL, offer: OFFER[call.url.searchParams.get('lang') === 'fr' ? 'fr' : 'en'] });

async function referral(lang = 'en') {
  const el = await fixture<FidelioReferral>(html`<fidelio-referral api=${API} serial=${SERIAL} lang=${lang}></fidelio-referral>`);
  await waitUntil(() => $(el, 'input, [role=alert]'), 'the referral has loaded');
  return el;
}

describe('<fidelio-referral>', () => {
  let stub: ReturnType<typeof stubFetch>;
  beforeEach(() => (stub = stubFetch(answer)));
  afterEach(() => stub.restore());

  it('is accessible', async () => {
    const el = await referral();
    await expect(el).to.be.accessible();
  });

  it("shows the member's link and how the invitations went", async () => {
    const el = await referral();
    expect(stub.calls[0]!.url.href).to.equal(`${API}/api/public/cards/${SERIAL}/referral?lang=en`);
    const link = $<HTMLInputElement>(el, '#link')!;
    expect(link.value).to.equal(REFERRAL.url);
    expect(link.readOnly).to.equal(true);
    expect(link.labels![0]!.textContent).to.equal('Your personal link');
    expect(text(el)).to.match(/Invited ?3 ?Joined ?2 ?Rewarded ?1/);
  });

  it('copies the link with the keyboard and says so', async () => {
    const copied: string[] = [];
    const clipboard = Object.getOwnPropertyDescriptor(Navigator.prototype, 'clipboard')!;
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: async (t: string) => void copied.push(t) } });
    try {
      const el = await referral();
      await sendKeys({ press: 'Tab' });
      await sendKeys({ press: 'Tab' });
      expect(focused()!.textContent).to.equal('Copy');
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => copied.length === 1, 'the link was copied');
      expect(copied).to.deep.equal([REFERRAL.url]);
      await el.updateComplete;
      expect($(el, '[role=status]')!.textContent).to.equal('Link copied.');
    } finally {
      delete (navigator as { clipboard?: unknown }).clipboard;
      Object.defineProperty(Navigator.prototype, 'clipboard', clipboard);
    }
  });

  it("offers the browser's share sheet only where there is one", async () => {
    const shared: ShareData[] = [];
    Object.defineProperty(navigator, 'share', { configurable: true, value: async (d: ShareData) => void shared.push(d) });
    try {
      const el = await referral();
      const share = [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent === 'Share')!;
      share.click();
      expect(shared).to.deep.equal([{ text: 'Join with my link:', url: REFERRAL.url }]);
    } finally {
      delete (navigator as { share?: unknown }).share;
    }
    if (!('share' in navigator)) {
      const el = await referral();
      expect([...el.shadowRoot!.querySelectorAll('button')].map((b) => b.textContent)).to.deep.equal(['Copy']);
    }
  });

  it('says when the service is down, with a retry', async () => {
    stub.restore();
    let down = true;
    stub = stubFetch((c) => (down ? problem(502, 'unavailable') : answer(c)));
    const el = await referral();
    expect($(el, '[role=alert]')!.textContent).to.contain('The loyalty service cannot be reached.');
    down = false;
    $(el, '[role=alert] button')!.click();
    await waitUntil(() => $(el, '#link'), 'the link is shown');
  });

  it('says what the friend and the member earn, above the link', async () => {
    const el = await referral();
    // Right after the title, before the link.
    const said = $(el, 'h2 + p')!;
    expect(said.textContent).to.equal(OFFER.en);
    expect(said.nextElementSibling!.querySelector('#link')).to.not.equal(null);

    // A program where nobody earns anything: no sentence, nothing empty in its place.
    stub.restore();
    stub = stubFetch(() => json({ ...REFERRAL, offer: null }));
    const none = await referral();
    expect($(none, 'h2 + p')).to.equal(null);
    expect($(none, 'h2 + .field #link')).to.not.equal(null);
  });

  it('speaks French, and asks the server for its sentence in French', async () => {
    const el = await referral('fr');
    expect(stub.calls[0]!.url.searchParams.get('lang')).to.equal('fr');
    expect(text(el)).to.contain('Parrainez vos amis').and.contain('Votre lien personnel').and.contain('Copier').and.contain('Inscrits');
    expect(text(el)).to.contain(OFFER.fr);
  });
});
