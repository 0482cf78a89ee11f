import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LOCALES, localize, memberLanguage, pickLocale } from '../../common/localize.ts';

describe('LOCALES', () => {
  it('lists English then French, the order of every string table', () => {
    assert.deepEqual(LOCALES, ['en', 'fr']);
    const t = localize({ hello: ['Hello', 'Bonjour'] });
    assert.deepEqual(
      LOCALES.map((l) => t(l).hello),
      ['Hello', 'Bonjour'],
    );
  });
});

describe('pickLocale', () => {
  it('reads fr, fr-CA and FR as French, anything else as English', () => {
    for (const tag of ['fr', 'fr-CA', 'FR']) assert.equal(pickLocale(tag), 'fr', tag);
    for (const tag of ['en', 'en-GB', 'de', '', 'fra', 'afr']) assert.equal(pickLocale(tag), 'en', tag);
  });
});

describe('memberLanguage', () => {
  it("is the member's own language when they gave one: fr… → fr, any other → en", () => {
    for (const l of ['fr', 'fr-FR', 'FR-ca', 'fra']) {
      assert.equal(memberLanguage(l, 'en'), 'fr', l);
      assert.equal(memberLanguage(l, 'fr'), 'fr', l);
    }
    for (const l of ['en', 'en-US', 'de-DE', 'es', 'afr']) {
      assert.equal(memberLanguage(l, 'fr'), 'en', l);
      assert.equal(memberLanguage(l, 'en'), 'en', l);
    }
  });

  it("is the program's language when the member gave none", () => {
    assert.equal(memberLanguage(null, 'fr'), 'fr');
    assert.equal(memberLanguage(null, 'en'), 'en');
    assert.equal(memberLanguage('', 'fr'), 'fr');
  });
});
