import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { Program } from '../../../common/api.ts';
import '../../../dashboard/screens/fd-design.ts';
import type { FdDesign } from '../../../dashboard/screens/fd-design.ts';
import type { FdPassPreview } from '../../../dashboard/screens/preview-pass.ts';
import { type Answer, json, problem, stubFetch } from '../support/fetch.ts';
import { $, $$, focused, text } from '../support/dom.ts';
import { cafe, owner, staff } from './fixtures.ts';

const LOGO_URL = 'http://localhost:3000/logos/m1.abcdef12.png';
/** A 1×1 PNG, so the preview has a real picture to show. */
const PNG_BYTES = Uint8Array.from(
  atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII='),
  (c) => c.charCodeAt(0),
);
const PNG_DATA = `data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=`;

type Slow = { timeout(ms: number): void };

/** The server: a save gets the program as sent, a logo upload its address on the server (or `logo` decides). */
function server(opts: { put?: Answer; logo?: Answer } = {}) {
  return stubFetch((c) => {
    if (c.url.pathname === '/api/merchant/program/logo')
      return (opts.logo ?? ((c) => (c.method === 'DELETE' ? new Response(null, { status: 204 }) : json({ logoUrl: LOGO_URL }))))(c);
    if (c.method === 'PUT' && c.url.pathname === '/api/merchant/program') return (opts.put ?? ((c) => json({ program: c.body })))(c);
    return problem(404, 'not_found');
  });
}

async function designer(program: Program = cafe, me = owner) {
  const el = await fixture<FdDesign>(html`<fd-design lang="en" .program=${program} .me=${me}></fd-design>`);
  await el.updateComplete;
  return el;
}

async function type(el: FdDesign, id: string, value: string) {
  const input = el.shadowRoot!.getElementById(id) as HTMLInputElement;
  expect(input, `#${id}`).to.exist;
  input.value = value;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  await el.updateComplete;
}

/** Picks a file in the logo field. */
async function pick(el: FdDesign, file: File) {
  const input = el.shadowRoot!.getElementById('logo-file') as HTMLInputElement;
  const dt = new DataTransfer();
  dt.items.add(file);
  input.files = dt.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
  await el.updateComplete;
}

const preview = (el: FdDesign) => $<FdPassPreview>(el, 'fd-pass-preview')!;
const card = (el: FdDesign, which: 'apple' | 'google') => $(preview(el), `[part=${which}]`)!;
const saveButton = (el: FdDesign) => $<HTMLButtonElement>(el, 'button[type=submit]')!;
const button = (el: FdDesign, label: string) => $$<HTMLButtonElement>(el, 'button').find((b) => b.textContent!.trim() === label);
const logoCalls = (stub: ReturnType<typeof stubFetch>) => stub.calls.filter((c) => c.url.pathname.endsWith('/program/logo'));

