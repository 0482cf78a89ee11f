import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../../dashboard/screens/fd-webhooks.ts';
import type { Me, WebhookDelivery, WebhookInfo } from '../../../common/api.ts';
import type { FdWebhooks } from '../../../dashboard/screens/fd-webhooks.ts';
import { $, $$, text } from '../support/dom.ts';
import { type Answer, json, problem, stubFetch } from '../support/fetch.ts';
import { cafe, owner, staff } from './fixtures.ts';

const SECRET = 'whsec_9fK2mQ7xLp4RtZ8vW3yB6nCd';

const hooks = (): { webhooks: WebhookInfo[] } => ({
  webhooks: [
    {
      id: 'w1',
      url: 'https://till.example.com/fidelio',
      events: ['card.stamped', 'reward.redeemed'],
      createdAt: '2026-01-03T12:00:00.000Z',
      delivered: 42,
      failing: 1,
    },
  ],
});

const failed: WebhookDelivery = {
  id: 'd1',
  eventId: 'e1',
  type: 'card.stamped',
  status: 'failed',
  createdAt: '2026-02-01T12:00:00.000Z',
  deliveredAt: null,
  nextAttemptAt: null,
  attempts: [
    { at: '2026-02-01T12:00:00.000Z', status: 500, error: null, durationMs: 120 },
    { at: '2026-02-01T12:05:00.000Z', status: null, error: 'timed out after 10 s', durationMs: 10000 },
  ],
};
const delivered: WebhookDelivery = {
  id: 'd2',
  eventId: 'e2',
  type: 'reward.redeemed',
  status: 'delivered',
  createdAt: '2026-02-02T12:00:00.000Z',
  deliveredAt: '2026-02-02T12:00:01.000Z',
  nextAttemptAt: null,
  attempts: [{ at: '2026-02-02T12:00:01.000Z', status: 200, error: null, durationMs: 80 }],
};

/** The screen for `me`; `read` answers the GETs (the list by default), `write` the rest. */
async function screen(opts: { me?: Me; lang?: string; read?: Answer; write?: Answer } = {}) {
  const read: Answer = opts.read ?? (() => json(hooks()));
  const stub = stubFetch((c) => (c.method === 'GET' ? read(c) : (opts.write ?? (() => problem(500, 'internal_error')))(c)));
  const el = await fixture<FdWebhooks>(
    html`<fd-webhooks lang=${opts.lang ?? 'en'} .program=${cafe} .me=${opts.me ?? owner}></fd-webhooks>`,
  );
  if ((opts.me ?? owner).role === 'owner') await waitUntil(() => $(el, '.hooks, .none, [role=alert]'), 'the list is shown');
  return { el, stub };
}

const button = (el: FdWebhooks, label: string) => $$<HTMLButtonElement>(el, 'button').find((b) => b.textContent!.trim() === label);
const items = (el: FdWebhooks) => $$(el, '.hook').map((li) => li.textContent!.replace(/\s+/g, ' ').trim());

function fillUrl(el: FdWebhooks, value: string) {
  const input = $<HTMLInputElement>(el, '#hook-url')!;
  input.value = value;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
}

function tick(el: FdWebhooks, ...events: string[]) {
  for (const e of events) $<HTMLInputElement>(el, `input[name=events][value="${e}"]`)!.click();
}

