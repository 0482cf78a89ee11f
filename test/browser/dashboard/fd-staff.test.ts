import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../../dashboard/screens/fd-staff.ts';
import type { ApiKeyInfo, Me, Program } from '../../../common/api.ts';
import type { FdStaff } from '../../../dashboard/screens/fd-staff.ts';
import { $, $$, text } from '../support/dom.ts';
import { type Answer, json, problem, stubFetch } from '../support/fetch.ts';
import { cafe, owner, staff, twoShops } from './fixtures.ts';

const KEY = 'fid_live_3kTq9vXb2mLp8RzW4yHc6NdA';
const team = () => ({
  staff: [
    { id: 'u1', email: 'owner@example.com', role: 'owner', locationId: null, createdAt: '2026-01-01T00:00:00.000Z' },
    { id: 'u2', email: 'lea@example.com', role: 'staff', locationId: null, createdAt: '2026-01-02T00:00:00.000Z' },
  ],
});
const tillKeys = (): { keys: ApiKeyInfo[] } => ({
  keys: [
    {
      id: 'k1',
      name: 'Front counter',
      prefix: 'fk_AbCd',
      locationId: null,
      createdAt: '2026-01-03T12:00:00.000Z',
      lastUsedAt: '2026-02-10T12:00:00.000Z',
    },
    { id: 'k2', name: 'Terrace', prefix: 'fk_XyZw', locationId: 'loc-gare', createdAt: '2026-01-05T12:00:00.000Z', lastUsedAt: null },
  ],
});

/**
 * The screen for `me`; `write` decides the writes, `list` the GETs (by default GET /staff
 * answers the team, GET /api-keys the till keys, `keys` when given).
 */
async function screen(opts: { me?: Me; lang?: string; write?: Answer; list?: Answer; keys?: Answer; program?: Program } = {}) {
  const read: Answer = (c) => (c.url.pathname.endsWith('/api-keys') ? (opts.keys ?? (() => json(tillKeys())))(c) : json(team()));
  const stub = stubFetch((c) => (c.method === 'GET' ? (opts.list ?? read)(c) : (opts.write ?? (() => problem(500, 'internal_error')))(c)));
  const el = await fixture<FdStaff>(
    html`<fd-staff lang=${opts.lang ?? 'en'} .program=${opts.program ?? cafe} .me=${opts.me ?? owner}></fd-staff>`,
  );
  if ((opts.me ?? owner).role === 'owner') {
    await waitUntil(() => $(el, '.team, [role=alert]'), 'the team is shown');
    await waitUntil(() => $(el, '.keys, .keys-none, [role=alert]'), 'the keys are shown');
  }
  return { el, stub };
}

const button = (el: FdStaff, label: string) => $$<HTMLButtonElement>(el, 'button').find((b) => b.textContent!.trim() === label);

function fill(el: FdStaff, id: string, value: string) {
  const input = $<HTMLInputElement>(el, `#${id}`)!;
  input.value = value;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
}

const members = (el: FdStaff) => $$(el, '.team li').map((li) => li.textContent!.replace(/\s+/g, ' ').trim());
const keys = (el: FdStaff) => $$(el, '.keys li').map((li) => li.textContent!.replace(/\s+/g, ' ').trim());

