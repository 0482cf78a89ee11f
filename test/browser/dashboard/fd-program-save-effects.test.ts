// The program editor, issue 16 ("from real use"): it says before a save how many cards a lowered
// "Stamps for a reward" pays (POST /program/preview); it keeps the cost check's average purchase
// with the program; it offers a short name for Google Wallet when the name is too long for it;
// it edits the referral cap.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { Program } from '../../../common/api.ts';
import '../../../dashboard/screens/fd-program.ts';
import { type FdProgram, PREVIEW_DELAY_MS } from '../../../dashboard/screens/fd-program.ts';
import { type Answer, type Call, json, problem, stubFetch } from '../support/fetch.ts';
import { $, text } from '../support/dom.ts';
import { afterTimersOf } from '../support/timers.ts';
import { cafe, kpis, owner } from './fixtures.ts';

/** The server: the KPIs, the preview (`affected` cards), and a save that stores what it gets. */
function server(opts: { average?: number | null; affected?: (p: Program) => number; preview?: Answer } = {}) {
  return stubFetch((c) => {
    if (c.url.pathname === '/api/merchant/kpis') return json(kpis({ averageOrderValue: opts.average ?? null }));
    if (c.method === 'POST' && c.url.pathname === '/api/merchant/program/preview')
      return opts.preview ? opts.preview(c) : json({ affectedCards: opts.affected?.(c.body as Program) ?? 0 });
    if (c.method === 'PUT' && c.url.pathname === '/api/merchant/program') return json({ program: c.body });
    return problem(404, 'not_found');
  });
}

async function editor(program: Program = cafe, lang = 'en') {
  const el = await fixture<FdProgram>(html`<fd-program lang=${lang} .program=${program} .me=${owner}></fd-program>`);
  await el.updateComplete;
  return el;
}

async function type(el: FdProgram, id: string, value: string) {
  const input = el.shadowRoot!.getElementById(id) as HTMLInputElement;
  expect(input, `#${id}`).to.exist;
  input.value = value;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  await el.updateComplete;
}

const input = (el: FdProgram, id: string) => el.shadowRoot!.getElementById(id) as HTMLInputElement | null;
const previews = (stub: { calls: Call[] }) => stub.calls.filter((c) => c.url.pathname === '/api/merchant/program/preview');
const puts = (stub: { calls: Call[] }) => stub.calls.filter((c) => c.method === 'PUT');
const said = (el: FdProgram) => $(el, '[part=preview]')!.textContent!.replace(/\s+/g, ' ').trim();
const save = (el: FdProgram) => $<HTMLButtonElement>(el, 'button[type=submit]')!.click();

