import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../../dashboard/screens/fd-import.ts';
import type { ImportPreview, ImportState, Me } from '../../../common/api.ts';
import type { FdImport } from '../../../dashboard/screens/fd-import.ts';
import { $, $$, text } from '../support/dom.ts';
import { type Answer, type Call, json, problem, stubFetch } from '../support/fetch.ts';
import { afterTimersOf } from '../support/timers.ts';
import { cafe, owner, staff } from './fixtures.ts';

/** How often the screen asks how far an import got, in these tests. */
const POLL_MS = 20;

const CSV = 'Nom;Courriel;Tél;Date de naissance;Tampons;Newsletter\nCamille Martin;camille@example.com;0612345678;1990-04-12;3;oui\n';

const preview = (over: Partial<ImportPreview> = {}): ImportPreview => ({
  encoding: 'utf-8',
  delimiter: ';',
  columns: ['Nom', 'Courriel', 'Tél', 'Date de naissance', 'Tampons', 'Newsletter'],
  mapping: { name: 'Nom', email: 'Courriel', phone: 'Tél', birthday: 'Date de naissance', balance: 'Tampons', marketing_consent: null },
  rows: [
    ['Camille Martin', 'camille@example.com', '0612345678', '1990-04-12', '3', 'oui'],
    ['Noé Petit', 'noe@example.com', '', '12/31', '7', 'non'],
  ],
  total: 3,
  balanceUnit: 'stamps',
  ...over,
});

const state = (over: Partial<ImportState> = {}): ImportState => ({
  id: 'i1',
  status: 'running',
  total: 3,
  done: 0,
  failed: 0,
  created: 0,
  updated: 0,
  unchanged: 0,
  errors: [],
  welcome: false,
  createdAt: '2026-03-01T12:00:00.000Z',
  finishedAt: null,
  ...over,
});

const detail = (status: number, text: string) =>
  json({ type: 'about:blank', title: 'refused', status, detail: text, code: 'validation_failed' }, status);

/**
 * The screen, polling every 20 ms. `answers` by route: `history` (GET /imports), `preview`,
 * `start` (POST /imports?…), `status` (GET /imports/:id).
 */
async function screen(
  opts: { me?: Me; lang?: string; history?: Answer; preview?: Answer; start?: Answer; status?: Answer; pollEvery?: number } = {},
) {
  const route: Answer = (c: Call) => {
    const p = c.url.pathname;
    if (c.method === 'GET' && p === '/api/merchant/imports') return (opts.history ?? (() => json({ imports: [] })))(c);
    if (c.method === 'GET') return (opts.status ?? (() => json(state({ status: 'done', done: 3, created: 3 }))))(c);
    if (p === '/api/merchant/imports/preview') return (opts.preview ?? (() => json(preview())))(c);
    return (opts.start ?? (() => json({ id: 'i1' }, 202)))(c);
  };
  const stub = stubFetch(route);
  const el = await fixture<FdImport>(
    html`<fd-import
      lang=${opts.lang ?? 'en'}
      .pollEvery=${opts.pollEvery ?? POLL_MS}
      .program=${cafe}
      .me=${opts.me ?? owner}
    ></fd-import>`,
  );
  if ((opts.me ?? owner).role === 'owner')
    await waitUntil(() => $(el, '.past, #history-title ~ .hint, [role=alert]'), 'the history is shown');
  return { el, stub };
}

