import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../../dashboard/screens/fd-embed.ts';
import type { Program } from '../../../common/api.ts';
import type { FdEmbed } from '../../../dashboard/screens/fd-embed.ts';
import type { FdPosterSection } from '../../../dashboard/screens/poster-section.ts';
import { $, $$, text } from '../support/dom.ts';
import { json, problem, program as publicProgram, stubFetch } from '../support/fetch.ts';
import { cafe, owner } from './fixtures.ts';

const ana: Program = { ...cafe, slug: 'chez-ana', name: 'Chez Ana', allowedOrigins: ['https://chez-ana.example'] };
// The widget's room is kept before its script runs (common/embed.ts): nothing on the page moves.
const SNIPPET = `<script type="module" src="${location.origin}/widget.js"></script>\n<fidelio-widget program="chez-ana" style="display:block;min-height:clamp(688px,(600px - 100vw)*1000,832px)"></fidelio-widget>`;
/** The widget's sources stand in for the built `/widget.js` (the test runner serves the project). */
const WIDGET = '/widget/index.ts';

/** A 1×1 PNG: the poster's preview. */
const PNG = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='), (c) =>
  c.charCodeAt(0),
);

/** The screen, with the demo page there (development) or not. */
async function embed(opts: { demo?: boolean; lang?: string; program?: Program } = {}) {
  const stub = stubFetch((c) =>
    c.url.pathname === '/demo/'
      ? opts.demo
        ? new Response('<!doctype html>', { headers: { 'content-type': 'text/html' } })
        : problem(404, 'not_found')
      : c.url.pathname === '/api/merchant/poster'
        ? new Response(PNG, { headers: { 'content-type': 'image/png' } })
        : json({ ...publicProgram, merchant: { ...publicProgram.merchant, slug: 'chez-ana', name: 'Chez Ana' } }),
  );
  const el = await fixture<FdEmbed>(
    html`<fd-embed lang=${opts.lang ?? 'en'} .program=${opts.program ?? ana} .me=${owner} .widgetSrc=${WIDGET}></fd-embed>`,
  );
  await waitUntil(() => stub.calls.some((c) => c.url.pathname === '/demo/'), 'the demo page was asked for');
  await el.updateComplete;
  return { el, stub };
}

const button = (el: FdEmbed, label: string) => $$<HTMLButtonElement>(el, 'button').find((b) => b.textContent!.trim() === label)!;