describe('<fd-program> before a save', () => {
  let stub: ReturnType<typeof stubFetch> | undefined;
  afterEach(() => stub?.restore());

  it('says how many cards a lowered threshold gives their reward, asking the server once typing pauses', async () => {
    stub = server({ affected: (p) => (p.stampsRequired <= 8 ? 3 : 0) });
    const el = await editor(cafe, 'fr');
    expect(said(el)).to.equal('');
    await type(el, 'f-stampsRequired', '9');
    await type(el, 'f-stampsRequired', '8');
    await waitUntil(() => said(el) !== '', 'the count is said', { timeout: 3_000 });
    expect(said(el)).to.equal('3 cartes recevront leur récompense dès l’enregistrement.');
    expect($(el, '[part=preview]')!.getAttribute('role')).to.equal('status');
    // The draft as it is, asked for once: 9 was replaced before it was sent.
    expect(previews(stub)).to.have.length(1);
    expect((previews(stub)[0]!.body as Program).stampsRequired).to.equal(8);
    expect(puts(stub)).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('says none, and one card, in English', async () => {
    stub = server({ affected: (p) => (p.stampsRequired === 7 ? 1 : 0) });
    const el = await editor();
    await type(el, 'f-stampsRequired', '9');
    await waitUntil(() => said(el) !== '', 'the count is said', { timeout: 3_000 });
    expect(said(el)).to.equal('No card holds that many stamps yet: saving gives no reward now.');
    await type(el, 'f-stampsRequired', '7');
    await waitUntil(() => said(el).startsWith('1'), 'the new count is said', { timeout: 3_000 });
    expect(said(el)).to.equal('1 card will get its reward when you save.');
  });

  it('asks nothing when the threshold goes up or stays, and forgets the count then', async () => {
    stub = server({ affected: () => 5 });
    const el = await editor();
    await type(el, 'f-stampsRequired', '12');
    // A preview the raised threshold would have started has had its turn.
    await afterTimersOf(PREVIEW_DELAY_MS);
    expect(previews(stub)).to.have.length(0);
    await type(el, 'f-stampsRequired', '6');
    await waitUntil(() => said(el) !== '', 'the count is said', { timeout: 3_000 });
    await type(el, 'f-stampsRequired', '10');
    expect(said(el)).to.equal('');
  });

  it('a refused preview says nothing and does not stop the save', async () => {
    stub = server({ preview: () => problem(400, 'validation_failed', [{ path: 'name', message: 'Too small' }]) });
    const el = await editor();
    await type(el, 'f-stampsRequired', '8');
    await waitUntil(() => previews(stub!).length === 1, 'the preview is asked', { timeout: 3_000 });
    await el.updateComplete;
    expect(said(el)).to.equal('');
    save(el);
    await waitUntil(() => puts(stub!).length === 1, 'saved');
  });
});

describe('<fd-program> the average purchase', () => {
  let stub: ReturnType<typeof stubFetch> | undefined;
  afterEach(() => stub?.restore());

  it('is prefilled from the program, and the KPIs are not asked', async () => {
    stub = server({ average: 900 });
    const el = await editor({ ...cafe, averageTicketMinor: 450 }, 'fr');
    expect(input(el, 'f-averageTicketMinor')!.value).to.equal('4,50');
    expect(text(el)).to.contain('Conservé avec le programme');
    expect($(el, '[part=cost-check]')!.textContent).to.contain('4,50');
    // The KPIs are asked for (or not) as the editor first renders, the request made at once.
    await el.updateComplete;
    expect(stub.calls.some((c) => c.url.pathname === '/api/merchant/kpis')).to.equal(false);
  });

  it('typed, is saved with the program; emptied, it is taken out', async () => {
    stub = server();
    const el = await editor({ ...cafe, averageTicketMinor: 450 });
    await type(el, 'f-averageTicketMinor', '5.20');
    save(el);
    await waitUntil(() => puts(stub!).length === 1, 'saved');
    expect((puts(stub)[0]!.body as Program).averageTicketMinor).to.equal(520);
    await waitUntil(() => !el.shadowRoot!.textContent!.includes('Saving'), 'saved');
    await type(el, 'f-averageTicketMinor', '');
    expect(input(el, 'f-averageTicketMinor')!.value).to.equal('');
    expect($(el, '[part=cost-check]')!.textContent).to.contain('Enter the average purchase');
    save(el);
    await waitUntil(() => puts(stub!).length === 2, 'saved again');
    expect('averageTicketMinor' in (puts(stub)[1]!.body as Program)).to.equal(false);
  });

  it('a suggestion from the KPIs is not saved unless typed', async () => {
    stub = server({ average: 500 });
    const el = await editor();
    await waitUntil(() => input(el, 'f-averageTicketMinor')!.value === '5.00', 'prefilled from the KPIs');
    expect(text(el)).to.not.contain('You have unsaved changes.');
    await type(el, 'f-terms', 'One stamp per visit.');
    save(el);
    await waitUntil(() => puts(stub!).length === 1, 'saved');
    expect('averageTicketMinor' in (puts(stub)[0]!.body as Program)).to.equal(false);
  });

  it('says when it is not an amount', async () => {
    stub = server();
    const el = await editor();
    await type(el, 'f-averageTicketMinor', 'five');
    expect(el.shadowRoot!.getElementById('f-averageTicketMinor-error')!.textContent).to.contain('Enter an amount like 1.00.');
    save(el);
    await waitUntil(() => $(el, '#summary'), 'the summary is shown');
    expect(puts(stub)).to.have.length(0);
  });
});

describe('<fd-program> short name and referral cap', () => {
  let stub: ReturnType<typeof stubFetch> | undefined;
  afterEach(() => stub?.restore());

  const longName = { ...cafe, name: 'Carte fidélité Café de la Lune' };

  it('offers a short name when the name is over 20 characters, with its count, and saves it', async () => {
    stub = server();
    const short = await editor({ ...cafe, name: 'Carte Café Lune' });
    expect(input(short, 'f-shortName')).to.equal(null);
    stub.restore();

    stub = server();
    const el = await editor(longName, 'fr');
    const field = input(el, 'f-shortName')!;
    expect(field).to.exist;
    expect(field.maxLength).to.equal(20);
    const hint = () => el.shadowRoot!.getElementById('f-shortName-hint')!.textContent!.replace(/\s+/g, ' ').trim();
    expect(hint()).to.contain('« Carte fidélité Café… »').and.contain('0 / 20 caractères');
    expect(field.getAttribute('aria-describedby')).to.contain('f-shortName-hint');
    await type(el, 'f-shortName', 'Café de la Lune');
    expect(hint()).to.contain('15 / 20 caractères');
    $<HTMLButtonElement>(el, 'button[type=submit]')!.click();
    await waitUntil(() => puts(stub!).length === 1, 'saved');
    expect((puts(stub)[0]!.body as Program).shortName).to.equal('Café de la Lune');
    await expect(el).to.be.accessible();
  });

  it('shows it while one is set, and an empty field takes it out', async () => {
    stub = server();
    const el = await editor({ ...cafe, name: 'Carte Café Lune', shortName: 'Lune' });
    expect(input(el, 'f-shortName')!.value).to.equal('Lune');
    await type(el, 'f-shortName', '');
    save(el);
    await waitUntil(() => puts(stub!).length === 1, 'saved');
    expect('shortName' in (puts(stub)[0]!.body as Program)).to.equal(false);
  });

  it('edits the referral cap', async () => {
    stub = server();
    const el = await editor(cafe, 'fr');
    const cap = input(el, 'f-referral.monthlyCap')!;
    expect(cap.value).to.equal('10');
    expect(el.shadowRoot!.querySelector('label[for="f-referral.monthlyCap"]')!.textContent).to.equal(
      'Parrainages récompensés par client sur 30 jours',
    );
    await type(el, 'f-referral.monthlyCap', '3');
    save(el);
    await waitUntil(() => puts(stub!).length === 1, 'saved');
    expect((puts(stub)[0]!.body as Program).referral).to.deep.equal({ ...cafe.referral, monthlyCap: 3 });
  });
});