describe('<fd-design>', () => {
  let stub: ReturnType<typeof stubFetch> | undefined;
  afterEach(() => stub?.restore());

  it('is accessible, with the preview', async function (this: Slow) {
    this.timeout(10_000);
    stub = server();
    const el = await designer({ ...cafe, design: { ...cafe.design, logoUrl: PNG_DATA } });
    await expect(el).to.be.accessible();
  });

  it('previews both passes with the sample member, the stamps, the reward and the business name', async () => {
    stub = server();
    const el = await designer();
    await preview(el).updateComplete;
    const apple = card(el, 'apple').textContent!.replace(/\s+/g, ' ');
    // The passes speak the program's language (French here), the screen the merchant's.
    expect(apple).to.contain('Café Lune').and.contain('Tampons').and.contain('7 / 10').and.contain('A free coffee').and.contain('Léa');
    const google = card(el, 'google').textContent!.replace(/\s+/g, ' ');
    expect(google).to.contain('Café Lune').and.contain('Carte Café Lune').and.contain('7/10');
    // The strip's stamp grid: 10 slots, 7 of them filled with the text colour.
    const circles = [...card(el, 'apple').querySelectorAll<SVGCircleElement>('.strip circle')];
    expect(circles).to.have.length(10);
    expect(circles.filter((c) => c.getAttribute('fill') === '#ffffff')).to.have.length(7);
    expect($(preview(el), '[role=img]')!.getAttribute('aria-label')).to.contain('preview');
    // The preview follows what is typed.
    await type(el, 'f-reward.name', 'Une part de tarte');
    await preview(el).updateComplete;
    expect(card(el, 'apple').textContent).to.contain('Une part de tarte');
  });

  it('the preview follows a colour change, typed or picked', async () => {
    stub = server();
    const el = await designer();
    const bg = () => getComputedStyle(card(el, 'apple')).backgroundColor;
    expect(bg()).to.equal('rgb(59, 47, 47)');
    await type(el, 'f-design.backgroundColor', '#112233');
    await preview(el).updateComplete;
    expect(bg()).to.equal('rgb(17, 34, 51)');
    expect(getComputedStyle(card(el, 'google')).backgroundColor).to.equal('rgb(17, 34, 51)');
    expect($<HTMLInputElement>(el, '#picker-backgroundColor')!.value).to.equal('#112233');

    const picker = $<HTMLInputElement>(el, '#picker-foregroundColor')!;
    picker.value = '#ffcc00';
    picker.dispatchEvent(new Event('input', { bubbles: true }));
    await el.updateComplete;
    await preview(el).updateComplete;
    expect(getComputedStyle($(preview(el), '.apple .primary .value')!).color).to.equal('rgb(255, 204, 0)');
    expect($<HTMLInputElement>(el, '#f-design\\.foregroundColor')!.value).to.equal('#ffcc00');
  });

  it('warns, in words, when text or labels are hard to read on the background', async () => {
    stub = server();
    const el = await designer();
    const contrast = () => $(el, '[part=contrast]')!.textContent!.replace(/\s+/g, ' ');
    expect(contrast()).to.contain('Easy to read').and.not.contain('Warning');
    await type(el, 'f-design.foregroundColor', '#555555');
    expect(contrast()).to.match(/Warning: the text on the background is hard to read \(contrast 1\.\d:1/);
    await type(el, 'f-design.labelColor', '#4a3b3b');
    expect(contrast()).to.contain('Warning: the labels on the background are hard to read');
  });

  it('says it in French with the verb agreeing: « le texte se lit », « les libellés se lisent »', async () => {
    stub = server();
    const el = await fixture<FdDesign>(html`<fd-design lang="fr" .program=${cafe} .me=${owner}></fd-design>`);
    await type(el, 'f-design.foregroundColor', '#555555');
    await type(el, 'f-design.labelColor', '#4a3b3b');
    const warnings = $$(el, '[part=contrast] .warn').map((p) => p.textContent!.trim());
    expect(warnings).to.have.length(2);
    expect(warnings[0]).to.match(/^Attention : le texte se lit mal sur le fond \(contraste de 1,\d:1, au moins 4,5:1 conseillé\)\.$/);
    expect(warnings[1]).to.match(
      /^Attention : les libellés se lisent mal sur le fond \(contraste de 1,\d:1, au moins 4,5:1 conseillé\)\.$/,
    );
  });

  it('saves the whole program with exactly the changes made, and says every pass is updated', async () => {
    stub = server();
    const el = await designer();
    await type(el, 'f-design.backgroundColor', '1D4ED8');
    await type(el, 'f-name', 'Carte Café Lune bleue');
    const changed = oneEvent(el, 'fd-program-changed');
    saveButton(el).click();
    await el.updateComplete;
    expect(saveButton(el).getAttribute('aria-disabled')).to.equal('true');
    const sent = stub.calls.filter((c) => c.method === 'PUT');
    expect(sent).to.have.length(1);
    const expected = { ...cafe, name: 'Carte Café Lune bleue', design: { ...cafe.design, backgroundColor: '#1d4ed8' } };
    expect(sent[0]!.body).to.deep.equal(expected);
    expect((await changed).detail).to.deep.equal(expected);
    await el.updateComplete;
    expect(text(el)).to.contain('Saved — every pass is being updated.');
  });

  it('a colour that is not one is refused before any request; the server’s errors land next to their field', async () => {
    stub = server({
      put: () => problem(400, 'validation_failed', [{ path: 'design.labelColor', message: 'must be a colour like #1a2b3c' }]),
    });
    const el = await designer();
    await type(el, 'f-design.backgroundColor', '#12');
    expect(el.shadowRoot!.getElementById('f-design.backgroundColor-error')!.textContent).to.contain('Enter a colour like #1a2b3c.');
    saveButton(el).click();
    await waitUntil(() => $(el, '#summary'), 'the summary');
    expect(stub.calls).to.have.length(0);
    await type(el, 'f-design.backgroundColor', '#123456');
    saveButton(el).click();
    await waitUntil(() => el.shadowRoot!.getElementById('f-design.labelColor-error'), 'the error next to the field');
    expect(el.shadowRoot!.getElementById('f-design.labelColor-error')!.textContent).to.contain('must be a colour like #1a2b3c');
    expect(el.shadowRoot!.getElementById('f-design.labelColor')!.getAttribute('aria-invalid')).to.equal('true');
    await el.updateComplete;
    expect(focused()).to.equal($(el, '#summary'));
    expect($(el, '#summary')!.textContent).to.contain('Labels');
  });

  it('refuses a 3 MB file and an SVG before any request', async () => {
    stub = server();
    const el = await designer();
    await pick(el, new File([new Uint8Array(3 * 1024 * 1024)], 'logo.png', { type: 'image/png' }));
    expect($(el, '[role=alert]')!.textContent).to.contain('This file is 3 MB: a logo can be 2 MB at most.');
    await pick(el, new File(['<svg xmlns="http://www.w3.org/2000/svg"/>'], 'logo.svg', { type: 'image/svg+xml' }));
    expect($(el, '[role=alert]')!.textContent).to.contain('SVG logos are not accepted');
    await pick(el, new File(['GIF89a'], 'logo.gif', { type: 'image/gif' }));
    expect($(el, '[role=alert]')!.textContent).to.contain('This file (image/gif) is not a PNG or JPEG image.');
    expect(stub.calls).to.have.length(0);
  });

  it('uploads a logo as the raw file; the preview and the shell get its address', async () => {
    stub = server();
    const el = await designer();
    const changed = oneEvent(el, 'fd-program-changed');
    const file = new File([PNG_BYTES], 'logo.png', { type: 'image/png' });
    await pick(el, file);
    const [call] = logoCalls(stub);
    expect(call!.method).to.equal('PUT');
    expect(call!.headers.get('content-type')).to.equal('image/png');
    expect(call!.body).to.equal(file);
    expect((await changed).detail.design).to.deep.equal({ ...cafe.design, logoUrl: LOGO_URL });
    await el.updateComplete;
    expect(text(el)).to.contain('Logo saved — every pass is being updated.');
    await preview(el).updateComplete;
    expect(card(el, 'apple').querySelector('img')!.getAttribute('src')).to.equal(LOGO_URL);

    // A later save keeps the new logo.
    await type(el, 'f-name', 'Renamed');
    saveButton(el).click();
    await waitUntil(() => stub!.calls.some((c) => c.url.pathname === '/api/merchant/program'), 'saved');
    const body = stub.calls.find((c) => c.url.pathname === '/api/merchant/program')!.body as Program;
    expect(body.design.logoUrl).to.equal(LOGO_URL);
    expect(body.name).to.equal('Renamed');
  });

  it('removes the logo', async () => {
    stub = server();
    const el = await designer({ ...cafe, design: { ...cafe.design, logoUrl: LOGO_URL } });
    const changed = oneEvent(el, 'fd-program-changed');
    button(el, 'Remove logo')!.click();
    expect((await changed).detail.design.logoUrl).to.equal(null);
    expect(logoCalls(stub).map((c) => c.method)).to.deep.equal(['DELETE']);
    await el.updateComplete;
    expect(text(el)).to.contain('Logo removed').and.contain('No logo yet');
    await preview(el).updateComplete;
    expect(card(el, 'apple').querySelector('img')).to.equal(null);
  });

  for (const [status, code, detail, shown] of [
    [415, 'unsupported_media_type', 'A logo must be a PNG or JPEG image.', 'A logo must be a PNG or JPEG image.'],
    [413, 'payload_too_large', 'The logo is larger than 2 MB.', 'a logo can be 2 MB at most'],
    [400, 'validation_failed', 'This image could not be read: the file is damaged.', 'the file is damaged'],
    [403, 'forbidden', 'Only the owner.', 'Only the owner of the business can change the program.'],
  ] as const) {
    it(`shows the server's ${status} for a logo`, async () => {
      stub = server({ logo: () => json({ type: 'about:blank', title: code, status, detail, code }, status) });
      const el = await designer();
      await pick(el, new File([PNG_BYTES], 'logo.png', { type: 'image/png' }));
      await waitUntil(() => $(el, '[role=alert]'), 'the refusal is shown');
      expect(logoCalls(stub)).to.have.length(1);
      expect($(el, '[role=alert]')!.textContent).to.contain(shown);
    });
  }

  it('staff see no form; a 403 on save is said plainly', async () => {
    stub = server({ put: () => problem(403, 'forbidden') });
    const forStaff = await designer(cafe, staff);
    expect($(forStaff, 'form')).to.equal(null);
    expect($(forStaff, '[role=alert]')!.textContent).to.contain('Only the owner');
    const el = await designer();
    await type(el, 'f-design.labelColor', '#ffffff');
    saveButton(el).click();
    await waitUntil(() => $(el, '.actions [role=alert]'), 'the refusal');
    expect($(el, '.actions [role=alert]')!.textContent).to.contain('Only the owner of the business can change the program.');
  });
});
