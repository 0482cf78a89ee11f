// The room a page keeps for the widget's elements before their script runs (common/embed.ts,
// used by the Website screen's snippet, the hosted pages and the demo café) is the room they take
// once drawn: at a phone's width and a desktop's, for the form, and for the reviews in each of
// their states but a list. Else the page moves when `/widget.js` arrives (layout shift).
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import { REVIEWS_ROOM, WIDGET_ROOM } from '../../common/embed.ts';
import '../../widget/index.ts';
import { $ } from './support/dom.ts';
import { API, json, never, problem, program, stubFetch } from './support/fetch.ts';

/** The height an element reserved with `style` takes while its tag is not defined. */
async function reserved(style: string): Promise<number> {
  const el = await fixture(html`<fidelio-not-yet style=${style}></fidelio-not-yet>`);
  return el.getBoundingClientRect().height;
}

let stub: ReturnType<typeof stubFetch> | undefined;
afterEach(() => stub?.restore());

describe('the room kept for the widget before its script', () => {
  for (const width of [320, 390, 1024]) {
    it(`is the widget's height with its form, at ${width}px`, async () => {
      await setViewport({ width, height: 900 });
      try {
        localStorage.clear();
        stub = stubFetch(() => json(program));
        const el = await fixture(html`<fidelio-widget program="cafe-lune" api=${API} lang="en"></fidelio-widget>`);
        await waitUntil(() => $(el, '[type=submit]'), 'the form is shown');
        expect(el.getBoundingClientRect().height).to.equal(await reserved(WIDGET_ROOM));
      } finally {
        await setViewport({ width: 800, height: 600 });
      }
    });
  }
});

describe('the room kept for the reviews before their script', () => {
  const states = {
    loading: () => never(),
    empty: () => json({ average: null, count: 0, reviews: [], nextCursor: null, structuredData: null }),
    'not found': () => problem(404, 'not_found'),
  };
  for (const [state, answer] of Object.entries(states)) {
    it(`is their height when ${state}`, async () => {
      stub = stubFetch(answer);
      const el = await fixture(html`<fidelio-reviews program="cafe-lune" api=${API} lang="en"></fidelio-reviews>`);
      await waitUntil(() => $(el, state === 'loading' ? '[role=status]' : state === 'empty' ? '.state' : '[role=alert]'), state);
      expect(el.getBoundingClientRect().height).to.equal(await reserved(REVIEWS_ROOM));
    });
  }
});
