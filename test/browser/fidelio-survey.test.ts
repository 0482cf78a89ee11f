import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../widget/index.ts';
import type { FidelioSurvey } from '../../widget/fidelio-survey.ts';
import { $, $$, focused, text } from './support/dom.ts';
import { API, json, stubFetch } from './support/fetch.ts';

const scores = (el: Element) => $$<HTMLInputElement>(el, 'input[type=radio]').map((i) => Number(i.value));

describe('<fidelio-survey>', () => {
  let stub: ReturnType<typeof stubFetch>;
  beforeEach(() => (stub = stubFetch(() => json({ id: 's1' }, 201))));
  afterEach(() => stub.restore());

  it('is accessible', async () => {
    const el = await fixture<FidelioSurvey>(html`<fidelio-survey program="cafe-lune" api=${API} kind="nps" lang="en"></fidelio-survey>`);
    await expect(el).to.be.accessible();
  });

  it('asks the question of its kind on its scale', async () => {
    const nps = await fixture<FidelioSurvey>(html`<fidelio-survey program="cafe-lune" api=${API} kind="nps" lang="en"></fidelio-survey>`);
    expect(scores(nps)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect($(nps, 'legend')!.textContent).to.equal('How likely are you to recommend us to a friend?');
    expect(text(nps)).to.contain('Not likely').and.contain('Very likely');

    const csat = await fixture<FidelioSurvey>(html`<fidelio-survey program="cafe-lune" api=${API} kind="csat" lang="en"></fidelio-survey>`);
    expect(scores(csat)).to.deep.equal([1, 2, 3, 4, 5]);
    expect($(csat, 'legend')!.textContent).to.equal('How satisfied are you with your visit?');

    const ces = await fixture<FidelioSurvey>(html`<fidelio-survey program="cafe-lune" api=${API} kind="ces" lang="en"></fidelio-survey>`);
    expect(scores(ces)).to.deep.equal([1, 2, 3, 4, 5]);
    expect(text(ces)).to.contain('Very difficult').and.contain('Very easy');

    const unknown = await fixture<FidelioSurvey>(
      html`<fidelio-survey program="cafe-lune" api=${API} kind="bogus" lang="en"></fidelio-survey>`,
    );
    expect(scores(unknown)).to.have.length(11);
  });

  it('asks for a score before sending', async () => {
    const el = await fixture<FidelioSurvey>(html`<fidelio-survey program="cafe-lune" api=${API} kind="csat" lang="en"></fidelio-survey>`);
    $<HTMLButtonElement>(el, '[type=submit]')!.click();
    await el.updateComplete;
    expect($(el, '#score-err')!.textContent).to.equal('Please choose a rating.');
    expect(focused()).to.equal($(el, '#score1'));
    expect(stub.calls).to.have.length(0);
  });

  it('is answered with the keyboard', async () => {
    const el = await fixture<FidelioSurvey>(
      html`<fidelio-survey program="cafe-lune" api=${API} kind="nps" lang="en" card-serial="abcdefghijklmnopqrstuvwxyz"></fidelio-survey>`,
    );
    const sent = oneEvent(el, 'fidelio-survey-submit');
    await sendKeys({ press: 'Tab' });
    // The arrows move along the scores (whether ArrowLeft on the first wraps round to the last
    // is the engine's: Chromium and Firefox do, WebKit and Safari do not).
    await sendKeys({ press: 'ArrowRight' });
    expect($<HTMLInputElement>(el, '#score1')!.checked).to.equal(true);
    for (let i = 0; i < 9; i++) await sendKeys({ press: 'ArrowRight' });
    expect($<HTMLInputElement>(el, '#score10')!.checked).to.equal(true);
    await sendKeys({ press: 'ArrowLeft' });
    expect($<HTMLInputElement>(el, '#score9')!.checked).to.equal(true);
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: 'Lovely' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Enter' });
    expect((await sent).detail).to.deep.equal({ kind: 'nps', score: 9 });
    expect(stub.calls[0]!.url.href).to.equal(`${API}/api/public/programs/cafe-lune/surveys`);
    expect(stub.calls[0]!.body).to.deep.equal({ kind: 'nps', score: 9, comment: 'Lovely', cardSerial: 'abcdefghijklmnopqrstuvwxyz' });
    await waitUntil(() => $(el, '.ok'), 'thanks are shown');
    expect(focused()).to.equal($(el, '.ok'));
  });

  it('sends a score of 0', async () => {
    const el = await fixture<FidelioSurvey>(html`<fidelio-survey program="cafe-lune" api=${API} kind="nps" lang="en"></fidelio-survey>`);
    $<HTMLInputElement>(el, '#score0')!.click();
    $<HTMLButtonElement>(el, '[type=submit]')!.click();
    await waitUntil(() => stub.calls.length === 1, 'the answer was sent');
    expect(stub.calls[0]!.body).to.deep.equal({ kind: 'nps', score: 0 });
  });

  it('says when the service is down, with a retry', async () => {
    stub.restore();
    stub = stubFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    const el = await fixture<FidelioSurvey>(html`<fidelio-survey program="cafe-lune" api=${API} kind="ces" lang="fr"></fidelio-survey>`);
    $<HTMLInputElement>(el, '#score4')!.click();
    $<HTMLButtonElement>(el, '[type=submit]')!.click();
    await waitUntil(() => $(el, '[part=error]'), 'an error is shown');
    expect($(el, '[part=error]')!.textContent).to.contain('Le service de fidélité est injoignable.').and.contain('Réessayer');
    expect($(el, 'form')).to.not.equal(null);
  });

  it('speaks French', async () => {
    const el = await fixture<FidelioSurvey>(html`<fidelio-survey program="cafe-lune" api=${API} kind="csat" lang="fr"></fidelio-survey>`);
    expect(text(el)).to.contain('Êtes-vous satisfait de votre visite ?').and.contain('Très insatisfait').and.contain('Commentaire');
  });
});
