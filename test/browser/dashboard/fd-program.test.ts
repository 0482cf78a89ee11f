import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { Program } from '../../../common/api.ts';
import '../../../dashboard/screens/fd-program.ts';
import type { FdProgram } from '../../../dashboard/screens/fd-program.ts';
import { type Answer, json, never, problem, stubFetch } from '../support/fetch.ts';
import { $, $$, focused, text } from '../support/dom.ts';
import { cafe, kpis, owner, pointsCafe, shops, staff } from './fixtures.ts';

/** The server: the KPIs (no average order value unless given), and what a save gets (the program as sent). */
function server(opts: { average?: number | null; put?: Answer } = {}) {
  return stubFetch((c) => {
    if (c.url.pathname === '/api/merchant/kpis') return json(kpis({ averageOrderValue: opts.average ?? null }));
    if (c.method === 'PUT' && c.url.pathname === '/api/merchant/program') return (opts.put ?? ((c) => json({ program: c.body })))(c);
    return problem(404, 'not_found');
  });
}

async function editor(program: Program = cafe, me = owner, lang = 'en') {
  const el = await fixture<FdProgram>(html`<fd-program lang=${lang} .program=${program} .me=${me}></fd-program>`);
  await el.updateComplete;
  return el;
}

/** Types into a field, as a person would (an input event with the whole value). */
async function type(el: FdProgram, id: string, value: string) {
  const input = el.shadowRoot!.getElementById(id) as HTMLInputElement;
  expect(input, `#${id}`).to.exist;
  input.value = value;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  await el.updateComplete;
}

const field = (el: FdProgram, id: string) => el.shadowRoot!.getElementById(id) as HTMLInputElement | null;
const button = (el: FdProgram, label: string) => $$<HTMLButtonElement>(el, 'button').find((b) => b.textContent!.trim() === label);
const saveButton = (el: FdProgram) => $<HTMLButtonElement>(el, 'button[type=submit]')!;
const puts = (stub: ReturnType<typeof stubFetch>) => stub.calls.filter((c) => c.method === 'PUT');

/** axe takes a while over a form this long, on a busy machine. */
type Slow = { timeout(ms: number): void };

