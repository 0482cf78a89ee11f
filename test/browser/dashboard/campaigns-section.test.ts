import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { Program } from '../../../common/api.ts';
import { dayOf, dayStart } from '../../../dashboard/screens/campaigns-section.ts';
import '../../../dashboard/screens/fd-program.ts';
import type { FdProgram } from '../../../dashboard/screens/fd-program.ts';
import { $ } from '../support/dom.ts';
import { type Answer, json, problem, stubFetch } from '../support/fetch.ts';
import { cafe, kpis, owner } from './fixtures.ts';

/** The server: no KPIs, and a save answers the program as sent (or `put`). */
function server(put?: Answer) {
  return stubFetch((c) => {
    if (c.url.pathname === '/api/merchant/kpis') return json(kpis({ averageOrderValue: null }));
    if (c.method === 'PUT' && c.url.pathname === '/api/merchant/program') return (put ?? ((c) => json({ program: c.body })))(c);
    return problem(404, 'not_found');
  });
}

async function editor(program: Program = cafe, lang = 'en') {
  const el = await fixture<FdProgram>(html`<fd-program lang=${lang} .program=${program} .me=${owner}></fd-program>`);
  await el.updateComplete;
  return el;
}

const input = (el: FdProgram, id: string) => el.shadowRoot!.getElementById(id) as HTMLInputElement & HTMLSelectElement;
async function set(el: FdProgram, id: string, value: string, event = 'input') {
  const i = input(el, id);
  expect(i, `#${id}`).to.exist;
  i.value = value;
  i.dispatchEvent(new Event(event, { bubbles: true, composed: true }));
  await el.updateComplete;
}
async function toggle(el: FdProgram, path: string) {
  $<HTMLInputElement>(el, `[data-play="${path}"]`)!.click();
  await el.updateComplete;
}
const section = (el: FdProgram, name: string) => $(el, `[data-section="${name}"]`)!;
const preview = (el: FdProgram, name: string) =>
  section(el, name).querySelector('.preview')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const save = async (el: FdProgram, stub: ReturnType<typeof stubFetch>) => {
  $<HTMLButtonElement>(el, 'button[type=submit]')!.click();
  await waitUntil(() => stub.calls.some((c) => c.method === 'PUT'), 'the program is sent');
  return stub.calls.find((c) => c.method === 'PUT')!.body as Program;
};