describe('<fd-staff>', () => {
  let fetchStub: ReturnType<typeof stubFetch> | undefined;
  let clipboard: PropertyDescriptor | undefined;
  afterEach(() => {
    fetchStub?.restore();
    if (clipboard) Object.defineProperty(navigator, 'clipboard', clipboard);
    clipboard = undefined;
  });

  it('lists the team, the owner marked as such and not removable; accessible', async () => {
    const { el, stub } = await screen();
    fetchStub = stub;
    expect(stub.calls[0]!.url.pathname).to.equal('/api/merchant/staff');
    expect(members(el)).to.deep.equal(['owner@example.com (you) Owner', 'lea@example.com Staff Remove']);
    expect($$(el, '.team li')[0]!.querySelector('button')).to.equal(null);
    expect($$(el, '.team button')[0]!.getAttribute('aria-label')).to.equal('Remove lea@example.com');
    await expect(el).to.be.accessible();
  });

  it('adds a staff member: sends the email and password once, and shows them in the team', async () => {
    let release!: (r: Response) => void;
    const { el, stub } = await screen({ write: () => new Promise((r) => (release = r)) });
    fetchStub = stub;
    fill(el, 'email', ' sam@example.com ');
    fill(el, 'password', 'correct-horse-9');
    const add = button(el, 'Add to the team')!;
    add.click();
    await el.updateComplete;
    const adding = button(el, 'Adding…')!;
    expect(adding.getAttribute('aria-disabled')).to.equal('true');
    adding.click();
    const writes = stub.calls.filter((c) => c.method === 'POST');
    expect(writes).to.have.length(1);
    expect(writes[0]!.url.pathname).to.equal('/api/merchant/staff');
    expect(writes[0]!.body).to.deep.equal({ email: 'sam@example.com', password: 'correct-horse-9' });
    release(json({ id: 'u3', email: 'sam@example.com', role: 'staff', locationId: null }, 201));
    await waitUntil(() => text(el).includes('sam@example.com can now log in.'), 'the addition is confirmed');
    expect(members(el)).to.deep.equal(['owner@example.com (you) Owner', 'lea@example.com Staff Remove', 'sam@example.com Staff Remove']);
    expect($<HTMLInputElement>(el, '#email')!.value, 'the form is emptied').to.equal('');
  });

  it('says when the email is already taken (409)', async () => {
    const { el, stub } = await screen({ write: () => problem(409, 'conflict') });
    fetchStub = stub;
    fill(el, 'email', 'lea@example.com');
    fill(el, 'password', 'correct-horse-9');
    button(el, 'Add to the team')!.click();
    await waitUntil(() => $(el, 'form [role=alert]'), 'the refusal is shown');
    expect($(el, 'form [role=alert]')!.textContent).to.equal('An account already exists with this email.');
    expect(members(el)).to.have.length(2);
    await expect(el).to.be.accessible();
  });

  it('checks the fields itself and says what is wrong under each one, never with the browser’s bubble', async () => {
    const { el, stub } = await screen({ write: () => json({ id: 'u3', email: 'sam@example.com', role: 'staff', locationId: null }, 201) });
    fetchStub = stub;
    const form = $<HTMLFormElement>(el, 'form[aria-labelledby=add-title]')!;
    expect(form.noValidate, 'the browser does not check it').to.equal(true);
    fill(el, 'password', 'abc');
    form.requestSubmit();
    await el.updateComplete;
    expect(
      stub.calls.filter((c) => c.method === 'POST'),
      'nothing sent',
    ).to.have.length(0);
    expect($(el, '#email-error')!.textContent).to.equal('Enter their email.');
    expect($(el, '#password-error')!.textContent).to.equal('The password needs 10 characters or more: 3 typed.');
    for (const id of ['email', 'password']) {
      const input = $<HTMLInputElement>(el, `#${id}`)!;
      expect(input.getAttribute('aria-invalid'), id).to.equal('true');
      expect(input.getAttribute('aria-describedby'), id).to.contain(`${id}-error`);
    }
    expect(el.shadowRoot!.activeElement?.id, 'the first field to fix has the focus').to.equal('email');
    await expect(el).to.be.accessible();

    fill(el, 'email', 'sam@');
    await el.updateComplete;
    expect($(el, '#email-error'), 'typing clears the error').to.equal(null);
    form.requestSubmit();
    await el.updateComplete;
    expect($(el, '#email-error')!.textContent).to.equal('Enter a valid email, like sam@example.com.');

    fill(el, 'email', 'sam@example.com');
    fill(el, 'password', 'correct-horse-9');
    form.requestSubmit();
    await waitUntil(() => text(el).includes('sam@example.com can now log in.'), 'sent once the fields are right');
    expect($$(el, '.error')).to.have.length(0);
  });

  it('shows the server’s field errors (400) under their fields', async () => {
    const refusal = () => problem(400, 'validation_failed', [{ path: 'email', message: 'Invalid email address' }]);
    const { el, stub } = await screen({ write: refusal });
    fetchStub = stub;
    fill(el, 'email', 'sam@example.com');
    fill(el, 'password', 'correct-horse-9');
    button(el, 'Add to the team')!.click();
    await waitUntil(() => $(el, '#email-error'), 'the error is shown');
    expect($(el, '#email-error')!.textContent).to.equal('Invalid email address');
    expect($(el, '#password-error')).to.equal(null);
  });

  it('asks for a till’s name under its field, in French too', async () => {
    const { el, stub } = await screen({ lang: 'fr' });
    fetchStub = stub;
    button(el, 'Créer une clé')!.click();
    await el.updateComplete;
    expect(stub.calls.filter((c) => c.method === 'POST')).to.have.length(0);
    expect($(el, '#key-name-error')!.textContent).to.equal('Donnez un nom à la caisse.');
    expect($(el, '#key-name')!.getAttribute('aria-invalid')).to.equal('true');
    fill(el, 'password', 'abc');
    button(el, 'Ajouter à l’équipe')!.click();
    await el.updateComplete;
    expect($(el, '#email-error')!.textContent).to.equal('Saisissez l’e-mail de la personne.');
    expect($(el, '#password-error')!.textContent).to.equal('Le mot de passe doit faire 10 caractères ou plus : 3 saisis.');
  });

  it('tells the shell when something typed was not sent', async () => {
    const { el, stub } = await screen();
    fetchStub = stub;
    expect(el.unsaved).to.equal(false);
    fill(el, 'key-name', 'Terrace');
    expect(el.unsaved).to.equal(true);
    fill(el, 'key-name', '');
    expect(el.unsaved).to.equal(false);
  });

  it('asks before removing someone, naming them; Cancel keeps them', async () => {
    const { el, stub } = await screen({ write: () => new Response(null, { status: 204 }) });
    fetchStub = stub;
    $$<HTMLButtonElement>(el, '.team button')[0]!.click();
    await el.updateComplete;
    const dialog = $(el, '[role=alertdialog]')!;
    expect(dialog.textContent).to.contain('Remove lea@example.com from the team? They are logged out at once');
    expect(el.shadowRoot!.activeElement?.id, 'the question has the focus').to.equal('confirm');
    expect(
      stub.calls.filter((c) => c.method === 'DELETE'),
      'nothing removed yet',
    ).to.have.length(0);
    await expect(el).to.be.accessible();
    button(el, 'Cancel')!.click();
    await el.updateComplete;
    expect($(el, '[role=alertdialog]')).to.equal(null);
    expect(members(el)).to.have.length(2);
    expect(el.shadowRoot!.activeElement?.getAttribute('aria-label'), 'the focus is back on Remove').to.equal('Remove lea@example.com');

    $$<HTMLButtonElement>(el, '.team button')[0]!.click();
    await el.updateComplete;
    button(el, 'Yes, remove')!.click();
    await waitUntil(() => text(el).includes('lea@example.com was removed from the team.'), 'the removal is confirmed');
    const deletes = stub.calls.filter((c) => c.method === 'DELETE');
    expect(deletes.map((c) => c.url.pathname)).to.deep.equal(['/api/merchant/staff/u2']);
    expect(members(el)).to.deep.equal(['owner@example.com (you) Owner']);
  });

  it('creates an API key for a till and shows it once, with a copy button and the warning', async () => {
    const copied: string[] = [];
    clipboard = Object.getOwnPropertyDescriptor(Navigator.prototype, 'clipboard');
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: async (t: string) => void copied.push(t) } });
    const { el, stub } = await screen({
      write: () => json({ id: 'k1', name: 'Front counter', key: KEY, locationId: null, createdAt: '2026-01-03T00:00:00.000Z' }, 201),
    });
    fetchStub = stub;
    fill(el, 'key-name', 'Front counter');
    button(el, 'Create a key')!.click();
    await waitUntil(() => $(el, '.key'), 'the key is shown');
    const write = stub.calls.find((c) => c.method === 'POST')!;
    expect(write.url.pathname).to.equal('/api/merchant/api-keys');
    expect(write.body).to.deep.equal({ name: 'Front counter' });
    expect($(el, '.key')!.textContent).to.equal(KEY);
    expect(text(el)).to.contain('The key for “Front counter”').and.contain('it will not be shown again');
    await expect(el).to.be.accessible();
    button(el, 'Copy the key')!.click();
    await waitUntil(() => text(el).includes('Copied.'), 'the copy is announced');
    expect(copied).to.deep.equal([KEY]);

    button(el, 'I have copied it')!.click();
    await el.updateComplete;
    expect(text(el), 'never shown again').to.not.contain(KEY);
    expect($(el, '#key-name'), 'another key can be made').to.not.equal(null);
  });

  it('lists the till keys: name, prefix, dates, never used, and the shop of one tied to a shop; accessible', async () => {
    const { el, stub } = await screen({ program: twoShops });
    fetchStub = stub;
    expect(stub.calls.filter((c) => c.method === 'GET').map((c) => c.url.pathname)).to.deep.equal([
      '/api/merchant/staff',
      '/api/merchant/api-keys',
    ]);
    expect(keys(el)).to.deep.equal([
      'Front counter fk_AbCd… Created Jan 3, 2026 · last used Feb 10, 2026 Revoke',
      'Terrace fk_XyZw… · Gare de Lyon Created Jan 5, 2026 · never used Revoke',
    ]);
    expect($$(el, '.keys button').map((b) => b.getAttribute('aria-label'))).to.deep.equal([
      'Revoke the key “Front counter”',
      'Revoke the key “Terrace”',
    ]);
    expect(text(el), 'never the secret').to.not.contain('fid_live');
    await expect(el).to.be.accessible();
  });

  it('says when there is no key, and when the keys cannot be read', async () => {
    const empty = await screen({ keys: () => json({ keys: [] }) });
    fetchStub = empty.stub;
    expect(text(empty.el)).to.contain('No key yet.');
    fetchStub.restore();

    const down = await screen({ keys: () => problem(503, 'unavailable') });
    fetchStub = down.stub;
    const alert = $(down.el, '#keys-title ~ [role=alert]')!;
    expect(alert.textContent).to.contain('Something went wrong');
    expect(members(down.el), 'the team is still shown').to.have.length(2);
  });

  it('revokes a key after a confirmation naming it; Cancel keeps it', async () => {
    const { el, stub } = await screen({ write: () => new Response(null, { status: 204 }) });
    fetchStub = stub;
    button(el, 'Revoke')!.click();
    await el.updateComplete;
    const dialog = $(el, '.keys ~ [role=alertdialog]')!;
    expect(dialog.textContent).to.contain('Revoke the key “Front counter”? The till using it can no longer add stamps or purchases.');
    expect(el.shadowRoot!.activeElement?.id, 'the question has the focus').to.equal('confirm-revoke');
    await expect(el).to.be.accessible();
    button(el, 'Cancel')!.click();
    await el.updateComplete;
    expect($(el, '[role=alertdialog]')).to.equal(null);
    expect(el.shadowRoot!.activeElement?.getAttribute('aria-label'), 'the focus is back on Revoke').to.equal(
      'Revoke the key “Front counter”',
    );
    expect(stub.calls.filter((c) => c.method === 'DELETE')).to.have.length(0);

    button(el, 'Revoke')!.click();
    await el.updateComplete;
    button(el, 'Yes, revoke')!.click();
    await waitUntil(() => text(el).includes('The key “Front counter” was revoked.'), 'the revocation is confirmed');
    expect(stub.calls.filter((c) => c.method === 'DELETE').map((c) => c.url.pathname)).to.deep.equal(['/api/merchant/api-keys/k1']);
    expect(keys(el)).to.have.length(1);
    expect(keys(el)[0]).to.contain('Terrace');
  });

  it('takes a key already gone (404) off the list too; shows other refusals in the confirmation', async () => {
    let status = 500;
    const { el, stub } = await screen({ write: () => problem(status, status === 404 ? 'not_found' : 'internal_error') });
    fetchStub = stub;
    $$<HTMLButtonElement>(el, '.keys button')[1]!.click();
    await el.updateComplete;
    button(el, 'Yes, revoke')!.click();
    await waitUntil(() => $(el, '[role=alertdialog] [role=alert]'), 'the failure is shown');
    expect(keys(el), 'still listed after a 500').to.have.length(2);
    status = 404;
    button(el, 'Yes, revoke')!.click();
    await waitUntil(() => text(el).includes('The key “Terrace” was revoked.'), 'gone from the list');
    expect(keys(el).map((k) => k.split(' ')[0])).to.deep.equal(['Front']);
    expect(stub.calls.filter((c) => c.method === 'DELETE').map((c) => c.url.pathname)).to.deep.equal([
      '/api/merchant/api-keys/k2',
      '/api/merchant/api-keys/k2',
    ]);
  });

  it('a new key joins the list, never used', async () => {
    const { el, stub } = await screen({
      write: () => json({ id: 'k3', name: 'Kiosk', key: KEY, locationId: null, createdAt: '2026-03-01T12:00:00.000Z' }, 201),
    });
    fetchStub = stub;
    fill(el, 'key-name', 'Kiosk');
    button(el, 'Create a key')!.click();
    await waitUntil(() => $(el, '.key'), 'the key is shown');
    expect(keys(el)).to.have.length(3);
    expect(keys(el)[2]).to.equal('Kiosk fid_liv… Created Mar 1, 2026 · never used Revoke');
    expect($(el, '#key-shop'), 'no shop to choose without shops').to.equal(null);
  });

  it('with shops: the key and staff forms ask which shop (Every shop = null), and the team shows each one’s shop', async () => {
    const list: Answer = (c) =>
      c.url.pathname.endsWith('/api-keys')
        ? json({ keys: [] })
        : json({
            staff: [
              ...team().staff,
              { id: 'u3', email: 'noe@example.com', role: 'staff', locationId: 'loc-halles', createdAt: '2026-01-02T00:00:00.000Z' },
            ],
          });
    const { el, stub } = await screen({
      program: twoShops,
      list,
      write: (c) =>
        c.url.pathname.endsWith('/staff')
          ? json({ id: 'u4', email: 'sam@example.com', role: 'staff', locationId: 'loc-gare' }, 201)
          : json({ id: 'k3', name: 'Kiosk', key: KEY, locationId: 'loc-halles', createdAt: '2026-03-01T12:00:00.000Z' }, 201),
    });
    fetchStub = stub;
    expect(members(el)).to.deep.equal([
      'owner@example.com (you) Owner',
      'lea@example.com Staff · Every shop Remove',
      'noe@example.com Staff · Les Halles Remove',
    ]);
    const options = (id: string) => $$<HTMLOptionElement>(el, `#${id} option`).map((o) => [o.value, o.textContent!.trim()]);
    const shops = [
      ['', 'Every shop'],
      ['loc-halles', 'Les Halles'],
      ['loc-gare', 'Gare de Lyon'],
    ];
    expect(options('staff-shop')).to.deep.equal(shops);
    expect(options('key-shop')).to.deep.equal(shops);
    expect($<HTMLSelectElement>(el, '#key-shop')!.value, 'every shop by default').to.equal('');
    await expect(el).to.be.accessible();

    fill(el, 'email', 'sam@example.com');
    fill(el, 'password', 'correct-horse-9');
    $<HTMLSelectElement>(el, '#staff-shop')!.value = 'loc-gare';
    button(el, 'Add to the team')!.click();
    await waitUntil(() => members(el).length === 4, 'the new member is listed');
    expect(members(el)[3]).to.equal('sam@example.com Staff · Gare de Lyon Remove');

    fill(el, 'key-name', 'Kiosk');
    $<HTMLSelectElement>(el, '#key-shop')!.value = 'loc-halles';
    button(el, 'Create a key')!.click();
    await waitUntil(() => $(el, '.key'), 'the key is shown');
    expect(keys(el)).to.deep.equal(['Kiosk fid_liv… · Les Halles Created Mar 1, 2026 · never used Revoke']);
    button(el, 'I have copied it')!.click();
    await el.updateComplete;
    fill(el, 'key-name', 'Bar');
    button(el, 'Create a key')!.click();
    await waitUntil(() => stub.calls.filter((c) => c.method === 'POST').length === 3, 'the third write is sent');

    const bodies = stub.calls.filter((c) => c.method === 'POST').map((c) => [c.url.pathname, c.body]);
    expect(bodies).to.deep.equal([
      ['/api/merchant/staff', { email: 'sam@example.com', password: 'correct-horse-9', locationId: 'loc-gare' }],
      ['/api/merchant/api-keys', { name: 'Kiosk', locationId: 'loc-halles' }],
      ['/api/merchant/api-keys', { name: 'Bar', locationId: null }],
    ]);
  });

  it('fits a 390-px phone without scrolling sideways', async () => {
    const { el, stub } = await screen({ program: twoShops });
    fetchStub = stub;
    el.style.width = '390px';
    await el.updateComplete;
    expect(el.scrollWidth).to.be.at.most(390);
  });

  it('shows the owner-only message when the server refuses (403), and to staff without asking', async () => {
    const refused = await screen({ list: () => problem(403, 'forbidden') });
    fetchStub = refused.stub;
    expect($(refused.el, '[role=alert]')!.textContent).to.equal('Only the owner of the business can open this page.');
    fetchStub.restore();

    const asStaff = await screen({ me: staff });
    fetchStub = asStaff.stub;
    expect(text(asStaff.el)).to.contain('Only the owner of the business can open this page.');
    expect(asStaff.stub.calls).to.have.length(0);
    expect($(asStaff.el, 'form')).to.equal(null);
  });

  it('tells the app when the session has ended', async () => {
    fetchStub = stubFetch(() => problem(401, 'unauthorized'));
    const el = document.createElement('fd-staff');
    el.me = owner;
    setTimeout(() => document.body.append(el));
    await oneEvent(el, 'fd-signed-out');
    el.remove();
  });

  it('speaks French', async () => {
    const { el, stub } = await screen({ lang: 'fr' });
    fetchStub = stub;
    expect(text(el))
      .to.contain('Équipe')
      .and.contain('Responsable')
      .and.contain('Ajouter à l’équipe')
      .and.contain('Clé d’API pour une caisse')
      .and.contain('Clés des caisses')
      .and.contain('jamais utilisée')
      .and.contain('Révoquer');
  });
});
