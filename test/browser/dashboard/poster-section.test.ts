import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../dashboard/screens/poster-section.ts';
import type { Program } from '../../../common/api.ts';
import type { FdPosterSection } from '../../../dashboard/screens/poster-section.ts';
import { $, $$, focused, text } from '../support/dom.ts';
import { never, problem, stubFetch, type Answer } from '../support/fetch.ts';
import { cafe, owner } from './fixtures.ts';

/** A 1×1 PNG, as the server's poster stands in for it. */
const PNG = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='), (c) =>
  c.charCodeAt(0),
);
const png = () => new Response(PNG, { headers: { 'content-type': 'image/png' } });
const ana: Program = { ...cafe, slug: 'chez-ana', locale: 'fr' };

const posterCalls = (stub: ReturnType<typeof stubFetch>) =>
  stub.calls.filter((c) => c.url.pathname === '/api/merchant/poster').map((c) => c.url.search);

async function section(answer: Answer = png, lang = 'en', program: Program = ana) {
  const stub = stubFetch(answer);
  const el = await fixture<FdPosterSection>(html`<fd-poster-section lang=${lang} .program=${program} .me=${owner}></fd-poster-section>`);
  return { el, stub };
}

const image = (el: FdPosterSection) => $<HTMLImageElement>(el, '.preview img');
const shown = (el: FdPosterSection) => waitUntil(() => image(el)?.complete && image(el)!.naturalWidth === 1, 'the preview is shown');
const radio = (el: FdPosterSection, name: string, value: string) => $<HTMLInputElement>(el, `input[name="${name}"][value="${value}"]`)!;
const links = (el: FdPosterSection) => $$<HTMLAnchorElement>(el, 'a[download]').map((a) => a.getAttribute('href'));

describe('<fd-poster-section>', () => {
  let fetchStub: ReturnType<typeof stubFetch> | undefined;
  afterEach(() => fetchStub?.restore());

  it('previews the A4 poster in the program’s language, with an alt text and both downloads; accessible', async () => {
    const { el, stub } = await section();
    fetchStub = stub;
    await shown(el);
    expect(posterCalls(stub)).to.deep.equal(['?format=png&size=a4&lang=fr']);
    expect(stub.calls[0]!.method).to.equal('GET');
    expect(image(el)!.alt).to.contain('Preview of the A4 poster').and.contain('QR code');
    expect(image(el)!.src).to.match(/^blob:/);
    expect(links(el)).to.deep.equal(['/api/merchant/poster?format=pdf&size=a4&lang=fr', '/api/merchant/poster?format=png&size=a4&lang=fr']);
    expect(radio(el, 'size', 'a4').checked).to.equal(true);
    expect(radio(el, 'poster-lang', 'fr').checked).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('takes the size and the language from the keyboard, and previews each choice', async () => {
    const { el, stub } = await section();
    fetchStub = stub;
    await shown(el);
    radio(el, 'size', 'a4').focus();
    await sendKeys({ press: 'ArrowRight' });
    await waitUntil(() => posterCalls(stub).length === 2, 'the A5 preview is asked for');
    expect(focused()).to.equal(radio(el, 'size', 'a5'));
    expect(posterCalls(stub)[1]).to.equal('?format=png&size=a5&lang=fr');
    await sendKeys({ press: 'Tab' });
    expect(focused()).to.equal(radio(el, 'poster-lang', 'fr'));
    await sendKeys({ press: 'ArrowRight' });
    await waitUntil(() => posterCalls(stub).length === 3, 'the English preview is asked for');
    expect(posterCalls(stub)[2]).to.equal('?format=png&size=a5&lang=en');
    await shown(el);
    expect(image(el)!.alt).to.contain('A5');
    expect(links(el)).to.deep.equal(['/api/merchant/poster?format=pdf&size=a5&lang=en', '/api/merchant/poster?format=png&size=a5&lang=en']);
    // The downloads are links: Tab reaches them, Enter follows them.
    await sendKeys({ press: 'Tab' });
    expect((focused() as HTMLAnchorElement).getAttribute('href')).to.equal('/api/merchant/poster?format=pdf&size=a5&lang=en');
  });

  it('says it is loading while the server makes the poster', async () => {
    const { el, stub } = await section(never);
    fetchStub = stub;
    await el.updateComplete;
    expect($(el, '.preview [role=status]')!.textContent).to.equal('Loading…');
    expect($(el, '.preview')!.getAttribute('aria-busy')).to.equal('true');
    expect(image(el)).to.equal(null);
  });

  it('shows a failure with a retry, and the poster once the retry works', async () => {
    let fail = true;
    const { el, stub } = await section(() => (fail ? problem(503, 'unavailable') : png()));
    fetchStub = stub;
    await waitUntil(() => $(el, '[role=alert]'), 'the failure is shown');
    expect(text(el)).to.contain('Something went wrong');
    fail = false;
    $$<HTMLButtonElement>(el, 'button')
      .find((b) => b.textContent === 'Try again')!
      .click();
    await shown(el);
    expect($(el, '[role=alert]')).to.equal(null);
    expect(posterCalls(stub)).to.have.length(2);
  });

  it('counts an answer that is not a PNG as a failure', async () => {
    const { el, stub } = await section(() => new Response('<html>proxy</html>', { headers: { 'content-type': 'text/html' } }));
    fetchStub = stub;
    await waitUntil(() => $(el, '[role=alert]'), 'the failure is shown');
    expect(image(el)).to.equal(null);
  });

  it('tells the shell when the session is gone', async () => {
    const stub = stubFetch(() => problem(401, 'unauthorized'));
    fetchStub = stub;
    const el = document.createElement('fd-poster-section');
    el.program = ana;
    el.me = owner;
    const signedOut = oneEvent(el, 'fd-signed-out');
    document.body.append(el);
    await signedOut;
    el.remove();
  });

  it('speaks French, and names each language in its own', async () => {
    const { el, stub } = await section(png, 'fr', { ...ana, locale: 'en' });
    fetchStub = stub;
    await shown(el);
    expect(posterCalls(stub)).to.deep.equal(['?format=png&size=a4&lang=en']);
    expect(text(el)).to.contain('Affiche pour votre comptoir').and.contain('Langue de l’affiche').and.contain('Télécharger le PDF');
    expect(image(el)!.alt).to.contain('Aperçu de l’affiche A4');
    expect($(el, 'label[lang="fr"]')!.textContent!.trim()).to.equal('Français');
    expect($(el, 'label[lang="en"]')!.textContent!.trim()).to.equal('English');
  });
});
