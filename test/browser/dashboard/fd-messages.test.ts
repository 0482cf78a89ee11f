import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../dashboard/screens/fd-messages.ts';
import type { FdMessages } from '../../../dashboard/screens/fd-messages.ts';
import { $, focused, text } from '../support/dom.ts';
import { type Answer, type Call, json, problem, stubFetch } from '../support/fetch.ts';
import { cafe, owner, staff } from './fixtures.ts';

/** The API: the reach, and `post` for the message itself. */
function api(post: Answer = () => json({ passes: 3, devices: 2 }, 202), reach = { cards: 3, devices: 2 }): Answer {
  return (c) => (c.method === 'GET' && c.url.pathname === '/api/merchant/messages/reach' ? json(reach) : post(c));
}

async function screen(answer: Answer = api(), me = owner) {
  const stub = stubFetch(answer);
  const el = await fixture<FdMessages>(html`<fd-messages lang="en" .program=${cafe} .me=${me}></fd-messages>`);
  return { el, stub };
}

async function write(el: FdMessages, value: string) {
  const area = $<HTMLTextAreaElement>(el, 'textarea')!;
  area.value = value;
  area.dispatchEvent(new InputEvent('input'));
  await el.updateComplete;
}

const next = (el: FdMessages) => $<HTMLButtonElement>(el, 'form button[type=submit]')!;
const button = (el: FdMessages, action: string) => $<HTMLButtonElement>(el, `[data-action=${action}]`);
const posts = (calls: Call[]) => calls.filter((c) => c.method === 'POST');

/** Writes a message and continues to the confirmation, with its reach shown. */
async function confirmStep(el: FdMessages, value = 'Fresh croissants at 7') {
  await write(el, value);
  next(el).click();
  await waitUntil(() => button(el, 'send'), 'the confirmation shows the reach');
}

