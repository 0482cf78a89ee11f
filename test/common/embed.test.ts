// The demo café's page (static HTML, it cannot import) keeps the same room for the widget's
// elements as common/embed.ts says, and the hosted pages' style element carries it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { REVIEWS_ROOM, WIDGET_ROOM } from '../../common/embed.ts';
import { layout } from '../../server/pages/layout.ts';

/** `a:b;c:d` from a CSS block's text, spaces and the last semicolon dropped. */
const squeeze = (css: string) => css.replace(/\s+/g, '').replace(/;$/, '');

describe('the room kept for the widget', () => {
  it('is the same on the demo café’s page', () => {
    const html = readFileSync('demo/site/index.html', 'utf8');
    const rule = (tag: string) => squeeze(new RegExp(`\\n\\s*${tag}\\s*\\{([^}]*)\\}`).exec(html)![1]!);
    assert.equal(rule('fidelio-widget'), squeeze(WIDGET_ROOM));
    assert.equal(rule('fidelio-reviews'), squeeze(REVIEWS_ROOM));
  });

  it('is in the hosted pages’ style', () => {
    const page = String(
      layout({
        lang: 'fr',
        title: 't',
        colours: { background: '#3b2f2f', foreground: '#ffffff' },
        logoUrl: null,
        merchantName: 'm',
        widget: true,
        body: '' as never,
      }),
    );
    assert.ok(page.includes(`fidelio-widget{${WIDGET_ROOM}}`));
    assert.ok(page.includes(`fidelio-reviews{${REVIEWS_ROOM}}`));
  });
});