describe('<fd-webhooks>', () => {
  let fetchStub: ReturnType<typeof stubFetch> | undefined;
  let clipboard: PropertyDescriptor | undefined;
  afterEach(() => {
    fetchStub?.restore();
    if (clipboard) Object.defineProperty(navigator, 'clipboard', clipboard);
    clipboard = undefined;
  });

  it('lists the webhooks with their events in words and how the last 30 days went; accessible', async () => {
    const { el, stub } = await screen();
    fetchStub = stub;
    expect(stub.calls.map((c) => `${c.method} ${c.url.pathname}`)).to.deep.equal(['GET /api/merchant/webhooks']);
    expect(items(el)).to.deep.equal([
      'https://till.example.com/fidelio A card gets a stamp · A reward is used Added Jan 3, 2026 · last 30 days: 42 delivered, 1 failing Deliveries Delete',
    ]);
    expect(button(el, 'Deliveries')!.getAttribute('aria-expanded')).to.equal('false');
    expect(button(el, 'Delete')!.getAttribute('aria-label')).to.equal('Delete the webhook to https://till.example.com/fidelio');
    // One checkbox per event, each with its plain-language label.
    expect($$<HTMLInputElement>(el, 'input[name=events]').map((i) => i.value)).to.deep.equal([
      'member.joined',
      'card.stamped',
      'card.purchased',
      'reward.earned',
      'reward.redeemed',
      'reward.redemption_undone',
      'review.created',
    ]);
    expect($$(el, 'label.check').map((l) => l.textContent!.replace(/\s+/g, ' ').trim())[0]).to.equal(
      'Someone joins the program member.joined',
    );
    await expect(el).to.be.accessible();
  });

  it('says when there is none yet', async () => {
    const { el, stub } = await screen({ read: () => json({ webhooks: [] }) });
    fetchStub = stub;
    expect(text(el)).to.contain('No webhook yet.');
  });

  it('adds a webhook: sends the URL and events, shows the secret once with how to check a signature, and lists it', async () => {
    const copied: string[] = [];
    clipboard = Object.getOwnPropertyDescriptor(Navigator.prototype, 'clipboard');
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: async (t: string) => void copied.push(t) } });
    const { el, stub } = await screen({
      write: (c) =>
        json(
          {
            id: 'w2',
            url: 'https://crm.example.com/hook',
            events: (c.body as { events: string[] }).events,
            createdAt: '2026-03-01T12:00:00.000Z',
            secret: SECRET,
          },
          201,
        ),
    });
    fetchStub = stub;
    fillUrl(el, ' https://crm.example.com/hook ');
    tick(el, 'member.joined', 'review.created');
    button(el, 'Add the webhook')!.click();
    await waitUntil(() => $(el, '.secret'), 'the secret is shown');
    const writes = stub.calls.filter((c) => c.method === 'POST');
    expect(writes).to.have.length(1);
    expect(writes[0]!.url.pathname).to.equal('/api/merchant/webhooks');
    expect(writes[0]!.body).to.deep.equal({ url: 'https://crm.example.com/hook', events: ['member.joined', 'review.created'] });
    expect($(el, '.secret')!.textContent).to.equal(SECRET);
    expect(text(el))
      .to.contain('it will not be shown again')
      .and.contain('Fidelio-Signature: t=<unix time>,v1=<signature>')
      .and.contain('HMAC-SHA256 of “<t>.<body>”');
    expect(el.shadowRoot!.activeElement?.id, 'the secret has the focus').to.equal('new-secret');
    expect(items(el)).to.have.length(2);
    expect(items(el)[1])
      .to.contain('https://crm.example.com/hook Someone joins the program · A review is left')
      .and.contain('0 delivered, 0 failing');
    await expect(el).to.be.accessible();

    button(el, 'Copy the secret')!.click();
    await waitUntil(() => text(el).includes('Copied.'), 'the copy is announced');
    expect(copied).to.deep.equal([SECRET]);
    button(el, 'I have copied it')!.click();
    await el.updateComplete;
    expect(text(el), 'never shown again').to.not.contain(SECRET);
    expect($<HTMLInputElement>(el, '#hook-url')!.value, 'the form is emptied').to.equal('');
  });

  it('asks for an event before sending', async () => {
    const { el, stub } = await screen();
    fetchStub = stub;
    fillUrl(el, 'https://crm.example.com/hook');
    button(el, 'Add the webhook')!.click();
    await el.updateComplete;
    expect($(el, '#events-error')!.textContent).to.equal('Choose at least one event.');
    expect($(el, 'fieldset')!.getAttribute('aria-describedby')).to.equal('events-error');
    expect(stub.calls.filter((c) => c.method === 'POST')).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('shows the server’s field errors (400) next to the field', async () => {
    const { el, stub } = await screen({
      write: () => problem(400, 'validation_failed', [{ path: 'url', message: 'private and loopback addresses are refused' }]),
    });
    fetchStub = stub;
    fillUrl(el, 'http://127.0.0.1/hook');
    tick(el, 'card.stamped');
    button(el, 'Add the webhook')!.click();
    await waitUntil(() => $(el, '#hook-url-error'), 'the error is shown');
    expect($(el, '#hook-url-error')!.textContent).to.equal('private and loopback addresses are refused');
    const input = $<HTMLInputElement>(el, '#hook-url')!;
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    expect(input.getAttribute('aria-describedby')).to.contain('hook-url-error');
    expect(el.shadowRoot!.activeElement, 'the field has the focus').to.equal(input);
    expect($(el, 'form [role=alert]')!.textContent).to.equal('Check the fields marked.');
    expect(input.value, 'what was typed is kept').to.equal('http://127.0.0.1/hook');
    await expect(el).to.be.accessible();
  });

  it('deletes a webhook after a confirmation naming it; Cancel keeps it', async () => {
    const { el, stub } = await screen({ write: () => new Response(null, { status: 204 }) });
    fetchStub = stub;
    button(el, 'Delete')!.click();
    await el.updateComplete;
    expect($(el, '[role=alertdialog]')!.textContent).to.contain(
      'Delete the webhook to https://till.example.com/fidelio? Nothing more will be sent there.',
    );
    expect(el.shadowRoot!.activeElement?.id).to.equal('confirm');
    await expect(el).to.be.accessible();
    button(el, 'Cancel')!.click();
    await el.updateComplete;
    expect($(el, '[role=alertdialog]')).to.equal(null);
    expect(el.shadowRoot!.activeElement?.textContent!.trim(), 'the focus is back on Delete').to.equal('Delete');
    expect(stub.calls.filter((c) => c.method === 'DELETE')).to.have.length(0);

    button(el, 'Delete')!.click();
    await el.updateComplete;
    button(el, 'Yes, delete')!.click();
    await waitUntil(() => text(el).includes('The webhook to https://till.example.com/fidelio was deleted.'), 'the deletion is confirmed');
    expect(stub.calls.filter((c) => c.method === 'DELETE').map((c) => c.url.pathname)).to.deep.equal(['/api/merchant/webhooks/w1']);
    expect(items(el)).to.have.length(0);
    expect(text(el)).to.contain('No webhook yet.');
  });

  it('opens the deliveries of a webhook, with each attempt, and sends one again', async () => {
    const read: Answer = (c) => (c.url.pathname.endsWith('/deliveries') ? json({ deliveries: [failed, delivered] }) : json(hooks()));
    let release!: (r: Response) => void;
    const { el, stub } = await screen({ read, write: () => new Promise((r) => (release = r)) });
    fetchStub = stub;
    const toggle = button(el, 'Deliveries')!;
    toggle.click();
    await waitUntil(() => $(el, '.deliveries'), 'the deliveries are shown');
    expect(toggle.getAttribute('aria-expanded')).to.equal('true');
    expect($(el, `#${toggle.getAttribute('aria-controls')}`), 'the button controls the log').to.not.equal(null);
    expect(stub.calls.map((c) => c.url.pathname)).to.deep.equal(['/api/merchant/webhooks', '/api/merchant/webhooks/w1/deliveries']);
    const log = $$(el, '.deliveries > li').map((li) => li.textContent!.replace(/\s+/g, ' ').trim());
    expect(log[0])
      .to.contain('A card gets a stamp card.stamped')
      .and.contain('Failed: given up')
      .and.contain('HTTP 500 · 120 ms')
      .and.contain('no answer · 10000 ms · timed out after 10 s');
    expect(log[1]).to.contain('A reward is used reward.redeemed').and.contain('Delivered').and.contain('HTTP 200 · 80 ms');
    await expect(el).to.be.accessible();

    const again = $$<HTMLButtonElement>(el, '.deliveries button')[0]!;
    expect(again.getAttribute('aria-label')).to.match(/^Send again: A card gets a stamp, /);
    again.click();
    await el.updateComplete;
    expect(again.textContent!.trim()).to.equal('Sending…');
    again.click();
    const posts = stub.calls.filter((c) => c.method === 'POST');
    expect(
      posts.map((c) => c.url.pathname),
      'sent once',
    ).to.deep.equal(['/api/merchant/webhooks/w1/deliveries/d1/retry']);
    release(json({ ...failed, status: 'pending', nextAttemptAt: '2026-02-01T13:00:00.000Z' }, 202));
    await waitUntil(() => text(el).includes('Sent again: it is on its way.'), 'the retry is confirmed');
    expect($$(el, '.deliveries > li')[0]!.textContent).to.contain('Waiting: next try').and.not.contain('Failed');

    toggle.click();
    await el.updateComplete;
    expect($(el, '.deliveries'), 'closed').to.equal(null);
    expect(toggle.getAttribute('aria-expanded')).to.equal('false');
  });

  it('says when a webhook has sent nothing yet, and when the log cannot be read', async () => {
    let answer: Answer = () => json({ deliveries: [] });
    const read: Answer = (c) => (c.url.pathname.endsWith('/deliveries') ? answer(c) : json(hooks()));
    const { el, stub } = await screen({ read });
    fetchStub = stub;
    button(el, 'Deliveries')!.click();
    await waitUntil(() => text(el).includes('Nothing sent yet.'), 'the empty log is shown');
    button(el, 'Deliveries')!.click();
    answer = () => problem(503, 'unavailable');
    await el.updateComplete;
    button(el, 'Deliveries')!.click();
    await waitUntil(() => $(el, '.log [role=alert]'), 'the failure is shown');
    expect($(el, '.log [role=alert]')!.textContent).to.contain('Something went wrong');
  });

  it('fits a 390-px phone, deliveries open, without scrolling sideways', async () => {
    const read: Answer = (c) => (c.url.pathname.endsWith('/deliveries') ? json({ deliveries: [failed, delivered] }) : json(hooks()));
    const { el, stub } = await screen({ read });
    fetchStub = stub;
    el.style.width = '390px';
    button(el, 'Deliveries')!.click();
    await waitUntil(() => $(el, '.deliveries'), 'the deliveries are shown');
    expect(el.scrollWidth).to.be.at.most(390);
    for (const b of $$(el, 'button')) expect(b.getBoundingClientRect().height, b.textContent!).to.be.at.least(44);
  });

  it('shows the owner-only message when the server refuses (403), and to staff without asking', async () => {
    const refused = await screen({ read: () => problem(403, 'forbidden') });
    fetchStub = refused.stub;
    expect($(refused.el, '[role=alert]')!.textContent).to.equal('Only the owner of the business can open this page.');
    fetchStub.restore();

    const asStaff = await screen({ me: staff });
    fetchStub = asStaff.stub;
    expect(text(asStaff.el)).to.contain('Only the owner of the business can open this page.');
    expect(asStaff.stub.calls).to.have.length(0);
  });

  it('tells the app when the session has ended', async () => {
    fetchStub = stubFetch(() => problem(401, 'unauthorized'));
    const el = document.createElement('fd-webhooks');
    el.me = owner;
    setTimeout(() => document.body.append(el));
    await oneEvent(el, 'fd-signed-out');
    el.remove();
  });

  it('speaks French', async () => {
    const { el, stub } = await screen({ lang: 'fr' });
    fetchStub = stub;
    expect(text(el))
      .to.contain('Vos webhooks')
      .and.contain('Une carte reçoit un tampon')
      .and.contain('Envois')
      .and.contain('Ajouter le webhook');
  });

  it('tells the shell when an address typed was not added', async () => {
    const { el, stub } = await screen();
    fetchStub = stub;
    expect(el.unsaved).to.equal(false);
    fillUrl(el, 'https://till.example.com/hook');
    expect(el.unsaved).to.equal(true);
  });
});