/** Chooses `file` in the file input, as a person would. */
function pick(el: FdImport, file: File) {
  const input = $<HTMLInputElement>(el, '#import-file')!;
  const dt = new DataTransfer();
  dt.items.add(file);
  input.files = dt.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

const csvFile = (type = 'text/csv') => new File([CSV], 'clients.csv', { type });
const button = (el: FdImport, label: string) => $$<HTMLButtonElement>(el, 'button').find((b) => b.textContent!.trim() === label);

function choose(el: FdImport, id: string, value: string) {
  const select = $<HTMLSelectElement>(el, `#${id}`)!;
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
}

describe('<fd-import>', () => {
  let fetchStub: ReturnType<typeof stubFetch> | undefined;
  afterEach(() => fetchStub?.restore());

  it('asks for a CSV file, and lists nothing before the first import; accessible', async () => {
    const { el, stub } = await screen();
    fetchStub = stub;
    expect(stub.calls.map((c) => `${c.method} ${c.url.pathname}`)).to.deep.equal(['GET /api/merchant/imports']);
    const input = $<HTMLInputElement>(el, '#import-file')!;
    expect(input.type).to.equal('file');
    expect(input.accept).to.equal('.csv,text/csv');
    expect(text(el)).to.contain('Up to 20 MB').and.contain('No import yet.');
    await expect(el).to.be.accessible();
  });

  it('previews the file: sends its bytes as text/csv, shows the first rows and the columns preselected', async () => {
    const { el, stub } = await screen();
    fetchStub = stub;
    // A CSV saved on Windows is often typed as Excel: it goes as text/csv all the same.
    pick(el, csvFile('application/vnd.ms-excel'));
    await waitUntil(() => $(el, 'table'), 'the preview is shown');
    const sent = stub.calls.find((c) => c.method === 'POST')!;
    expect(sent.url.pathname).to.equal('/api/merchant/imports/preview');
    expect(sent.headers.get('content-type')).to.equal('text/csv');
    expect(sent.body).to.be.instanceOf(Blob);
    expect(await (sent.body as Blob).text(), 'the file’s bytes').to.equal(CSV);

    expect($$(el, 'thead th').map((th) => th.textContent)).to.deep.equal(preview().columns);
    expect($$(el, 'tbody tr').map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent))).to.deep.equal(preview().rows);
    expect(text(el)).to.contain('3 rows in clients.csv.');
    const chosen = (f: string) => $<HTMLSelectElement>(el, `#map-${f}`)!.value;
    expect(['name', 'email', 'phone', 'birthday', 'balance', 'marketing_consent'].map(chosen)).to.deep.equal([
      'Nom',
      'Courriel',
      'Tél',
      'Date de naissance',
      'Tampons',
      '',
    ]);
    expect($$<HTMLOptionElement>(el, '#map-marketing_consent option').map((o) => o.textContent!.trim())).to.deep.equal([
      '—',
      ...preview().columns,
    ]);
    expect($(el, 'label[for=map-name]')!.textContent).to.contain('(required)');
    expect($(el, '#map-balance-hint')!.textContent).to.equal('The balance column holds each member’s number of stamps today.');
    const welcome = $<HTMLInputElement>(el, 'input[name=welcome]')!;
    expect(welcome.checked, 'no welcome mail unless ticked').to.equal(false);
    expect(button(el, 'Import 3 rows')).to.not.equal(undefined);
    expect(el.shadowRoot!.activeElement?.id, 'step 2 has the focus').to.equal('step2');
    await expect(el).to.be.accessible();
  });

  it('says what the balance means for points and cashback programs', async () => {
    const points = await screen({ preview: () => json(preview({ balanceUnit: 'points' })) });
    fetchStub = points.stub;
    pick(points.el, csvFile());
    await waitUntil(() => $(points.el, '#map-balance-hint'));
    expect($(points.el, '#map-balance-hint')!.textContent).to.contain('number of points');
    fetchStub.restore();

    const cashback = await screen({ preview: () => json(preview({ balanceUnit: 'cashback' })) });
    fetchStub = cashback.stub;
    pick(cashback.el, csvFile());
    await waitUntil(() => $(cashback.el, '#map-balance-hint'));
    expect($(cashback.el, '#map-balance-hint')!.textContent).to.equal(
      'The balance column holds each member’s cashback in euros, for example 12.50.',
    );
  });

  it('imports with the columns chosen, then follows the import until it is done', async () => {
    const answers = [
      state({ done: 1, created: 1 }),
      state({ done: 2, created: 1, failed: 1, errors: [{ line: 3, message: 'birthday is not a date' }] }),
      state({
        status: 'done',
        done: 3,
        created: 1,
        updated: 1,
        failed: 1,
        errors: [{ line: 3, message: 'birthday is not a date' }],
        welcome: true,
        finishedAt: '2026-03-01T12:00:05.000Z',
      }),
    ];
    let polls = 0;
    const { el, stub } = await screen({ status: () => json(answers[Math.min(polls++, answers.length - 1)]) });
    fetchStub = stub;
    pick(el, csvFile());
    await waitUntil(() => $(el, 'table'), 'the preview is shown');
    choose(el, 'map-phone', '');
    choose(el, 'map-marketing_consent', 'Newsletter');
    $<HTMLInputElement>(el, 'input[name=welcome]')!.click();
    button(el, 'Import 3 rows')!.click();

    await waitUntil(() => $(el, 'progress'), 'the progress is shown');
    const start = stub.calls.find((c) => c.method === 'POST' && c.url.pathname === '/api/merchant/imports')!;
    expect(start.headers.get('content-type')).to.equal('text/csv');
    expect(await (start.body as Blob).text()).to.equal(CSV);
    expect(start.url.search).to.equal(
      '?name=Nom&email=Courriel&birthday=Date%20de%20naissance&balance=Tampons&marketing_consent=Newsletter&welcome=true',
    );
    expect(Object.fromEntries(start.url.searchParams)).to.deep.equal({
      name: 'Nom',
      email: 'Courriel',
      birthday: 'Date de naissance',
      balance: 'Tampons',
      marketing_consent: 'Newsletter',
      welcome: 'true',
    });

    await waitUntil(() => text(el).includes('Import finished'), 'the import is followed until done', { timeout: 3000 });
    // The one just done is shown above, not in the list of the others.
    expect(text(el)).to.contain('No other import yet.').and.not.contain('No import yet.');
    const progress = $<HTMLProgressElement>(el, 'progress')!;
    expect([progress.value, progress.max]).to.deep.equal([3, 3]);
    expect(text(el))
      .to.contain('3 of 3 rows read')
      .and.contain('1 new member, 1 updated, 0 already there, 1 refused')
      .and.contain('New members get the welcome e-mail.');
    expect($$(el, '.lines li').map((li) => li.textContent)).to.deep.equal(['Line 3: birthday is not a date']);
    expect(
      stub.calls.filter((c) => c.method === 'GET' && c.url.pathname === '/api/merchant/imports/i1'),
      'asked until done',
    ).to.have.length(3);
    // A next question would have been set up with the answer that said done, and had its turn.
    await afterTimersOf(POLL_MS);
    expect(polls, 'no more questions once done').to.equal(3);
    await expect(el).to.be.accessible();

    button(el, 'Import another file')!.click();
    await el.updateComplete;
    expect($(el, '#import-file')).to.not.equal(null);
    expect($$(el, '.past li').map((li) => li.textContent!.replace(/\s+/g, ' '))[0], 'now in the history').to.contain(
      'finished · 3 of 3 rows read',
    );
  });

  it('wants a column for the name and the email before sending', async () => {
    const { el, stub } = await screen({ preview: () => json(preview({ mapping: { ...preview().mapping, email: null } })) });
    fetchStub = stub;
    pick(el, csvFile());
    await waitUntil(() => $(el, 'table'), 'the preview is shown');
    expect($<HTMLSelectElement>(el, '#map-email')!.value).to.equal('');
    button(el, 'Import 3 rows')!.click();
    await el.updateComplete;
    expect($(el, '#map-email-error')!.textContent).to.equal('Choose the column with the email.');
    expect($(el, '#map-email')!.getAttribute('aria-invalid')).to.equal('true');
    expect(el.shadowRoot!.activeElement?.id, 'the field has the focus').to.equal('map-email');
    expect(stub.calls.filter((c) => c.url.pathname === '/api/merchant/imports' && c.method === 'POST')).to.have.length(0);
    await expect(el).to.be.accessible();
    choose(el, 'map-email', 'Courriel');
    await el.updateComplete;
    expect($(el, '#map-email-error')).to.equal(null);
  });

  it('refuses a file over 20 MB without sending it', async () => {
    const { el, stub } = await screen();
    fetchStub = stub;
    pick(el, new File([new Uint8Array(20 * 1024 * 1024 + 1)], 'huge.csv', { type: 'text/csv' }));
    await el.updateComplete;
    expect($(el, '[role=alert]')!.textContent).to.contain('This file is 20.0 MB: the limit is 20 MB.');
    expect($(el, '#import-file')!.getAttribute('aria-invalid')).to.equal('true');
    expect(stub.calls.filter((c) => c.method === 'POST')).to.have.length(0);
  });

  it('shows the server’s detail when it refuses the file (415 on preview, 413 and 400 on import)', async () => {
    let startAnswer = () => detail(413, 'The file is over 20 MB.');
    const { el, stub } = await screen({
      preview: (c) =>
        (c.body as Blob).type === 'text/csv' && (c.body as Blob).size < 10 ? detail(415, 'This is not a CSV file.') : json(preview()),
      start: () => startAnswer(),
    });
    fetchStub = stub;
    pick(el, new File(['x'], 'photo.csv', { type: 'image/png' }));
    await waitUntil(() => $(el, '[role=alert]'), 'the refusal is shown');
    expect($(el, '[role=alert]')!.textContent).to.equal('This is not a CSV file.');

    pick(el, csvFile());
    await waitUntil(() => $(el, 'table'), 'the preview is shown');
    button(el, 'Import 3 rows')!.click();
    await waitUntil(() => $(el, '[role=alert]'), 'the refusal is shown');
    expect($(el, '[role=alert]')!.textContent).to.equal('The file is over 20 MB.');
    startAnswer = () => detail(400, 'The column “Courriel” is not in the file.');
    button(el, 'Import 3 rows')!.click();
    await waitUntil(() => text(el).includes('The column “Courriel” is not in the file.'), 'the 400 is shown');
    expect($(el, 'progress')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('coming back: follows the running import again, lists the finished ones, and stops asking when left', async () => {
    const past = state({
      id: 'i0',
      status: 'done',
      done: 120,
      total: 120,
      created: 100,
      updated: 15,
      unchanged: 5,
      createdAt: '2026-02-01T12:00:00.000Z',
    });
    let done = 40;
    const { el, stub } = await screen({
      history: () => json({ imports: [state({ done: 20, total: 200, created: 20 }), past] }),
      status: () => json(state({ done: (done += 10), total: 200, created: done })),
    });
    fetchStub = stub;
    await waitUntil(() => $(el, 'progress'), 'the running import is shown');
    expect(text(el)).to.contain('Import in progress');
    expect($(el, '#import-file'), 'no new import meanwhile').to.equal(null);
    expect($$(el, '.past li').map((li) => li.textContent!.replace(/\s+/g, ' ').trim())).to.have.length(1);
    expect($(el, '.past li')!.textContent!.replace(/\s+/g, ' '))
      .to.contain('finished · 120 of 120 rows read')
      .and.contain('100 new members, 15 updated, 5 already there, 0 refused');
    await waitUntil(() => stub.calls.filter((c) => c.url.pathname === '/api/merchant/imports/i1').length >= 2, 'it is asked again');
    await waitUntil(() => $<HTMLProgressElement>(el, 'progress')!.value >= 60, 'the bar moves');
    expect($<HTMLProgressElement>(el, 'progress')!.max).to.equal(200);
    await expect(el).to.be.accessible();

    const parent = el.parentNode!;
    el.remove();
    const asked = stub.calls.length;
    // A question set up before it left has had its turn.
    await afterTimersOf(POLL_MS);
    expect(stub.calls.length, 'no question once the screen is left').to.equal(asked);

    parent.append(el);
    await waitUntil(() => stub.calls.length >= asked + 2, 'the list, then the import, are asked again');
    expect(stub.calls[asked]!.url.pathname).to.equal('/api/merchant/imports');
    expect(stub.calls[asked + 1]!.url.pathname).to.equal('/api/merchant/imports/i1');
    el.remove();
  });

  it('offers to ask again when the progress cannot be read', async () => {
    let fail = true;
    const { el, stub } = await screen({
      history: () => json({ imports: [state()] }),
      status: () => (fail ? problem(503, 'unavailable') : json(state({ status: 'done', done: 3, created: 3 }))),
    });
    fetchStub = stub;
    await waitUntil(() => $(el, '[role=alert]'), 'the failure is shown');
    expect($(el, '[role=alert]')!.textContent).to.contain('The progress cannot be read right now.');
    fail = false;
    button(el, 'Try again')!.click();
    await waitUntil(() => text(el).includes('Import finished'), 'followed to the end');
    expect($(el, '[role=alert]')).to.equal(null);
  });

  it('fits a 390-px phone: the rows scroll in their own box, reachable by keyboard', async () => {
    const { el, stub } = await screen();
    fetchStub = stub;
    el.style.width = '390px';
    pick(el, csvFile());
    await waitUntil(() => $(el, 'table'), 'the preview is shown');
    expect(el.scrollWidth).to.be.at.most(390);
    const box = $(el, '.table')!;
    expect(box.scrollWidth, 'the table is wider than the phone').to.be.above(box.clientWidth);
    expect(box.tabIndex).to.equal(0);
  });

  it('shows the owner-only message when the server refuses (403), and to staff without asking', async () => {
    const refused = await screen({ history: () => problem(403, 'forbidden') });
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
    const el = document.createElement('fd-import');
    el.me = owner;
    setTimeout(() => document.body.append(el));
    await oneEvent(el, 'fd-signed-out');
    el.remove();
  });

  it('speaks French', async () => {
    const { el, stub } = await screen({ lang: 'fr' });
    fetchStub = stub;
    pick(el, csvFile());
    await waitUntil(() => $(el, 'table'), 'the preview is shown');
    expect(text(el))
      .to.contain('Importer des clients')
      .and.contain('Fichier CSV')
      .and.contain('Importer 3 lignes')
      .and.contain('Envoyer l’e-mail de bienvenue aux nouveaux membres')
      .and.contain('nombre de tampons');
  });

  it('tells the shell when the columns were chosen and the file not imported', async () => {
    const { el, stub } = await screen();
    fetchStub = stub;
    pick(el, csvFile());
    await waitUntil(() => $(el, 'table'), 'the preview is shown');
    expect(el.unsaved, 'only previewed').to.equal(false);
    choose(el, 'map-marketing_consent', preview().columns[0]!);
    await el.updateComplete;
    expect(el.unsaved).to.equal(true);
    button(el, 'Import 3 rows')!.click();
    await waitUntil(() => text(el).includes('Import finished'), 'imported', { timeout: 3000 });
    expect(el.unsaved).to.equal(false);
  });
});