describe('<fd-embed>', () => {
  let fetchStub: ReturnType<typeof stubFetch> | undefined;
  let clipboard: PropertyDescriptor | undefined;
  afterEach(() => {
    fetchStub?.restore();
    if (clipboard) Object.defineProperty(navigator, 'clipboard', clipboard);
    clipboard = undefined;
  });

  /** Replaces `navigator.clipboard` for one test. */
  function stubClipboard(writeText: (text: string) => Promise<void>) {
    clipboard = Object.getOwnPropertyDescriptor(Navigator.prototype, 'clipboard');
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText } });
  }

  it('shows the exact snippet: this server’s origin and the program’s slug; accessible', async () => {
    const { el, stub } = await embed();
    fetchStub = stub;
    expect($(el, 'pre#widget')!.textContent).to.equal(SNIPPET);
    expect(el.snippet).to.equal(SNIPPET);
    expect($(el, 'pre#reviews')!.textContent).to.equal(
      '<fidelio-reviews program="chez-ana" style="display:block;min-height:146px"></fidelio-reviews>',
    );
    await expect(el).to.be.accessible();
  });

  it('copies exactly the snippet, and says so', async () => {
    const copied: string[] = [];
    stubClipboard(async (t) => void copied.push(t));
    const { el, stub } = await embed();
    fetchStub = stub;
    button(el, 'Copy').click();
    await waitUntil(() => text(el).includes('Copied.'), 'the copy is announced');
    expect(copied).to.deep.equal([SNIPPET]);
    const status = button(el, 'Copy').nextElementSibling!;
    expect(status.getAttribute('role')).to.equal('status');
    expect(status.textContent).to.equal('Copied.');

    button(el, 'Copy the reviews code').click();
    await waitUntil(() => copied.length === 2, 'the reviews code is copied');
    expect(copied[1]).to.equal('<fidelio-reviews program="chez-ana" style="display:block;min-height:146px"></fidelio-reviews>');
  });

  it('gives the survey element’s code for the question chosen, and copies it', async () => {
    const copied: string[] = [];
    stubClipboard(async (t) => void copied.push(t));
    const { el, stub } = await embed();
    fetchStub = stub;
    expect($(el, 'pre#survey')!.textContent).to.equal('<fidelio-survey program="chez-ana" kind="nps"></fidelio-survey>');
    const kind = $<HTMLSelectElement>(el, '#survey-kind')!;
    kind.value = 'csat';
    kind.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect($(el, 'pre#survey')!.textContent).to.equal('<fidelio-survey program="chez-ana" kind="csat"></fidelio-survey>');
    button(el, 'Copy the question’s code').click();
    await waitUntil(() => copied.length === 1, 'the survey code is copied');
    expect(copied[0]).to.equal('<fidelio-survey program="chez-ana" kind="csat"></fidelio-survey>');
  });

  it('selects the snippet for Ctrl+C when the clipboard is refused', async () => {
    stubClipboard(() => Promise.reject(new DOMException('denied', 'NotAllowedError')));
    const { el, stub } = await embed();
    fetchStub = stub;
    button(el, 'Copy').click();
    await waitUntil(() => text(el).includes('copy it with Ctrl+C'), 'the fallback is explained');
    const range = getSelection()!.getRangeAt(0);
    expect(range.startContainer).to.equal($(el, 'pre#widget'));
    expect(range.toString()).to.equal(SNIPPET);
  });

  it('previews the real widget for this program', async function (this: { timeout(ms: number): void }) {
    // The first import of the widget's sources is transformed on the fly: slow on a busy machine.
    this.timeout(15_000);
    const { el, stub } = await embed();
    fetchStub = stub;
    await waitUntil(() => $(el, '.preview fidelio-widget'), 'the widget is loaded', { timeout: 10_000 });
    const widget = $(el, '.preview fidelio-widget')!;
    expect(widget.getAttribute('program')).to.equal('chez-ana');
    expect(customElements.get('fidelio-widget'), 'the widget code ran').to.not.equal(undefined);
    await waitUntil(() => stub.calls.some((c) => c.url.pathname === '/api/public/programs/chez-ana'), 'the widget asks for its program', {
      timeout: 5_000,
    });
  });

  it('says when the preview cannot be loaded', async () => {
    fetchStub = stubFetch(() => problem(404, 'not_found'));
    const el = await fixture<FdEmbed>(
      html`<fd-embed lang="en" .program=${ana} .me=${owner} .widgetSrc=${'/no/such/widget.js'}></fd-embed>`,
    );
    await waitUntil(() => $(el, '[role=alert]'), 'the failure is shown', { timeout: 5_000 });
    expect(text(el)).to.contain('The preview could not be loaded');
    expect($(el, 'pre#widget')!.textContent, 'the snippet is still there').to.equal(SNIPPET);
  });

  it('reminds of the allowed origins, with a link to change them', async () => {
    const { el, stub } = await embed();
    fetchStub = stub;
    expect(text(el)).to.contain('Allowed now: https://chez-ana.example.');
    expect($(el, 'a[href="#program"]')!.textContent).to.equal('Edit the allowed origins');
    fetchStub.restore();
    const none = await embed({ program: { ...ana, allowedOrigins: [] } });
    fetchStub = none.stub;
    expect(text(none.el)).to.contain('None yet.');
  });

  it('links to the demo page for this program only when the server has one (development)', async () => {
    const dev = await embed({ demo: true });
    fetchStub = dev.stub;
    const link = $$<HTMLAnchorElement>(dev.el, 'a').find((a) => a.textContent === 'Try it on a test page')!;
    expect(link.getAttribute('href')).to.equal('/demo/?program=chez-ana');
    fetchStub.restore();
    const prod = await embed({ demo: false });
    fetchStub = prod.stub;
    expect(text(prod.el)).to.not.contain('Try it on a test page');
  });

  it('ends with the poster for the counter, for this program, in the screen’s language', async () => {
    const { el, stub } = await embed({ lang: 'fr' });
    fetchStub = stub;
    const poster = $<FdPosterSection>(el, 'fd-poster-section')!;
    expect(poster.program).to.equal(ana);
    expect(poster.getAttribute('lang')).to.equal('fr');
    await waitUntil(() => $<HTMLImageElement>(poster, '.preview img')?.complete, 'the poster is previewed');
    expect(stub.calls.filter((c) => c.url.pathname === '/api/merchant/poster').map((c) => c.url.search)).to.deep.equal([
      '?format=png&size=a4&lang=fr',
    ]);
    expect(text(poster)).to.contain('Affiche pour votre comptoir');
  });

  it('speaks French', async () => {
    const { el, stub } = await embed({ lang: 'fr', demo: true });
    fetchStub = stub;
    expect(text(el)).to.contain('Code à coller').and.contain('Aperçu').and.contain('L’essayer sur une page de test');
    expect(button(el, 'Copier')).to.not.equal(undefined);
  });
});