describe('<fd-program>', () => {
  let stub: ReturnType<typeof stubFetch> | undefined;
  afterEach(() => stub?.restore());

  it('is accessible, as a stamps program', async function (this: Slow) {
    this.timeout(10_000);
    stub = server({ average: 450 });
    const el = await editor();
    await expect(el).to.be.accessible();
  });

  it('is accessible, as a tiers program with a catalog and a tier', async function (this: Slow) {
    this.timeout(10_000);
    stub = server();
    const el = await editor({
      ...pointsCafe,
      type: 'tiers',
      tiers: [{ name: 'Gold', threshold: 10000, multiplier: 2, perks: ['Free refill'] }],
    });
    await expect(el).to.be.accessible();
  });

  it('sends the whole program with exactly the changes made, shows the confirmation and tells the shell', async () => {
    let answer!: (r: Response) => void;
    stub = server({ put: () => new Promise((resolve) => (answer = resolve)) });
    const el = await editor();
    await type(el, 'f-stampsRequired', '8');
    await type(el, 'f-reward.costMinor', '1.50');
    await type(el, 'f-terms', 'One stamp per visit.');
    await type(el, 'f-allowedOrigins', 'https://cafe-lune.fr\n\n  https://shop.cafe-lune.fr  \n');
    expect(text(el)).to.contain('You have unsaved changes.');
    saveButton(el).click();
    await el.updateComplete;
    expect(saveButton(el).getAttribute('aria-disabled')).to.equal('true');
    expect(text(el)).to.contain('Saving…');
    saveButton(el).click(); // a second tap while saving sends nothing more
    await el.updateComplete;

    const sent = puts(stub);
    expect(sent).to.have.length(1);
    expect(sent[0]!.url.pathname).to.equal('/api/merchant/program');
    const expected: Program = {
      ...cafe,
      stampsRequired: 8,
      reward: { ...cafe.reward, costMinor: 150 },
      terms: 'One stamp per visit.',
      allowedOrigins: ['https://cafe-lune.fr', 'https://shop.cafe-lune.fr'],
    };
    expect(sent[0]!.body).to.deep.equal(expected);

    const stored = { ...expected, name: 'As stored' };
    const changed = oneEvent(el, 'fd-program-changed');
    answer(json({ program: stored }));
    expect((await changed).detail).to.deep.equal(stored);
    await el.updateComplete;
    expect($(el, '[role=status] .ok')!.textContent).to.contain('Saved — every pass is being updated.');
    expect(saveButton(el).getAttribute('aria-disabled')).to.equal('false');
    expect(field(el, 'f-name')!.value).to.equal('As stored');
  });

  it('shows the server’s validation errors next to their fields, and sums them up at the top with the focus', async function (this: Slow) {
    this.timeout(10_000);
    stub = server({
      put: () =>
        problem(400, 'validation_failed', [
          { path: 'reward.costMinor', message: 'Too big: expected number to be <=1000000000000' },
          { path: 'allowedOrigins.1', message: 'must be an absolute http(s) URL' },
        ]),
    });
    const el = await editor({ ...cafe, allowedOrigins: ['https://a.fr'] });
    await type(el, 'f-allowedOrigins', 'https://a.fr\nnot a site');
    saveButton(el).click();
    await waitUntil(() => $(el, '#summary'), 'the summary is shown');
    await el.updateComplete;

    const cost = field(el, 'f-reward.costMinor')!;
    expect(cost.getAttribute('aria-invalid')).to.equal('true');
    const costError = el.shadowRoot!.getElementById('f-reward.costMinor-error')!;
    expect(costError.textContent).to.contain('Too big');
    expect(cost.getAttribute('aria-describedby')).to.contain('f-reward.costMinor-error');
    expect(cost.closest('.field')!.contains(costError)).to.equal(true);
    expect(el.shadowRoot!.getElementById('f-allowedOrigins-error')!.textContent).to.contain('Line 2: must be an absolute http(s) URL');

    const summary = $(el, '#summary')!;
    expect(summary.getAttribute('role')).to.equal('alert');
    expect(focused()).to.equal(summary);
    expect(summary.textContent).to.contain('2 fields need a change').and.contain('What the reward costs you (EUR)');
    // The summary's link takes the keyboard to the field.
    [...summary.querySelectorAll('button')].find((b) => b.textContent!.includes('What the reward costs you'))!.click();
    expect(focused()).to.equal(cost);
    // Fixing the field hides its error.
    await type(el, 'f-reward.costMinor', '2.00');
    expect(cost.hasAttribute('aria-invalid')).to.equal(false);
    await expect(el).to.be.accessible();
  });

  it('refuses a value that is not a number before any request', async () => {
    stub = server();
    const el = await editor();
    await type(el, 'f-stampsRequired', 'ten');
    expect(text(el)).to.contain('Enter a whole number');
    saveButton(el).click();
    await waitUntil(() => $(el, '#summary'), 'the summary is shown');
    expect(puts(stub)).to.have.length(0);
    expect(focused()).to.equal($(el, '#summary'));
    await type(el, 'f-stampsRequired', '12');
    saveButton(el).click();
    await waitUntil(() => puts(stub!).length === 1, 'saved');
    expect((puts(stub)[0]!.body as Program).stampsRequired).to.equal(12);
  });

  it('cost check: 2 % for a 1 € coffee after 10 stamps at 5 € each, a warning at 10 %', async () => {
    stub = server();
    const el = await editor();
    const check = () => $(el, '[part=cost-check]')!.textContent!.replace(/\s+/g, ' ');
    expect(check()).to.contain('Enter the average purchase');
    await type(el, 'f-averageTicketMinor', '5');
    expect(check()).to.match(/A free coffee: 2\s?%/);
    expect(check()).to.contain('€1.00 of cost ÷ (10 stamps × €5.00 average purchase = €50.00 spent) = 2%');
    expect(check()).to.contain('Within the usual 1–5%');
    expect(check()).not.to.contain('Warning');

    await type(el, 'f-reward.costMinor', '5.00');
    expect(check()).to.match(/A free coffee: 10\s?%/);
    expect(check()).to.contain('Warning: above 5%');
    // The average purchase is kept with the program.
    saveButton(el).click();
    await waitUntil(() => puts(stub!).length === 1, 'saved');
    expect(puts(stub)[0]!.body).to.deep.equal({ ...cafe, reward: { ...cafe.reward, costMinor: 500 }, averageTicketMinor: 500 });
  });

  it('cost check: prefills the average purchase from the KPIs, and speaks French', async () => {
    stub = server({ average: 500 });
    const el = await editor(cafe, owner, 'fr');
    await waitUntil(() => field(el, 'f-averageTicketMinor')!.value === '5,00', 'prefilled from the KPIs');
    expect(stub.calls.some((c) => c.url.pathname === '/api/merchant/kpis')).to.equal(true);
    expect($(el, '[part=cost-check]')!.textContent).to.match(/2\s%/).and.contain('D’après vos chiffres');
  });

  it('cost check of a points catalog, per reward', async () => {
    stub = server();
    const el = await editor(pointsCafe);
    const check = $(el, '[part=cost-check]')!.textContent!.replace(/\s+/g, ' ');
    expect(check).to.contain('Croissant: 2%').and.contain('€0.40 of cost ÷ (20 points ÷ 1 points per unit = €20.00 spent) = 2%');
  });

  it('shows the fields of the chosen kind of program, and keeps the others as they were', async () => {
    stub = server();
    const el = await editor();
    const shown = (id: string) => field(el, id) !== null;
    expect(shown('f-stampsRequired') && shown('f-reward.name') && shown('f-reward.costMinor')).to.equal(true);
    expect(shown('f-pointsPerUnit') || shown('f-cashbackPercent')).to.equal(false);

    $<HTMLInputElement>(el, '#type-points')!.click();
    await el.updateComplete;
    expect(shown('f-pointsPerUnit')).to.equal(true);
    expect(text(el)).to.contain('Rewards catalog').and.not.contain('From a spend of');
    expect(shown('f-stampsRequired')).to.equal(false);

    $<HTMLInputElement>(el, '#type-tiers')!.click();
    await el.updateComplete;
    expect(shown('f-pointsPerUnit')).to.equal(true);
    expect(text(el)).to.contain('No tiers yet');

    $<HTMLInputElement>(el, '#type-cashback')!.click();
    await el.updateComplete;
    expect(shown('f-cashbackPercent')).to.equal(true);
    expect(shown('f-pointsPerUnit') || shown('f-stampsRequired')).to.equal(false);
    // Bonuses of a cashback program are amounts.
    expect(field(el, 'f-signupBonus')!.value).to.equal('0.00');
    await type(el, 'f-cashbackPercent', '3');

    saveButton(el).click();
    await waitUntil(() => puts(stub!).length === 1, 'saved');
    expect(puts(stub)[0]!.body).to.deep.equal({ ...cafe, type: 'cashback', cashbackPercent: 3 });
  });

  it('edits the catalog: a new reward’s code comes from its name; a reward can be removed', async () => {
    stub = server();
    const el = await editor({ ...pointsCafe, rewards: [...pointsCafe.rewards, { id: 'tea', name: 'Tea', points: 30, costMinor: 50 }] });
    button(el, 'Add a reward')!.click();
    await el.updateComplete;
    await el.updateComplete;
    expect(focused()).to.equal(field(el, 'f-rewards.2.name'));
    await sendKeys({ type: 'Pain au chocolat' });
    await el.updateComplete;
    await type(el, 'f-rewards.2.points', '40');
    await type(el, 'f-rewards.2.costMinor', '0.60');
    expect(text(el)).to.contain('Code: croissant');
    button(el, 'Remove Tea')!.click();
    await el.updateComplete;
    saveButton(el).click();
    await waitUntil(() => puts(stub!).length === 1, 'saved');
    expect((puts(stub)[0]!.body as Program).rewards).to.deep.equal([
      { id: 'croissant', name: 'Croissant', points: 20, costMinor: 40 },
      { id: 'pain-au-chocolat', name: 'Pain au chocolat', points: 40, costMinor: 60 },
    ]);
  });

  it('edits tiers: threshold in currency, multiplier, perks one per line', async () => {
    stub = server();
    const el = await editor({ ...pointsCafe, type: 'tiers' });
    button(el, 'Add a tier')!.click();
    await el.updateComplete;
    await type(el, 'f-tiers.0.name', 'Gold');
    await type(el, 'f-tiers.0.threshold', '200');
    await type(el, 'f-tiers.0.multiplier', '1.5');
    await type(el, 'f-tiers.0.perks', 'Free refill\n\nPriority table');
    saveButton(el).click();
    await waitUntil(() => puts(stub!).length === 1, 'saved');
    expect((puts(stub)[0]!.body as Program).tiers).to.deep.equal([
      { name: 'Gold', threshold: 20000, multiplier: 1.5, perks: ['Free refill', 'Priority table'] },
    ]);
  });

  it('empty optional texts are sent as null', async () => {
    stub = server();
    const el = await editor({ ...cafe, websiteUrl: 'https://cafe-lune.fr', address: '1 rue de la Lune' });
    await type(el, 'f-websiteUrl', '');
    await type(el, 'f-address', '  ');
    await type(el, 'f-currency', 'chf');
    saveButton(el).click();
    await waitUntil(() => puts(stub!).length === 1, 'saved');
    expect(puts(stub)[0]!.body).to.deep.equal({ ...cafe, websiteUrl: null, address: null, currency: 'CHF' });
  });

  it('a French program takes its reward and terms in English for the members who read English; emptied, they are sent as null', async () => {
    stub = server();
    const el = await editor(cafe, owner, 'fr');
    const legend = $$(el, 'legend').find((l) => l.textContent!.trim() === 'Pour les membres anglophones');
    expect(legend, 'the section of the other language').to.exist;
    expect($(el, 'label[for="f-translations.en.rewardName"]')!.textContent!.trim()).to.equal('Récompense, en anglais');
    expect(field(el, 'f-translations.fr.rewardName'), 'no field for the program’s own language').to.equal(null);
    await type(el, 'f-translations.en.rewardName', 'A free coffee');
    await type(el, 'f-translations.en.terms', 'Weekdays only.');
    saveButton(el).click();
    await waitUntil(() => puts(stub!).length === 1, 'saved');
    const en = { rewardName: 'A free coffee', terms: 'Weekdays only.' };
    expect((puts(stub)[0]!.body as Program).translations).to.deep.equal({ ...cafe.translations, en });
    // Emptied: null, the passes read the French text again.
    stub.restore();
    stub = server();
    const again = await editor({ ...cafe, translations: { ...cafe.translations, en } }, owner, 'fr');
    await type(again, 'f-translations.en.terms', ' ');
    saveButton(again).click();
    await waitUntil(() => puts(stub!).length === 1, 'saved again');
    expect((puts(stub)[0]!.body as Program).translations.en).to.deep.equal({ rewardName: 'A free coffee', terms: null });
  });

  it('staff see no form; a 403 from the server is said plainly', async function (this: Slow) {
    this.timeout(10_000);
    stub = server({ put: () => problem(403, 'forbidden') });
    const forStaff = await editor(cafe, staff);
    expect($(forStaff, 'form')).to.equal(null);
    expect($(forStaff, '[role=alert]')!.textContent).to.contain('Only the owner');
    expect(stub.calls.filter((c) => c.url.pathname.endsWith('/kpis'))).to.have.length(0);

    const el = await editor();
    await type(el, 'f-name', 'New name');
    saveButton(el).click();
    await waitUntil(() => $(el, '.actions [role=alert]'), 'the refusal is shown');
    expect($(el, '.actions [role=alert]')!.textContent).to.contain('Only the owner of the business can change the program.');
    await expect(el).to.be.accessible();
  });

  it('a 401 signs out; an unreachable server offers a retry that sends the same program', async () => {
    let status = 401;
    stub = server({ put: (c) => (status === 401 ? problem(401, 'unauthorized') : status === 0 ? never() : json({ program: c.body })) });
    const el = await editor();
    el.timeout = 50;
    await type(el, 'f-name', 'New name');
    const out = oneEvent(el, 'fd-signed-out');
    saveButton(el).click();
    await out;
    status = 0;
    saveButton(el).click();
    await waitUntil(() => button(el, 'Try again'), 'a retry is offered');
    expect(text(el)).to.contain('The server cannot be reached');
    status = 200;
    button(el, 'Try again')!.click();
    await waitUntil(() => $(el, '.ok'), 'saved');
    const sent = puts(stub);
    expect(sent).to.have.length(3);
    expect(sent[2]!.body).to.deep.equal({ ...cafe, name: 'New name' });
  });
});