describe('<fd-messages>', () => {
  let fetchStub: ReturnType<typeof stubFetch> | undefined;
  afterEach(() => fetchStub?.restore());

  it('is accessible, writing and confirming', async function (this: { timeout(ms: number): void }) {
    // The first axe run of a file loads axe: seconds on a busy machine.
    this.timeout(10_000);
    const { el, stub } = await screen();
    fetchStub = stub;
    await expect(el).to.be.accessible();
    await confirmStep(el);
    await expect(el).to.be.accessible();
  });

  it('says where the message appears, and counts the characters as typed', async () => {
    const { el, stub } = await screen();
    fetchStub = stub;
    expect(text(el)).to.contain('appears on the back of every loyalty pass').and.contain('notification on the lock screen');
    const area = $<HTMLTextAreaElement>(el, 'textarea')!;
    expect(area.labels![0]!.textContent).to.equal('Message');
    area.focus();
    await sendKeys({ type: 'Hello' });
    await el.updateComplete;
    expect($(el, '#count')!.textContent).to.equal('5 / 300 characters');
    expect(area.getAttribute('aria-describedby')).to.equal('count');
  });

  it('cannot send an empty, blank or 301-character text; 300 characters go through', async () => {
    const { el, stub } = await screen();
    fetchStub = stub;
    for (const bad of ['', '   \n ', 'x'.repeat(301)]) {
      await write(el, bad);
      expect(next(el).getAttribute('aria-disabled'), JSON.stringify(bad.slice(0, 5))).to.equal('true');
      next(el).click();
      await el.updateComplete;
      expect(button(el, 'send')).to.equal(null);
    }
    expect($(el, '[role=alert]')!.textContent).to.contain('Too long: remove 1 character.');
    expect($(el, 'textarea')!.getAttribute('aria-invalid')).to.equal('true');
    expect(stub.calls).to.have.length(0);
    await confirmStep(el, ` ${'x'.repeat(300)} `);
    expect(stub.calls).to.have.length(1);
  });

  it('the confirmation says how many passes and devices the GET counts; Cancel sends nothing and keeps the text', async () => {
    const { el, stub } = await screen();
    fetchStub = stub;
    await confirmStep(el);
    expect(stub.calls[0]!.method).to.equal('GET');
    expect(stub.calls[0]!.url.pathname).to.equal('/api/merchant/messages/reach');
    const t = text(el);
    expect(t).to.contain('Send this message?').and.contain('Fresh croissants at 7');
    expect(t).to.contain(
      'It will show on 3 passes. Phones with the pass in Apple Wallet (2 devices) or Google Wallet will get a notification.',
    );
    expect(button(el, 'send')!.textContent!.trim()).to.equal('Send to 3 passes');
    expect(focused()!.id).to.equal('confirm-title');
    button(el, 'cancel')!.click();
    await el.updateComplete;
    expect(posts(stub.calls)).to.have.length(0);
    expect($<HTMLTextAreaElement>(el, 'textarea')!.value).to.equal('Fresh croissants at 7');
  });

  it('Send POSTs the trimmed text once, however often it is tapped, then says how many passes it reached', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { el, stub } = await screen(
      api(async () => {
        await gate;
        return json({ passes: 3, devices: 2 }, 202);
      }),
    );
    fetchStub = stub;
    await confirmStep(el, '  Open on Sunday  ');
    button(el, 'send')!.click();
    await el.updateComplete;
    expect(button(el, 'send')!.getAttribute('aria-disabled')).to.equal('true');
    button(el, 'send')!.click();
    button(el, 'cancel')!.click();
    release();
    await waitUntil(() => text(el).includes('Sent to 3 passes.'));
    const sent = posts(stub.calls);
    expect(sent).to.have.length(1);
    expect(sent[0]!.url.pathname).to.equal('/api/merchant/messages');
    expect(sent[0]!.body).to.deep.equal({ text: 'Open on Sunday' });
  });

  it('one pass, no device, or nobody yet: said plainly', async () => {
    const { el, stub } = await screen(api(undefined, { cards: 0, devices: 0 }));
    fetchStub = stub;
    await confirmStep(el);
    expect(text(el))
      .to.contain('It will show on 0 passes. Phones with the pass in Apple Wallet (0 devices)')
      .and.contain('Nobody has joined yet');
    fetchStub.restore();
    const one = await screen(api(undefined, { cards: 1, devices: 1 }));
    fetchStub = one.stub;
    await confirmStep(one.el);
    expect(text(one.el)).to.contain('It will show on 1 pass. Phones with the pass in Apple Wallet (1 device) or Google Wallet');
  });

  it('a refused send keeps the confirmation with the reason; a 401 tells the shell', async () => {
    const { el, stub } = await screen(api(() => problem(500, 'internal_error')));
    fetchStub = stub;
    await confirmStep(el);
    button(el, 'send')!.click();
    await waitUntil(() => $(el, '[role=alert]'));
    expect($(el, '[role=alert]')!.textContent).to.contain('Try again');
    expect(button(el, 'send')).to.not.equal(null);
    fetchStub.restore();
    const gone = await screen(() => problem(401, 'unauthorized'));
    fetchStub = gone.stub;
    await write(gone.el, 'Hi');
    const signedOut = oneEvent(gone.el, 'fd-signed-out');
    next(gone.el).click();
    await signedOut;
  });

  it('staff see no form; a 403 from the server says the page is for the owner', async () => {
    const { el, stub } = await screen(api(), staff);
    fetchStub = stub;
    expect($(el, 'textarea')).to.equal(null);
    expect(text(el)).to.contain('Only the owner of the business can open this page.');
    fetchStub.restore();
    const refused = await screen(() => problem(403, 'forbidden'));
    fetchStub = refused.stub;
    await write(refused.el, 'Hi');
    next(refused.el).click();
    await waitUntil(() => $(refused.el, '[role=alert]'));
    expect($(refused.el, '[role=alert]')!.textContent).to.contain('Only the owner');
    expect(button(refused.el, 'send')).to.equal(null);
  });

  it('speaks French', async () => {
    fetchStub = stubFetch(api());
    const el = await fixture<FdMessages>(html`<fd-messages lang="fr" .me=${owner}></fd-messages>`);
    await confirmStep(el);
    expect(text(el)).to.contain(
      'Il s’affichera sur 3 cartes. Les téléphones qui ont la carte dans Apple Wallet (2 appareils) ou Google Wallet recevront une notification.',
    );
    expect(button(el, 'send')!.textContent!.trim()).to.equal('Envoyer sur 3 cartes');
  });

  it('in French, 0 and 1 take the singular, and the verb agrees with its subject', async () => {
    fetchStub = stubFetch(api(undefined, { cards: 1, devices: 0 }));
    const el = await fixture<FdMessages>(html`<fd-messages lang="fr" .me=${owner}></fd-messages>`);
    await confirmStep(el);
    expect(text(el)).to.contain(
      'Il s’affichera sur 1 carte. Les téléphones qui ont la carte dans Apple Wallet (0 appareil) ou Google Wallet recevront une notification.',
    );
    expect(text(el)).to.not.contain('appareil avec Apple Wallet recevront');
    expect(button(el, 'send')!.textContent!.trim()).to.equal('Envoyer sur 1 carte');
  });

  it('tells the shell when a message is written and not sent', async () => {
    const { el, stub } = await screen();
    fetchStub = stub;
    expect(el.unsaved).to.equal(false);
    await write(el, '   ');
    expect(el.unsaved, 'blank').to.equal(false);
    await confirmStep(el, 'Open on Sunday');
    expect(el.unsaved, 'confirming').to.equal(true);
    button(el, 'send')!.click();
    await waitUntil(() => text(el).includes('Sent to 3 passes.'));
    expect(el.unsaved, 'sent').to.equal(false);
  });
});
