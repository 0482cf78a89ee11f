import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../widget/index.ts';
import type { FidelioReview } from '../../widget/fidelio-review.ts';
import { $, $$, focused, text } from './support/dom.ts';
import { API, type Answer, json, problem, stubFetch } from './support/fetch.ts';

const GOOGLE = 'https://g.page/r/cafe-lune/review';

async function review(answer: Answer, attrs = html`<fidelio-review program="cafe-lune" api=${API} lang="en"></fidelio-review>`) {
  const stub = stubFetch(answer);
  const el = await fixture<FidelioReview>(attrs);
  return { el, stub };
}

const submit = (el: Element) => $<HTMLButtonElement>(el, '[type=submit]')!.click();

describe('<fidelio-review>', () => {
  let stub: ReturnType<typeof stubFetch> | undefined;
  afterEach(() => stub?.restore());

  it('is accessible', async () => {
    const r = await review(() => json({ id: 'r1', status: 'pending', googleReviewUrl: null }, 201));
    stub = r.stub;
    await expect(r.el).to.be.accessible();
  });

  it('offers 1 to 5 stars as a labelled radio group', async () => {
    const r = await review(() => json({ id: 'r1', status: 'pending', googleReviewUrl: null }, 201));
    stub = r.stub;
    const radios = $$<HTMLInputElement>(r.el, 'input[type=radio]');
    expect(radios.map((i) => i.value)).to.deep.equal(['1', '2', '3', '4', '5']);
    expect(radios.map((i) => i.labels![0]!.textContent!.replace(/\s+/g, ' ').trim())).to.deep.equal([
      '★1 star',
      '★2 stars',
      '★3 stars',
      '★4 stars',
      '★5 stars',
    ]);
    expect($(r.el, 'legend')!.textContent).to.equal('Your rating');
    expect($<HTMLTextAreaElement>(r.el, 'textarea')!.labels![0]!.textContent).to.contain('Your review');
  });

  it('asks for a rating before sending', async () => {
    const r = await review(() => json({ id: 'r1', status: 'pending', googleReviewUrl: null }, 201));
    stub = r.stub;
    submit(r.el);
    await r.el.updateComplete;
    expect($(r.el, '#rating-err')!.textContent).to.equal('Please choose a rating.');
    expect($(r.el, '[role=alert]')!.textContent).to.equal('Please check the highlighted fields.');
    expect(focused()).to.equal($(r.el, '#rating1'));
    expect(stub.calls).to.have.length(0);

    // A star picked: the message goes (the stars were right, nothing to fix any more).
    $<HTMLInputElement>(r.el, '#rating4')!.click();
    await r.el.updateComplete;
    expect($(r.el, '#rating-err')).to.equal(null);
    expect($(r.el, '[role=alert]')).to.equal(null);
  });

  it('is filled in and sent with the keyboard, then thanks the reviewer', async () => {
    const r = await review(
      () => json({ id: 'r1', status: 'pending', googleReviewUrl: null }, 201),
      html`<fidelio-review
        program="cafe-lune"
        api=${API}
        lang="en"
        card-serial="abcdefghijklmnopqrstuvwxyz"
        name="Camille"
      ></fidelio-review>`,
    );
    stub = r.stub;
    const sent = oneEvent(r.el, 'fidelio-review-submit');
    await sendKeys({ press: 'Tab' });
    expect(focused()).to.equal($(r.el, '#rating1'));
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: 'ArrowRight' });
    expect($<HTMLInputElement>(r.el, '#rating4')!.checked).to.equal(true);
    await r.el.updateComplete;
    expect($$(r.el, '.opts .on')).to.have.length(4);
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: 'Great coffee 😀' });
    await sendKeys({ press: 'Tab' });
    expect((focused() as HTMLInputElement).value).to.equal('Camille');
    await sendKeys({ press: 'Enter' });
    expect((await sent).detail).to.deep.equal({ rating: 4 });
    expect(stub.calls[0]!.url.href).to.equal(`${API}/api/public/programs/cafe-lune/reviews`);
    expect(stub.calls[0]!.body).to.deep.equal({
      rating: 4,
      text: 'Great coffee 😀',
      name: 'Camille',
      cardSerial: 'abcdefghijklmnopqrstuvwxyz',
    });
    await waitUntil(() => $(r.el, '.ok'), 'thanks are shown');
    expect($(r.el, '.ok')!.textContent).to.equal('Thank you! Your review will appear once approved.');
    expect(focused()).to.equal($(r.el, '.ok'));
    expect($(r.el, 'a')).to.equal(null);
  });

  for (const rating of [1, 5]) {
    it(`offers the Google review link after a ${rating}-star review too`, async () => {
      const r = await review(() => json({ id: 'r1', status: 'pending', googleReviewUrl: GOOGLE }, 201));
      stub = r.stub;
      $<HTMLInputElement>(r.el, `#rating${rating}`)!.click();
      submit(r.el);
      await waitUntil(() => $(r.el, '.ok'), 'thanks are shown');
      const link = $<HTMLAnchorElement>(r.el, 'a')!;
      expect(link.href).to.equal(GOOGLE);
      expect(link.textContent).to.equal('Review us on Google');
      expect(link.rel).to.equal('noopener');
    });
  }

  it("falls back to the widget's Google link, and never links anything but http(s)", async () => {
    const r = await review(
      () => json({ id: 'r1', status: 'pending', googleReviewUrl: null }, 201),
      html`<fidelio-review program="cafe-lune" api=${API} lang="en" google-review-url=${GOOGLE}></fidelio-review>`,
    );
    stub = r.stub;
    $<HTMLInputElement>(r.el, '#rating3')!.click();
    submit(r.el);
    await waitUntil(() => $(r.el, '.ok'), 'thanks are shown');
    expect($<HTMLAnchorElement>(r.el, 'a')!.href).to.equal(GOOGLE);

    stub.restore();
    const bad = await review(() => json({ id: 'r2', status: 'pending', googleReviewUrl: 'javascript:alert(1)' }, 201));
    stub = bad.stub;
    $<HTMLInputElement>(bad.el, '#rating3')!.click();
    submit(bad.el);
    await waitUntil(() => $(bad.el, '.ok'), 'thanks are shown');
    expect($(bad.el, 'a')).to.equal(null);
  });

  it('marks the text the server refused, keeping what was typed', async () => {
    const r = await review(() => problem(400, 'validation_failed', [{ path: 'text', message: 'Too long' }]));
    stub = r.stub;
    $<HTMLInputElement>(r.el, '#rating2')!.click();
    $<HTMLTextAreaElement>(r.el, 'textarea')!.value = 'x'.repeat(50);
    submit(r.el);
    await waitUntil(() => $(r.el, '#text-err'), 'the text is marked');
    expect($(r.el, 'textarea')!.getAttribute('aria-invalid')).to.equal('true');
    expect($<HTMLTextAreaElement>(r.el, 'textarea')!.value).to.have.length(50);
  });

  it('says when it is rate limited, with a retry', async () => {
    let limited = true;
    const r = await review(() =>
      limited ? problem(429, 'rate_limited') : json({ id: 'r1', status: 'pending', googleReviewUrl: null }, 201),
    );
    stub = r.stub;
    $<HTMLInputElement>(r.el, '#rating5')!.click();
    submit(r.el);
    await waitUntil(() => $(r.el, '[part=error]'), 'an error is shown');
    expect($(r.el, '[part=error]')!.textContent).to.contain('Too many attempts');
    limited = false;
    $(r.el, '[part=error] button')!.click();
    await waitUntil(() => $(r.el, '.ok'), 'thanks are shown');
    expect(stub.calls.map((c) => c.body)).to.deep.equal([{ rating: 5 }, { rating: 5 }]);
  });

  it('speaks French', async () => {
    const r = await review(
      () => json({ id: 'r1', status: 'pending', googleReviewUrl: null }, 201),
      html`<fidelio-review program="cafe-lune" api=${API} lang="fr"></fidelio-review>`,
    );
    stub = r.stub;
    expect(text(r.el)).to.contain('Laissez un avis').and.contain('Votre note').and.contain('Envoyer');
    expect($(r.el, '#rating3')!.closest('label')!.textContent).to.contain('3 étoiles');
  });
});