describe('<fd-program>: shops', () => {
  let stub: ReturnType<typeof stubFetch> | undefined;
  afterEach(() => stub?.restore());

  const withShops: Program = { ...cafe, locations: shops };

  it('is accessible with two shops, in English and in French', async function (this: Slow) {
    this.timeout(15_000);
    stub = server();
    const el = await editor(withShops);
    await expect(el).to.be.accessible();
    const fr = await editor(withShops, owner, 'fr');
    expect(text(fr)).to.contain('Boutiques').and.contain('Ajouter une boutique').and.contain('Son identifiant : bastille.');
    expect(field(fr, 'f-locations.0.latitude')!.value).to.equal('48,8534');
  });

  it('shows each stored shop’s fields, and sends them back unchanged with their ids', async () => {
    stub = server();
    const el = await editor(withShops);
    expect(field(el, 'f-locations.0.name')!.value).to.equal('Bastille');
    expect(field(el, 'f-locations.0.address')!.value).to.equal('12 rue de la Roquette, Paris');
    expect(field(el, 'f-locations.1.longitude')!.value).to.equal('4.8318');
    expect(field(el, 'f-locations.1.relevantText')!.value).to.equal('Votre café vous attend');
    expect(field(el, 'f-locations.0.relevantText')!.value).to.equal('');
    expect(text(el)).to.contain('Its id: bastille.');
    await type(el, 'f-locations.1.name', 'Lyon');
    saveButton(el).click();
    await waitUntil(() => puts(stub!).length === 1);
    const sent = puts(stub)[0]!;
    expect(sent.url.pathname).to.equal('/api/merchant/program');
    expect((sent.body as Program).locations).to.deep.equal([shops[0], { ...shops[1], name: 'Lyon' }]);
  });

  it('adds a shop (sent without an id, negative coordinates as typed, empty texts left out) and removes one', async () => {
    stub = server();
    const el = await editor({ ...cafe, locations: [shops[0]!] });
    button(el, 'Add a shop')!.click();
    await el.updateComplete;
    expect(focused()).to.equal(field(el, 'f-locations.1.name'));
    expect(field(el, 'f-locations.1.latitude')!.value, 'no coordinates yet').to.equal('');
    expect(text(el)).to.contain('Its id is given when you save.');
    await type(el, 'f-locations.1.name', 'Brest port');
    await type(el, 'f-locations.1.address', 'Quai Malbert');
    await type(el, 'f-locations.1.latitude', '48.3829');
    await type(el, 'f-locations.1.longitude', '-4,4948');
    await type(el, 'f-locations.1.relevantText', 'Un café au port ?');
    await type(el, 'f-locations.1.relevantText', '  ');
    saveButton(el).click();
    await waitUntil(() => puts(stub!).length === 1);
    expect((puts(stub)[0]!.body as Program).locations).to.deep.equal([
      shops[0],
      { name: 'Brest port', address: 'Quai Malbert', latitude: 48.3829, longitude: -4.4948 },
    ]);
    await waitUntil(() => text(el).includes('Saved'));

    button(el, 'Remove Bastille')!.click();
    await el.updateComplete;
    expect(focused()?.id).to.equal('add-shop');
    expect(field(el, 'f-locations.0.name')!.value).to.equal('Brest port');
    saveButton(el).click();
    await waitUntil(() => puts(stub!).length === 2);
    expect((puts(stub)[1]!.body as Program).locations.map((l) => l.name)).to.deep.equal(['Brest port']);
  });

  it('asks for a name and coordinates in range before any request', async () => {
    stub = server();
    const el = await editor();
    expect(text(el)).to.contain('No shop yet.');
    button(el, 'Add a shop')!.click();
    await el.updateComplete;
    await type(el, 'f-locations.0.longitude', '181');
    expect(field(el, 'f-locations.0.longitude')!.getAttribute('aria-invalid')).to.equal('true');
    expect(el.shadowRoot!.getElementById('f-locations.0.longitude-error')!.textContent).to.contain('between -180 and 180');
    saveButton(el).click();
    await waitUntil(() => $(el, '#summary'));
    expect(puts(stub)).to.have.length(0);
    const summary = $(el, '#summary')!.textContent!;
    expect(summary).to.contain('3 fields need a change');
    expect(summary).to.contain('Give the shop a name').and.contain('between -90 and 90').and.contain('between -180 and 180');
    expect(field(el, 'f-locations.0.name')!.getAttribute('aria-invalid')).to.equal('true');
    await type(el, 'f-locations.0.name', 'Nantes');
    await type(el, 'f-locations.0.latitude', '47,2184');
    await type(el, 'f-locations.0.longitude', '−1.5536');
    expect(field(el, 'f-locations.0.longitude')!.getAttribute('aria-invalid')).to.equal(null);
    saveButton(el).click();
    await waitUntil(() => puts(stub!).length === 1);
    expect((puts(stub)[0]!.body as Program).locations).to.deep.equal([
      { name: 'Nantes', address: null, latitude: 47.2184, longitude: -1.5536 },
    ]);
  });

  it('shows the server’s errors next to the shop’s fields', async function (this: Slow) {
    this.timeout(10_000);
    stub = server({
      put: () =>
        problem(400, 'validation_failed', [
          { path: 'locations.1.latitude', message: 'Too big: expected number to be <=90' },
          { path: 'locations.0.id', message: 'duplicate location id' },
        ]),
    });
    const el = await editor(withShops);
    saveButton(el).click();
    await waitUntil(() => $(el, '#summary'), 'the summary is shown');
    await el.updateComplete;
    const lat = field(el, 'f-locations.1.latitude')!;
    expect(lat.getAttribute('aria-invalid')).to.equal('true');
    const error = el.shadowRoot!.getElementById('f-locations.1.latitude-error')!;
    expect(error.textContent).to.contain('Too big');
    expect(lat.closest('.field')!.contains(error)).to.equal(true);
    expect(el.shadowRoot!.getElementById('f-locations.0.id-error')!.textContent).to.contain('duplicate location id');
    const summary = $(el, '#summary')!;
    expect(summary.textContent).to.contain('2 fields need a change').and.contain('Latitude').and.contain('Shops');
    [...summary.querySelectorAll('button')].find((b) => b.textContent!.includes('Latitude'))!.click();
    expect(focused()).to.equal(lat);
  });

  it('stops at 10 shops', async () => {
    stub = server();
    const ten = Array.from({ length: 10 }, (_, i) => ({ id: `s${i}`, name: `Shop ${i}`, address: null, latitude: 48, longitude: 2 }));
    const el = await editor({ ...cafe, locations: ten });
    const add = button(el, 'Add a shop')!;
    expect(add.getAttribute('aria-disabled')).to.equal('true');
    expect(text(el)).to.contain('10 shops at most');
    add.click();
    await el.updateComplete;
    expect(field(el, 'f-locations.10.name')).to.equal(null);
  });
});