describe('the campaigns on the Program screen', () => {
  let stub: ReturnType<typeof stubFetch> | undefined;
  afterEach(() => stub?.restore());

  it('is accessible, every play shown', async function (this: { timeout(ms: number): void }) {
    this.timeout(15_000);
    stub = server();
    const el = await editor();
    for (const s of ['birthday', 'launch', 'ask', 'win-back', 'giving']) expect(section(el, s), s).to.exist;
    await expect(section(el, 'campaigns')).to.be.accessible();
  });

  it('turns the birthday on with its gift, previews the very words in the program’s language, and saves them', async () => {
    stub = server();
    const el = await editor(); // the café's program is in French
    await toggle(el, 'campaigns.birthday.enabled');
    await set(el, 'f-campaigns.birthday.gift.amount', '2');
    expect(preview(el, 'birthday')).to.contain('Joyeux anniversaire, Camille ! 2 tampons offerts sur votre carte.');
    await set(el, 'f-campaigns.birthday.gift.kind', 'reward', 'change');
    await set(el, 'f-campaigns.birthday.gift.name', 'Un croissant');
    expect(preview(el, 'birthday')).to.contain('Joyeux anniversaire, Camille ! Un croissant pour vous : montrez votre carte au comptoir.');
    await set(el, 'f-campaigns.birthday.daysBefore', '3');
    const sent = await save(el, stub);
    expect(sent.campaigns.birthday).to.deep.equal({
      enabled: true,
      daysBefore: 3,
      gift: { kind: 'reward', name: 'Un croissant' },
      message: null,
    });
    expect(sent.campaigns.winBack.enabled).to.equal(false);
  });

  it('stores the launch days as instants in the shop’s time zone, Paris and Montreal', async () => {
    expect(dayStart('2027-03-01', 'Europe/Paris')).to.equal('2027-02-28T23:00:00.000Z');
    expect(dayStart('2027-07-01', 'Europe/Paris')).to.equal('2027-06-30T22:00:00.000Z');
    expect(dayStart('2027-03-01', 'America/Montreal')).to.equal('2027-03-01T05:00:00.000Z');
    expect(dayOf(Date.parse('2027-03-07T22:59:59.999Z'), 'Europe/Paris')).to.equal('2027-03-07');
    // Santiago's clocks jump from 00:00 to 01:00 on 6 September 2026: the day starts at 01:00 local.
    expect(dayStart('2026-09-06', 'America/Santiago')).to.equal('2026-09-06T04:00:00.000Z');

    stub = server();
    const el = await editor({ ...cafe, timezone: 'America/Montreal' });
    expect(input(el, 'f-timezone').value).to.equal('America/Montreal', 'the program’s zone is shown, an alias included');
    await toggle(el, 'campaigns.launchBonus.enabled');
    await set(el, 'f-campaigns.launchBonus.amount', '2');
    await set(el, 'f-campaigns.launchBonus.from', '2027-03-01', 'change');
    await set(el, 'f-campaigns.launchBonus.to', '2027-03-07', 'change');
    expect(preview(el, 'launch')).to.equal('Offre de lancement : 2 tampons en plus pour toute inscription jusqu’au 7 mars');
    const sent = await save(el, stub);
    expect(sent.campaigns.launchBonus).to.deep.equal({
      enabled: true,
      amount: 2,
      from: '2027-03-01T05:00:00.000Z',
      to: '2027-03-08T05:00:00.000Z',
    });
    expect(input(el, 'f-campaigns.launchBonus.to').value).to.equal('2027-03-07', 'the last day, as picked');
  });

  it('in English: the ask, the win-back and giving back previewed; the time zone saved', async () => {
    stub = server();
    const el = await editor({ ...cafe, locale: 'en' }, 'en');
    await toggle(el, 'campaigns.asks.enabled');
    await set(el, 'f-campaigns.asks.kind', 'nps', 'change');
    expect(preview(el, 'ask')).to.contain('Thank you for your visit, Camille! One question, just one:');
    await toggle(el, 'campaigns.winBack.enabled');
    await set(el, 'f-campaigns.winBack.days', '45');
    expect(preview(el, 'win-back')).to.contain('We miss you, Camille! Your card is waiting at Café Lune.');
    await toggle(el, 'campaigns.giving.enabled');
    await set(el, 'f-campaigns.giving.cause', 'the food bank');
    expect(preview(el, 'giving').replace(/\u00a0/g, ' ')).to.contain('Together we have given €312.00 to the food bank');
    await set(el, 'f-timezone', 'Europe/Brussels', 'change');
    const sent = await save(el, stub);
    expect(sent.timezone).to.equal('Europe/Brussels');
    expect(sent.campaigns.asks).to.deep.equal({ enabled: true, kind: 'nps', skipFirstVisit: true });
    expect(sent.campaigns.winBack).to.deep.equal({ enabled: true, days: 45, message: null });
    expect(sent.campaigns.giving.enabled).to.equal(true);
    expect(section(el, 'campaigns').textContent).to.contain('Campaigns');
  });

  it('shows the server’s error next to the field it names', async () => {
    stub = server(() =>
      problem(400, 'validation_failed', [{ path: 'campaigns.launchBonus.to', message: 'a launch bonus needs a start before its end' }]),
    );
    const el = await editor();
    await toggle(el, 'campaigns.launchBonus.enabled');
    await save(el, stub);
    await waitUntil(() => el.shadowRoot!.getElementById('f-campaigns.launchBonus.to-error'), 'the error is shown');
    expect(el.shadowRoot!.getElementById('f-campaigns.launchBonus.to-error')!.textContent).to.contain(
      'a launch bonus needs a start before its end',
    );
    expect(input(el, 'f-campaigns.launchBonus.to').getAttribute('aria-invalid')).to.equal('true');
  });
});
